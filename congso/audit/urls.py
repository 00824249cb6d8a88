from django.urls import path

from congso.audit import views

app_name = "audit"
urlpatterns = [
    path("can-bo/nhat-ky-truy-cap/", views.access_log, name="access_log"),
]

from django.urls import path

from congso.accounts.views import portal

app_name = "accounts"
urlpatterns = [
    path("", portal.profile, name="profile"),
    path("du-lieu-cua-toi/", portal.data_export, name="data_export"),
]

from django.urls import path

from congso.accounts.views import portal

app_name = "accounts"
urlpatterns = [
    path("", portal.profile, name="profile"),
]

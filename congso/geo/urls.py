from django.urls import path

from congso.geo.views import portal

app_name = "geo"
urlpatterns = [
    path("", portal.unit_list, name="unit_list"),
    path("<str:code>/", portal.unit_detail, name="unit_detail"),
]

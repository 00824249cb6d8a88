from django.urls import path

from congso.catalog.views import portal, qr

app_name = "catalog"
urlpatterns = [
    path("", portal.procedure_list_view, name="procedure_list"),
    path("ap-phich/", qr.poster, name="poster"),
    path("<str:code>/qr.<str:fmt>", qr.procedure_qr, name="procedure_qr"),
    path("<str:code>/", portal.procedure_detail, name="procedure_detail"),
    path("<str:code>/nop/", portal.procedure_submit, name="procedure_submit"),
]

from django.urls import path

from congso.catalog.views import portal, qr
from congso.dossiers.views import portal as dossier_portal

app_name = "catalog"
urlpatterns = [
    path("", portal.procedure_list_view, name="procedure_list"),
    path("ap-phich/", qr.poster, name="poster"),
    path("<str:code>/qr.<str:fmt>", qr.procedure_qr, name="procedure_qr"),
    path("<str:code>/", portal.procedure_detail, name="procedure_detail"),
    # The stable address every QR code prints: the dossier app's submission form.
    path("<str:code>/nop/", dossier_portal.submission_form, name="procedure_submit"),
]

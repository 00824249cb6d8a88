from django.urls import path

from congso.dossiers.views import lookup, portal

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", portal.my_dossiers, name="mine"),
    path("ho-so/nhap/<uuid:token>/kiem-tra/", portal.check_answers, name="check"),
    path("ho-so/nhap/<uuid:token>/nop/", portal.submit, name="submit"),
    path("ho-so/<str:code>/", portal.my_dossier_detail, name="detail"),
    path("ho-so/<str:code>/da-nop/", portal.confirmation, name="confirmation"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", portal.receipt, name="receipt"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
]

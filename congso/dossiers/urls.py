from django.urls import path

from congso.dossiers.views import actions, forms, lookup, office, portal

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", portal.my_dossiers, name="mine"),
    path("ho-so/nhap/<uuid:token>/kiem-tra/", portal.check_answers, name="check"),
    path("ho-so/nhap/<uuid:token>/nop/", portal.submit, name="submit"),
    path("ho-so/<str:code>/", portal.my_dossier_detail, name="detail"),
    path("ho-so/<str:code>/da-nop/", portal.confirmation, name="confirmation"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", portal.receipt, name="receipt"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("can-bo/tiep-nhan/", office.counter_start, name="counter_start"),
    path("can-bo/tiep-nhan/<str:code>/", office.counter_new, name="counter_new"),
    path("can-bo/ho-so/", office.queue, name="queue"),
    path("can-bo/ho-so/<str:code>/mau-<str:number>.pdf", forms.legal_form, name="legal_form"),
    path("can-bo/ho-so/<str:code>/phieu-kiem-soat.pdf", forms.control_slip, name="control_slip"),
    path("can-bo/so-theo-doi/", forms.register_download, name="register"),
    path("can-bo/dung-han/", office.on_time, name="on_time"),
    path("can-bo/ho-so/<str:code>/", office.office_detail, name="office_detail"),
    path("can-bo/ho-so/<str:code>/thao-tac/<str:name>/", actions.act, name="act"),
    path("can-bo/ho-so/<str:code>/buoc/<int:step_id>/", actions.step_done, name="step_done"),
    path("can-bo/ho-so/<str:code>/xin-y-kien/", actions.consult, name="consult"),
    path("can-bo/ho-so/<str:code>/giay-tiep-nhan.pdf", office.counter_receipt, name="counter_receipt"),
]

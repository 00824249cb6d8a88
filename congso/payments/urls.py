"""Pages of payments, mounted at /thanh-toan/ by config/urls.py."""

from django.urls import path

from congso.payments import views

app_name = "payments"
urlpatterns = [
    path("can-bo/", views.office_list, name="office_list"),
    path("can-bo/ho-so/<str:code>/thu-phi/", views.issue, name="issue"),
    path("can-bo/sao-ke/", views.statements, name="statements"),
    path("can-bo/sao-ke/<int:pk>/", views.statement, name="statement"),
    path("can-bo/sao-ke/can-xu-ly/", views.to_resolve, name="to_resolve"),
    path("can-bo/sao-ke/dong/<int:pk>/", views.resolve, name="resolve"),
    path("bien-lai/xac-minh/<str:key>/", views.receipt_verify, name="verify"),
    path("<str:reference>/", views.payment_page, name="pay"),
    path("<str:reference>/bien-lai.pdf", views.receipt, name="receipt"),
    path("<str:reference>/thu-tai-quay/", views.counter_payment, name="counter"),
    path("<str:reference>/hoan-tien/", views.refund, name="refund"),
]

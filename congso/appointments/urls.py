"""Pages of appointments, mounted at /dat-lich/ by config/urls.py."""

from django.urls import path

from congso.appointments.views import office, portal

app_name = "appointments"
urlpatterns = [
    path("", portal.resource_list, name="resource_list"),
    path("<int:pk>/", portal.resource_detail, name="resource_detail"),
    path("<int:pk>/dat/", portal.book, name="book"),
    path("cua-toi/", portal.my_bookings, name="mine"),
    path("lich-hen/<int:pk>/", portal.confirmation, name="confirmation"),
    path("ve/<str:token>/", portal.ticket, name="ticket"),
    path("ve/<str:token>/qr.png", portal.ticket_qr, name="ticket_qr"),
    path("ve/<str:token>/huy/", portal.cancel, name="cancel"),
    path("can-bo/", office.resource_list, name="office_list"),
    path("can-bo/moi/", office.resource_edit, name="office_new"),
    path("can-bo/<int:pk>/", office.day_list, name="office_day"),
    path("can-bo/<int:pk>/sua/", office.resource_edit, name="office_edit"),
    path("can-bo/<int:pk>/diem-danh/", office.check_in, name="office_check_in"),
    path("can-bo/<int:pk>/ngay-nghi/", office.blackouts, name="office_blackouts"),
    path("can-bo/ngay-nghi/<int:pk>/xoa/", office.blackout_remove, name="office_blackout_remove"),
    path("can-bo/lich-hen/<int:pk>/vang/", office.no_show, name="office_no_show"),
]

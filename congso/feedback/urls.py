from django.urls import path

from congso.feedback import views

app_name = "feedback"
urlpatterns = [
    path("ho-so/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so/<str:code>/phan-anh/", views.dossier_feedback, name="dossier_feedback"),
    path("phan-anh-kien-nghi/", views.my_feedback, name="mine"),
    path("phan-anh-kien-nghi/gui/", views.office_feedback, name="new"),
    path("phan-anh-kien-nghi/cong-khai/", views.published, name="published"),
    path("can-bo/phan-anh-kien-nghi/", views.office_list, name="office_list"),
    path("can-bo/phan-anh-kien-nghi/<int:pk>/", views.office_detail, name="office_detail"),
    path("can-bo/phan-anh-kien-nghi/<int:pk>/xac-nhan/", views.office_acknowledge, name="office_acknowledge"),
    path("can-bo/phan-anh-kien-nghi/<int:pk>/cong-khai/", views.office_publish, name="office_publish"),
]

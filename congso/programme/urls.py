"""Pages of programme, mounted at /ioc/chuong-trinh/ by config/urls.py."""

from django.urls import path

from congso.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("minh-chung/<int:pk>/", views.evidence, name="evidence"),
    path("du-an/", views.project_list, name="project_list"),
    path("du-an/<int:pk>/", views.project_detail, name="project_detail"),
]

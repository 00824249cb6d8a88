"""Pages of indicators, mounted at /ioc/ by config/urls.py."""

from django.urls import path

from congso.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("chi-so/<str:code>/", views.indicator_detail, name="indicator"),
    path("chi-so/<str:code>/du-lieu.json", views.indicator_data, name="indicator_data"),
    path("ban-do/xa.geojson", views.boundaries, name="boundaries"),
    path("chi-so-766/", views.d766, name="d766"),
    path("bao-cao/", views.completeness, name="completeness"),
    path("canh-bao/", views.alerts, name="alerts"),
    path("canh-bao/<int:pk>/<slug:action>/", views.alert_action, name="alert_action"),
    path("nhap-lieu/", views.upload, name="upload"),
    path("nhap-lieu/mau/<str:code>.xlsx", views.template, name="template"),
    path("nhap-lieu/<int:pk>/", views.job, name="job"),
]

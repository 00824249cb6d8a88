"""Pages of outreach, mounted at /to-cong-nghe/ by config/urls.py."""

from django.urls import path

from congso.outreach.views import member, office

app_name = "outreach"
urlpatterns = [
    path("", member.app, name="app"),
    path("sw.js", member.service_worker, name="service_worker"),
    path("manifest.webmanifest", member.manifest, name="manifest"),
    path("ap/<str:code>/", member.hamlet_households, name="hamlet"),
    path("ho/<uuid:pk>/tham/", member.visit_new, name="visit_new"),
    path("giam-sat/", office.overview, name="overview"),
    path("giam-sat/don-vi/<str:code>/", office.unit_coverage, name="unit"),
    path("giam-sat/don-vi/<str:code>/bieu-do.json", office.coverage_chart, name="chart"),
    path("giam-sat/don-vi/<str:code>/xuat-excel/", office.coverage_export, name="export"),
    path("giam-sat/xung-dot/", office.conflicts, name="conflicts"),
    path("giam-sat/xung-dot/<int:pk>/", office.conflict_resolve, name="conflict_resolve"),
    path("giam-sat/trung-lap/", office.duplicates, name="duplicates"),
    path("giam-sat/trung-lap/gop/", office.merge, name="merge"),
    path("giam-sat/nhap-ho/", office.import_households, name="import"),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from congso.api.urls import api

urlpatterns = [
    path("", include("congso.core.urls")),
    path("don-vi/", include("congso.geo.urls")),
    path("thu-tuc/", include("congso.catalog.urls")),
    path("", include("congso.dossiers.urls")),
    path("", include("congso.audit.urls")),
    path("", include("congso.feedback.urls")),
    path("thanh-toan/", include("congso.payments.urls")),
    path("dat-lich/", include("congso.appointments.urls")),
    path("to-cong-nghe/", include("congso.outreach.urls")),
    path("ioc/chuong-trinh/", include("congso.programme.urls")),
    path("ioc/", include("congso.indicators.urls")),
    path("tai-khoan/", include("congso.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]

handler400 = "congso.core.views.bad_request"
handler403 = "congso.core.views.permission_denied"
handler404 = "congso.core.views.page_not_found"
handler500 = "congso.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

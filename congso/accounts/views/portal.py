from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.export import personal_data_zip
from congso.accounts.models import CitizenProfile, Consent
from congso.accounts.selectors import user_roles
from congso.audit.chain import audit_record
from congso.core.ratelimit import rate_limited

EXPORTS_PER_HOUR = 5


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: who I am, how surely, the roles I hold and where; my consents and my data."""
    citizen = CitizenProfile.objects.filter(user=request.user).first()
    roles = list(user_roles(user=request.user))
    consents = list(Consent.objects.filter(user=request.user)[:10])
    return render(
        request, "accounts/portal/profile.html", {"citizen": citizen, "roles": roles, "consents": consents}
    )


@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    """Download everything congso holds about me, as a ZIP (data.json and my dossiers' files)."""
    if rate_limited(key=f"export:{request.user.pk}", limit=EXPORTS_PER_HOUR, window_seconds=3600):
        response = render(
            request,
            "accounts/portal/profile.html",
            {
                "citizen": CitizenProfile.objects.filter(user=request.user).first(),
                "roles": list(user_roles(user=request.user)),
                "export_error": _("You have downloaded your data several times this hour. Please try later."),
            },
            status=429,
        )
        return response
    content = personal_data_zip(request.user)
    audit_record(
        actor=request.user, action="personal_data.exported", target=request.user, data={"bytes": len(content)}
    )
    response = HttpResponse(content, content_type="application/zip")
    name = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

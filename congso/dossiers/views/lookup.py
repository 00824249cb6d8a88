from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congso.core.ratelimit import client_ip, rate_limited
from congso.dossiers.forms import LookupForm
from congso.dossiers.selectors import dossier_public_lookup

# Per client address: enough for a family checking its dossiers, far too few to enumerate codes.
LOOKUPS_PER_WINDOW = settings.CONGSO_LOOKUP_LIMIT
WINDOW_SECONDS = settings.CONGSO_LOOKUP_WINDOW


def lookup(request: HttpRequest) -> HttpResponse:
    """Public status lookup by code and lookup key (or the receipt's QR). Shows only the code and the status,
    as the law allows without signing in. Rate-limited per address against enumeration."""
    if not request.GET:
        return render(request, "dossiers/portal/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    if rate_limited(
        key=f"lookup:{client_ip(request)}", limit=LOOKUPS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    ):
        return render(request, "dossiers/portal/lookup.html", {"form": form, "limited": True}, status=429)
    dossier = None
    searched = form.is_valid()
    if searched:
        dossier = dossier_public_lookup(code=form.cleaned_data["ma"], lookup_key=form.cleaned_data["khoa"])
    context = {"form": form, "dossier": dossier, "searched": searched}
    return render(
        request, "dossiers/portal/lookup.html", context, status=200 if dossier or not searched else 404
    )

"""QR codes of procedures, and the printable QR poster of a service centre."""

import re

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from congso.accounts.decorators import official_required
from congso.catalog.models import Procedure
from congso.catalog.posters import (
    POSTER_MAX_PROCEDURES,
    poster_centres,
    poster_default_procedures,
    poster_pdf,
)
from congso.core.qr import procedure_submission_url, qr_png, qr_svg

QR_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
QR_MAX_AGE = 60 * 60 * 24  # the code changes only if the public address does

# Query parameters as people see them in the address bar.
POSTER_PARAMETERS = {"unit": "don-vi", "codes": "ma"}


@require_safe
def procedure_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The QR code of a procedure's online submission page, as SVG or PNG."""
    if fmt not in QR_CONTENT_TYPES or not Procedure.objects.filter(code=code, is_active=True).exists():
        raise Http404("no procedure in use has this code")
    url = procedure_submission_url(code)
    response = HttpResponse(qr_svg(url) if fmt == "svg" else qr_png(url), content_type=QR_CONTENT_TYPES[fmt])
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


class PosterForm(forms.Form):
    """Which service centre, and which procedures (codes typed one per line or separated by commas)."""

    unit = forms.ModelChoiceField(
        label=_("Service centre"),
        queryset=None,
        to_field_name="code",
        empty_label=_("Choose a commune or ward"),
        error_messages={
            "required": _("Choose a service centre from the list."),
            "invalid_choice": _("Choose a service centre from the list."),
        },
    )
    codes = forms.CharField(
        label=_("Procedure codes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": _("Enter at least one procedure code.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = poster_centres()
        self.fields["codes"].help_text = gettext(
            "One code per line or separated by commas, at most %(max)d."
        ) % {"max": POSTER_MAX_PROCEDURES}

    def add_prefix(self, field_name: str) -> str:
        return POSTER_PARAMETERS.get(field_name, field_name)

    def clean_codes(self) -> list[Procedure]:
        tokens = re.split(r"[\s,;]+", self.cleaned_data["codes"])
        codes = list(dict.fromkeys(token for token in tokens if token))  # as typed, without repeats
        if not codes:
            raise forms.ValidationError(self.fields["codes"].error_messages["required"], code="required")
        if len(codes) > POSTER_MAX_PROCEDURES:
            raise forms.ValidationError(
                gettext("A poster holds at most %(max)d procedures; you entered %(count)d."),
                code="too_many",
                params={"max": POSTER_MAX_PROCEDURES, "count": len(codes)},
            )
        found = Procedure.objects.filter(code__in=codes, is_active=True).in_bulk(field_name="code")
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                gettext("Unknown procedure codes, or no longer in use: %(codes)s."),
                code="unknown",
                params={"codes": ", ".join(unknown)},
            )
        return [found[code] for code in codes]


@require_safe
@official_required
def poster(request: HttpRequest) -> HttpResponse:
    """For officials (a poster costs half a second of CPU). Without parameters, the form (filled with the
    most requested commune procedures); with them, the PDF.

    A GET form, so that a poster can be bookmarked or linked and printed again.
    """
    if not request.GET:
        initial = {"codes": "\n".join(procedure.code for procedure in poster_default_procedures())}
        return render(request, "catalog/portal/poster_form.html", {"form": PosterForm(initial=initial)})
    form = PosterForm(request.GET)
    if not form.is_valid():
        return render(request, "catalog/portal/poster_form.html", {"form": form})
    unit = form.cleaned_data["unit"]
    pdf = poster_pdf(unit=unit, procedures=form.cleaned_data["codes"], request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"ap-phich-{unit.code}.pdf")
    return response

"""Officials print the legal forms of their units' dossiers: Mẫu 02–05, the control slip (Mẫu 06) and the
register (Mẫu 07). Another commune's dossier does not exist for them (404)."""

import datetime

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.decorators import official_required
from congso.dossiers import legal_forms, register
from congso.dossiers.models import Dossier
from congso.dossiers.queues import office_dossier
from congso.dossiers.receipts import LOCAL_TIME

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366  # one register at most a year long: bounded work per request


def _dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    try:
        return office_dossier(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@official_required
def legal_form(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """Mẫu 02–05 of one dossier, from its latest event of the kind; 404 when there is none."""
    if number not in legal_forms.FORM_EVENTS:
        raise Http404
    dossier = _dossier_or_404(request, code)
    content = legal_forms.form_pdf(dossier, number)
    if content is None:
        raise Http404
    return _pdf(content, f"mau-{number}-{dossier.code}.pdf")


@official_required
def control_slip(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    return _pdf(legal_forms.control_slip_pdf(dossier), f"phieu-kiem-soat-{dossier.code}.pdf")


class RegisterForm(forms.Form):
    tu = forms.DateField(required=False, label=gettext_lazy("Received from"))
    den = forms.DateField(required=False, label=gettext_lazy("to"))
    dinh_dang = forms.ChoiceField(
        choices=[("xlsx", "Excel"), ("pdf", "PDF")], required=False, label=gettext_lazy("Format")
    )
    don_vi = forms.CharField(required=False, max_length=40, label=gettext_lazy("Receiving office"))

    def clean(self):
        data = super().clean()
        today = timezone.localtime(timezone.now(), LOCAL_TIME).date()
        date_to = data.get("den") or today
        date_from = data.get("tu") or date_to.replace(day=1)
        if date_from > date_to:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if (date_to - date_from).days >= MAX_DAYS:
            raise forms.ValidationError(_("A register covers at most one year."))
        data["tu"], data["den"] = date_from, date_to
        data["dinh_dang"] = data.get("dinh_dang") or "xlsx"
        return data


@official_required
def register_download(request: HttpRequest) -> HttpResponse:
    """The register of the official's offices for ``tu``–``den`` (``YYYY-MM-DD``; by default the current
    month up to today), as ``dinh-dang=xlsx`` (default) or ``pdf``; ``don-vi`` narrows it to one office."""
    form = RegisterForm({key.replace("-", "_"): value for key, value in request.GET.items()})
    if not form.is_valid():
        errors = "; ".join(str(error) for field in form.errors.values() for error in field)
        return HttpResponseBadRequest(errors or _("Invalid dates."), content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    date_from: datetime.date = data["tu"]
    date_to: datetime.date = data["den"]
    dossiers = register.register_dossiers(
        user=request.user, date_from=date_from, date_to=date_to, office_code=data["don_vi"]
    )
    rows = register.register_rows(dossiers)
    stem = f"so-theo-doi-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if data["dinh_dang"] == "pdf":
        office_name = dossiers[0].office.name if data["don_vi"] and rows else ""
        content = register.register_pdf(rows, date_from=date_from, date_to=date_to, office_name=office_name)
        return _pdf(content, f"{stem}.pdf")
    response = HttpResponse(
        register.register_xlsx(rows, date_from=date_from, date_to=date_to), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response

"""The counter: a one-stop officer enters a walk-in or postal dossier for the applicant and prints the
receipt."""

import csv
import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts.constants import StaffRole
from congso.accounts.decorators import official_required
from congso.accounts.selectors import user_units
from congso.audit.services import personal_data_viewed
from congso.catalog.constants import Channel
from congso.catalog.eform import build_form, phone_validator
from congso.catalog.models import Procedure
from congso.catalog.selectors import ProcedureFilters, procedure_get, procedure_list, version_current
from congso.core.exceptions import ApplicationError
from congso.dossiers import services, workflow
from congso.dossiers.constants import CLOSED, ApplicantKind, ResultDelivery, StepStatus
from congso.dossiers.documents import documents_from_form
from congso.dossiers.forms import check_applicant_id
from congso.dossiers.models import Dossier, ReceivingOffice
from congso.dossiers.queues import (
    QueueFilters,
    office_dossier,
    office_dossiers,
    office_queue,
    on_time_figures,
)
from congso.dossiers.steps import STEPS_RUN, may_complete
from congso.dossiers.views.actions import OFFICE_MOVES

COUNTER_CHANNELS = [
    (Channel.IN_PERSON.value, Channel.IN_PERSON.label),
    (Channel.POST.value, Channel.POST.label),
]


def officer_offices(user):
    """The receiving offices of the units where the user is a one-stop officer."""
    units = user_units(user=user, roles=[StaffRole.ONE_STOP_OFFICER])
    return ReceivingOffice.objects.filter(unit__in=units).select_related("unit").order_by("name")


class CounterForm(forms.Form):
    office = forms.ModelChoiceField(queryset=ReceivingOffice.objects.none(), label=_("Receiving office"))
    channel = forms.TypedChoiceField(choices=COUNTER_CHANNELS, coerce=int, label=_("Received"))
    applicant_kind = forms.ChoiceField(
        choices=ApplicantKind.choices, initial=ApplicantKind.PERSON, label=_("Applicant is")
    )
    applicant_name = forms.CharField(max_length=150, label=_("Applicant"))
    applicant_id_number = forms.CharField(
        max_length=14, required=False, label=_("Citizen ID number, or tax code of an organisation")
    )
    applicant_phone = forms.CharField(
        max_length=12, required=False, validators=[phone_validator], label=_("Phone")
    )
    applicant_email = forms.EmailField(required=False, label=_("E-mail address"))
    applicant_address = forms.CharField(max_length=255, required=False, label=_("Address"))
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean(self):
        data = super().clean()
        try:
            check_applicant_id(data.get("applicant_kind", ""), data.get("applicant_id_number", ""))
        except ValidationError as error:
            self.add_error("applicant_id_number", error)
        return data


@official_required
def counter_start(request: HttpRequest) -> HttpResponse:
    """Find the procedure of the walk-in applicant."""
    offices = officer_offices(request.user)
    if not offices.exists():
        raise PermissionDenied
    query = request.GET.get("q", "")[:200]
    results = list(procedure_list(filters=ProcedureFilters(query=query))[:20]) if query else []
    return render(request, "dossiers/office/counter_start.html", {"query": query, "results": results})


@official_required
def counter_new(request: HttpRequest, code: str) -> HttpResponse:
    offices = officer_offices(request.user)
    if not offices.exists():
        raise PermissionDenied
    try:
        procedure = procedure_get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None
    version = version_current(procedure=procedure)
    if version is None:
        raise Http404
    EForm = build_form(version.form_schema, province_code=settings.CONGSO_PROVINCE_CODE)
    if request.method == "POST":
        counter = CounterForm(request.POST, offices=offices)
        form = EForm(request.POST, request.FILES)
        documents = []
        if counter.is_valid() and form.is_valid():
            documents = documents_from_form(form, version)
        if counter.is_valid() and form.is_valid():
            data = counter.cleaned_data
            try:
                dossier = services.dossier_submit(
                    version=version,
                    office=data["office"],
                    channel=data["channel"],
                    applicant=services.Applicant(
                        kind=data["applicant_kind"],
                        name=data["applicant_name"],
                        id_number=data["applicant_id_number"],
                        phone=data["applicant_phone"],
                        email=data["applicant_email"],
                        address=data["applicant_address"],
                    ),
                    form_data=form.cleaned_json(),
                    documents=documents,
                    submitted_by=request.user,
                    idempotency_key=str(data["token"]),
                )
            except ApplicationError as error:
                counter.add_error(None, error.message)
            else:
                messages.success(request, _("Dossier received."))
                return redirect("dossiers:office_detail", code=dossier.code)
    else:
        counter = CounterForm(offices=offices, initial={"token": uuid.uuid4(), "office": offices.first()})
        form = EForm()
    context = {"procedure": procedure, "version": version, "counter": counter, "form": form}
    return render(request, "dossiers/office/counter_new.html", context)


def _office_dossier_or_404(request, code: str) -> Dossier:
    try:
        return office_dossier(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


class QueueFilterForm(forms.Form):
    ma_thu_tuc = forms.CharField(required=False, max_length=20, label=_("Procedure code"))
    kenh = forms.TypedChoiceField(
        choices=[("", _("All channels")), *Channel.choices],
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Channel"),
    )
    tu_ngay = forms.DateField(
        required=False, label=_("Submitted from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = forms.DateField(required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))


@official_required
def queue(request: HttpRequest) -> HttpResponse:
    """The official's working list: one queue at a time, with the count of every queue."""
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = QueueFilters(
        procedure=data.get("ma_thu_tuc") or "",
        channel=data.get("kenh"),
        date_from=data.get("tu_ngay"),
        date_to=data.get("den_ngay"),
    )
    current = request.GET.get("hang-doi", "cho-tiep-nhan")
    title, dossiers, tabs = office_queue(user=request.user, queue=current, filters=filters)
    page = Paginator(dossiers, 25).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    query.pop("hang-doi", None)
    context = {
        "title": title,
        "page": page,
        "tabs": tabs,
        "current": current,
        "form": form,
        "query": query.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "dossiers/office/queue.html", context)


@official_required
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one dossier of the official's units: answers, documents, history. The view of the
    applicant's personal data is logged for the unit leader."""
    dossier = _office_dossier_or_404(request, code)
    personal_data_viewed(user=request.user, dossier=dossier, what="dossier_detail", request=request)
    events = dossier.events.select_related("actor", "unit").order_by("at", "id")
    moves = [move for move in workflow.available(dossier) if move.name in OFFICE_MOVES]
    route = list(dossier.steps.select_related("unit", "finished_by"))
    for step in route:
        step.may_finish = step.status == StepStatus.ACTIVE and may_complete(user=request.user, step=step)
    forward_offices = []
    if any(move.name == "forward" for move in moves):
        forward_offices = ReceivingOffice.objects.exclude(pk=dossier.office_id).order_by("code")
    from congso.payments.selectors import fee_requests_of_dossier

    context = {
        "fee_requests": list(fee_requests_of_dossier(dossier=dossier)),
        "fee_issue_url": reverse("payments:issue", args=[dossier.code])
        if dossier.status not in CLOSED
        else "",
        "steps": route,
        "forward_offices": forward_offices,
        "can_consult": dossier.status in STEPS_RUN,
        "dossier": dossier,
        "events": events,
        "documents": dossier.documents.all(),
        "now": timezone.now(),
        "moves": moves,
        "delivery_methods": ResultDelivery.choices,
    }
    return render(request, "dossiers/office/detail.html", context)


@official_required
def counter_receipt(request: HttpRequest, code: str) -> HttpResponse:
    from congso.dossiers.receipts import receipt_pdf

    dossier = _office_dossier_or_404(request, code)
    personal_data_viewed(user=request.user, dossier=dossier, what="receipt", request=request)
    response = HttpResponse(receipt_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


@official_required
def on_time(request: HttpRequest) -> HttpResponse:
    """On-time figures of the month per unit and per officer in charge (the month in ``?thang=2026-03``)."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("thang", "").split("-"))
        first = datetime.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    units, officers = on_time_figures(
        dossiers=office_dossiers(user=request.user),
        start=datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
        end=datetime.datetime.combine(following, datetime.time.min, tzinfo=tz),
    )
    if request.GET.get("dinh-dang") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dung-han-{first:%Y-%m}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark
        writer = csv.writer(response)
        writer.writerow(
            ["Loại", "Tên", "Đã giải quyết", "Đúng hạn", "Trước hạn", "Quá hạn", "Tỷ lệ đúng hạn (%)"]
        )
        for kind, rows in (("Đơn vị", units), ("Cán bộ thụ lý", officers)):
            for row in rows:
                name = row.name or "(chưa phân công)"
                rate = "" if row.rate is None else row.rate
                writer.writerow([kind, name, row.finished, row.on_time, row.early, row.late, rate])
        return response
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    context = {
        "month": first,
        "previous": previous,
        "following": following if following <= today else None,
        "units": units,
        "officers": officers,
    }
    return render(request, "dossiers/office/on_time.html", context)

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.models import CitizenProfile
from congso.catalog.constants import Channel, FieldType
from congso.catalog.eform import build_form, field_groups
from congso.catalog.models import Procedure
from congso.catalog.selectors import procedure_get, version_current
from congso.core.exceptions import ApplicationError
from congso.core.storage import stored_files
from congso.dossiers import services
from congso.dossiers.documents import documents_from_form
from congso.dossiers.forms import OfficeForm
from congso.dossiers.models import Dossier, DossierDraft, DraftDocument
from congso.dossiers.selectors import (
    dossier_for_applicant,
    dossiers_of_applicant,
    draft_for,
    offices_for_citizens,
)


def _procedure_or_404(code: str) -> Procedure:
    try:
        return procedure_get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None


def submission_form(request: HttpRequest, code: str) -> HttpResponse:
    """The page every QR code opens: the procedure's e-form. Anonymous visitors see it and are asked to sign
    in to submit; a signed-in citizen fills it in, and it is saved as a draft before the check page."""
    procedure = _procedure_or_404(code)
    version = version_current(procedure=procedure)
    if version is None or not version.form_schema:
        return render(request, "dossiers/portal/no_eform.html", {"procedure": procedure, "version": version})
    EForm = build_form(version.form_schema, province_code=settings.CONGSO_PROVINCE_CODE)
    offices = offices_for_citizens()
    draft = None
    if request.user.is_authenticated:
        draft = (
            DossierDraft.objects.filter(user=request.user, version=version, dossier__isnull=True)
            .prefetch_related("documents")
            .first()
        )
    have_files = {doc.field_name: doc for doc in draft.documents.all()} if draft else {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = EForm(request.POST, request.FILES)
        _relax_uploads_already_given(form, have_files)
        office_form = OfficeForm(request.POST, offices=offices)
        cleaned_files = []
        if form.is_valid():
            cleaned_files = documents_from_form(form, version)
        if form.is_valid() and office_form.is_valid():
            try:
                draft = _save_draft(
                    request.user, version, draft, office_form.cleaned_data["office"], form, cleaned_files
                )
            except ApplicationError as error:  # the disk is full: nothing was kept, say so
                form.add_error(None, error.message)
            else:
                return redirect("dossiers:check", token=draft.token)
    else:
        initial = dict(draft.form_data) if draft else _initial_from_profile(request.user, version.form_schema)
        form = EForm(initial=_widget_initial(initial, version.form_schema))
        _relax_uploads_already_given(form, have_files)
        office_form = OfficeForm(initial={"office": draft.office_id if draft else None}, offices=offices)
    context = {
        "procedure": procedure,
        "version": version,
        "form": form,
        "groups": field_groups(form),
        "office_form": office_form,
        "have_files": have_files,
        "draft": draft,
    }
    return render(request, "dossiers/portal/submission_form.html", context)


def _relax_uploads_already_given(form, have_files: dict) -> None:
    for name in have_files:
        if name in form.fields:
            form.fields[name].required = False


def _initial_from_profile(user, schema) -> dict:
    """Fill what the account already knows, so that an elderly applicant types as little as possible."""
    if not user.is_authenticated:
        return {}
    profile = CitizenProfile.objects.filter(user=user).first()
    known = {
        "applicant_name": user.full_name,
        "applicant_email": user.email,
        "applicant_phone": user.phone,
        "applicant_id": profile.citizen_id if profile else "",
    }
    names = {spec["name"] for spec in schema}
    return {k: v for k, v in known.items() if k in names and v}


def _widget_initial(data: dict, schema) -> dict:
    """Stored answers back into form initial values (the address is one dict, its widget three values)."""
    initial = dict(data)
    for spec in schema:
        if spec["type"] == FieldType.ADDRESS and isinstance(data.get(spec["name"]), dict):
            initial[spec["name"]] = data[spec["name"]]
    return initial


@transaction.atomic
def _save_draft(user, version, draft, office, form, cleaned_files) -> DossierDraft:
    if draft is None:
        draft = DossierDraft(user=user, version=version, token=uuid.uuid4())
    draft.office = office
    draft.form_data = form.cleaned_json()
    draft.save()
    with stored_files() as saved:
        for prepared in cleaned_files:
            DraftDocument.objects.filter(draft=draft, field_name=prepared.field_name).delete()
            document = DraftDocument(
                draft=draft,
                field_name=prepared.field_name,
                label=prepared.label,
                content_type=prepared.content_type,
                size=prepared.size,
                sha256=prepared.sha256,
                page_count=prepared.page_count,
            )
            saved.save(document.file, prepared.content.name, prepared.content)
            document.save()
    return draft


@login_required
def check_answers(request: HttpRequest, token) -> HttpResponse:
    """ "Check your answers" before submitting; nothing is sent until the citizen confirms."""
    try:
        draft = draft_for(user=request.user, token=token)
    except DossierDraft.DoesNotExist:
        raise Http404 from None
    if draft.dossier_id:
        return redirect("dossiers:confirmation", code=draft.dossier.code)
    schema = draft.version.form_schema
    answers = []
    for spec in schema:
        if spec["type"] == FieldType.UPLOAD:
            continue
        answers.append((spec["label"], _display(spec, draft.form_data.get(spec["name"]))))
    context = {"draft": draft, "answers": answers, "documents": draft.documents.all()}
    return render(request, "dossiers/portal/check.html", context)


def _display(spec, value) -> str:
    if value in (None, ""):
        return "—"
    if spec["type"] == FieldType.CHOICE:
        return dict(map(tuple, spec.get("choices", []))).get(value, value)
    if spec["type"] == FieldType.ADDRESS and isinstance(value, dict):
        from congso.geo.models import AdministrativeUnit

        names = dict(
            AdministrativeUnit.objects.filter(
                code__in=[value.get("commune_code"), value.get("hamlet_code")]
            ).values_list("code", "full_name")
        )
        parts = [
            value.get("street"),
            names.get(value.get("hamlet_code")),
            names.get(value.get("commune_code")),
        ]
        return ", ".join(p for p in parts if p)
    if spec["type"] == FieldType.DATE:
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


@login_required
@require_POST
def submit(request: HttpRequest, token) -> HttpResponse:
    """Submit the draft. The draft's token is the idempotency key: a double click creates one dossier."""
    try:
        draft = draft_for(user=request.user, token=token)
    except DossierDraft.DoesNotExist:
        raise Http404 from None
    if draft.office is None:
        messages.error(request, _("Choose a service centre."))
        return redirect("catalog:procedure_submit", code=draft.version.procedure.code)
    data = draft.form_data
    user = request.user
    applicant = services.Applicant(
        name=data.get("applicant_name") or user.full_name or user.email,
        id_number=data.get("applicant_id", ""),
        phone=data.get("applicant_phone") or user.phone,
        email=data.get("applicant_email") or user.email,
        address=_address_text(draft),
    )
    documents = [
        services.PreparedDocument(
            label=doc.label,
            content=ContentFile(doc.file.read(), name=doc.file.name.rsplit("/", 1)[-1]),
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
            field_name=doc.field_name,
            page_count=doc.page_count,
        )
        for doc in draft.documents.all()
    ]
    try:
        with transaction.atomic():
            dossier = services.dossier_submit(
                version=draft.version,
                office=draft.office,
                channel=Channel.ONLINE,
                applicant=applicant,
                form_data=data,
                documents=documents,
                submitted_by=user,
                applicant_user=user,
                idempotency_key=str(draft.token),
            )
            DossierDraft.objects.filter(pk=draft.pk).update(dossier=dossier)
            # The dossier holds its own copies: the draft's files (personal documents) go once it is safe.
            transaction.on_commit(lambda: _discard_draft_files(draft))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("dossiers:check", token=draft.token)
    return redirect("dossiers:confirmation", code=dossier.code)


def _discard_draft_files(draft: DossierDraft) -> None:
    for document in draft.documents.all():
        document.file.delete(save=False)
        document.delete()


def _address_text(draft) -> str:
    for spec in draft.version.form_schema:
        if spec["type"] == FieldType.ADDRESS and spec["name"].startswith("applicant"):
            return _display(spec, draft.form_data.get(spec["name"]))
    return ""


@login_required
def confirmation(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier_or_404(request, code)
    return render(request, "dossiers/portal/confirmation.html", {"dossier": dossier})


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    from congso.dossiers.receipts import receipt_pdf

    dossier = _own_dossier_or_404(request, code)
    response = HttpResponse(receipt_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    page = Paginator(dossiers_of_applicant(user=request.user), 20).get_page(request.GET.get("trang"))
    drafts = DossierDraft.objects.filter(user=request.user, dossier__isnull=True).select_related(
        "version__procedure"
    )
    return render(request, "dossiers/portal/my_dossiers.html", {"page": page, "drafts": drafts})


@login_required
def my_dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    from congso.payments.selectors import fee_requests_of_dossier

    dossier = _own_dossier_or_404(request, code)
    events = dossier.events.select_related("unit").order_by("at", "id")
    context = {
        "dossier": dossier,
        "events": events,
        "documents": dossier.documents.all(),
        "fee_requests": list(fee_requests_of_dossier(dossier=dossier)),
    }
    return render(request, "dossiers/portal/detail.html", context)


def _own_dossier_or_404(request, code: str) -> Dossier:
    try:
        return dossier_for_applicant(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None

"""Dossiers through the API: submission by token-authenticated clients (the mobile app, the national portal),
their own dossiers, and the public status lookup."""

import json
from datetime import datetime
from typing import Any

import pydantic
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from congso.api.auth import token_auth
from congso.catalog.constants import Channel, FieldType
from congso.catalog.eform import build_form, phone_validator
from congso.catalog.models import Procedure
from congso.catalog.selectors import procedure_get, version_current
from congso.core.ratelimit import client_ip, rate_limited
from congso.dossiers import services
from congso.dossiers.constants import ApplicantKind
from congso.dossiers.documents import documents_from_form
from congso.dossiers.forms import check_applicant_id
from congso.dossiers.models import Dossier
from congso.dossiers.selectors import dossier_public_lookup, offices_for_citizens
from congso.dossiers.views.lookup import LOOKUPS_PER_WINDOW, WINDOW_SECONDS

router = Router(tags=["dossiers"], auth=token_auth)

IDEMPOTENCY_KEY_MAX = 64  # Dossier.idempotency_key


class ApplicantIn(Schema):
    kind: str = Field("person", description="person (cá nhân) or organisation (tổ chức)")
    name: str
    id_number: str = Field("", description="Số định danh cá nhân, 12 digits")
    phone: str = ""
    email: str = ""
    address: str = ""


class DossierIn(Schema):
    procedure: str = Field(description="National procedure code, e.g. 1.001193")
    office: str = Field(description="Electronic identifier code of the receiving office, e.g. 000.00.64.H12")
    applicant: ApplicantIn
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="The e-form answers by field name; an address is "
        '{"commune_code": …, "hamlet_code": …, "street": …}; dates are YYYY-MM-DD',
    )


class ProcedureRef(Schema):
    code: str
    name: str


class OfficeRef(Schema):
    code: str
    name: str


class DocumentOut(Schema):
    label: str
    content_type: str
    size: int


class EventOut(Schema):
    at: datetime
    kind: str
    status_to: str


class DossierOut(Schema):
    code: str
    lookup_key: str
    procedure: ProcedureRef
    office: OfficeRef
    status: str
    national_status: int = Field(description="TrangThaiHoSo of the national portal, 1–10")
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    documents: list[DocumentOut]
    events: list[EventOut]

    @staticmethod
    def resolve_documents(obj: Dossier):
        return list(obj.documents.all())

    @staticmethod
    def resolve_events(obj: Dossier):
        return list(obj.events.all())


class StatusOut(Schema):
    code: str
    status: str
    national_status: int


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class ApplicantForm(forms.Form):
    """The rules of the applicant's fields, as at the counter (the e-form has its own)."""

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or ApplicantKind.PERSON
        try:
            check_applicant_id(data["kind"], data.get("id_number", ""))
        except ValidationError as error:
            self.add_error("id_number", error)
        return data

    kind = forms.ChoiceField(choices=ApplicantKind.choices, required=False)
    name = forms.CharField(max_length=150)
    id_number = forms.CharField(required=False, max_length=14)
    phone = forms.CharField(required=False, max_length=15, validators=[phone_validator])
    email = forms.EmailField(required=False)
    address = forms.CharField(required=False, max_length=255)


def _inline_refs(schema: dict) -> dict:
    """A pydantic JSON schema with its ``$defs`` written in place, to embed it in the OpenAPI document."""
    definitions = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return inline(schema)


_PAYLOAD_SCHEMA = _inline_refs(DossierIn.model_json_schema())
SUBMIT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["payload"],
                    "properties": {"payload": _PAYLOAD_SCHEMA},
                    "additionalProperties": {"type": "string", "format": "binary"},
                },
                "encoding": {"payload": {"contentType": "application/json"}},
            },
            "application/json": {"schema": _PAYLOAD_SCHEMA},
        },
    }
}


def _submitted_by(user) -> QuerySet[Dossier]:
    """The dossiers an API client's account submitted: all it may see."""
    return (
        Dossier.objects.filter(submitted_by=user)
        .select_related("procedure", "office")
        .prefetch_related("documents", "events")
    )


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        400,
        {
            "code": "invalid",
            "message": _("The dossier was not accepted: correct the fields listed in “errors”."),
            "errors": errors,
        },
    )


def _not_found(message: str) -> Status:
    return Status(404, {"code": "not_found", "message": message})


def _payload(request) -> tuple[DossierIn | None, dict[str, list[str]]]:
    raw = request.body if request.content_type == "application/json" else request.POST.get("payload")
    if not raw:
        return None, {"payload": [_("This field is required.")]}
    try:
        data = json.loads(raw)
    except ValueError:
        return None, {"payload": [_("Enter a valid value.")]}
    try:
        return DossierIn.model_validate(data), {}
    except pydantic.ValidationError as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "payload"
            message = _("This field is required.") if item["type"] == "missing" else _("Enter a valid value.")
            errors.setdefault(field, []).append(message)
        return None, errors


def _form_data(schema: list[dict], answers: dict) -> tuple[dict, dict[str, list[str]]]:
    """JSON answers as the e-form's widgets post them: an address is three values ``<name>_commune``,
    ``<name>_hamlet`` and ``<name>_street``; everything else one string."""
    data, errors = {}, {}
    for spec in schema:
        name, value = spec["name"], answers.get(spec["name"])
        if spec["type"] == FieldType.UPLOAD or value is None:
            continue
        if spec["type"] == FieldType.ADDRESS:
            if not isinstance(value, dict):
                errors[f"answers.{name}"] = [_("Enter a valid value.")]
                continue
            for part, key in (("commune", "commune_code"), ("hamlet", "hamlet_code"), ("street", "street")):
                data[f"{name}_{part}"] = str(value.get(key) or "")
        elif isinstance(value, dict | list):
            errors[f"answers.{name}"] = [_("Enter a valid value.")]
        else:
            data[name] = str(value)
    return data, errors


@router.post(
    "",
    response={200: DossierOut, 201: DossierOut, 400: ErrorOut, 404: ErrorOut},
    openapi_extra=SUBMIT_OPENAPI,
)
def dossier_create(
    request,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        description="At most 64 characters. A retry with the same key returns the dossier already created "
        "(200) instead of creating another (201); the retry's body is not compared.",
    ),
):
    """Submit a dossier online (channel 2) on behalf of an applicant; it waits for acceptance at the office.

    The body is either ``multipart/form-data`` with a ``payload`` field holding the JSON below and one file
    per upload field of the e-form, named after the field (PDF, JPEG or PNG, at most 10 MB; checked by
    content, not by name), or ``application/json`` with the same JSON when the e-form has no required upload.
    ``answers`` are validated against the e-form of the procedure's current version
    (``GET /api/v1/procedures/{code}``, ``form_schema``).

    Errors: 400 ``{"code": "invalid", "message", "errors": {field: [messages]}}`` with fields named
    ``procedure``, ``office``, ``applicant.<name>``, ``answers.<name>`` or the upload field's name; 404 for an
    unknown procedure or office. Messages are in Vietnamese. A refused request stores nothing.
    """
    user = request.auth
    key = idempotency_key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return _invalid({"Idempotency-Key": [_("The Idempotency-Key header has at most 64 characters.")]})
    if key and (existing := _submitted_by(user).filter(idempotency_key=key).first()):
        return Status(200, existing)

    payload, errors = _payload(request)
    if payload is None:
        return _invalid(errors)
    try:
        procedure = procedure_get(code=payload.procedure)
    except Procedure.DoesNotExist:
        return _not_found(
            _("Unknown procedure codes, or no longer in use: %(codes)s.") % {"codes": payload.procedure}
        )
    version = version_current(procedure=procedure)
    if version is None or not version.form_schema:
        message = _(
            "This procedure cannot be submitted online yet. Please bring your documents to the one-stop "
            "counter of any commune of the province."
        )
        return Status(400, {"code": "not_online", "message": message})
    office = offices_for_citizens().filter(code=payload.office).first()
    if office is None:
        return _not_found(_("Unknown receiving office: %(code)s.") % {"code": payload.office})

    applicant_form = ApplicantForm(payload.applicant.model_dump())
    if not applicant_form.is_valid():
        errors.update(
            {f"applicant.{name}": list(messages) for name, messages in applicant_form.errors.items()}
        )
    schema = version.form_schema
    data, answer_errors = _form_data(schema, payload.answers)
    uploads = {s["name"] for s in schema if s["type"] == FieldType.UPLOAD}
    files = {name: request.FILES[name] for name in uploads if name in request.FILES}
    form = build_form(schema, province_code=settings.CONGSO_PROVINCE_CODE)(data, files)
    documents = documents_from_form(form, version) if form.is_valid() else []
    for name, messages in form.errors.items():
        field = name if name in uploads else "answers" if name == NON_FIELD_ERRORS else f"answers.{name}"
        if field not in answer_errors:
            errors[field] = list(messages)
    errors.update(answer_errors)
    if errors:
        return _invalid(errors)

    try:
        with transaction.atomic():
            # Again inside the transaction, for a retry that raced this request (SQLite's IMMEDIATE
            # transactions serialise the two; on PostgreSQL the unique constraint stops the second, below).
            if key and (existing := _submitted_by(user).filter(idempotency_key=key).first()):
                return Status(200, existing)
            dossier = services.dossier_submit(
                version=version,
                office=office,
                channel=Channel.ONLINE,
                applicant=services.Applicant(**applicant_form.cleaned_data),
                form_data=form.cleaned_json(),
                documents=documents,
                submitted_by=user,
                applicant_user=None,
                idempotency_key=key,
            )
    except IntegrityError:
        # PostgreSQL: a concurrent retry committed the same key first (unique constraint).
        existing = _submitted_by(user).filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return Status(200, existing)
    return Status(201, _submitted_by(user).get(pk=dossier.pk))


# Before "/{code}", which would take "status" for a dossier code.
@router.get("/status", response={200: StatusOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def dossier_status(request, code: str = "", key: str = ""):
    """Public status lookup by dossier code and the lookup key printed on the receipt: only the code and the
    status, as anybody may see without signing in. Rate-limited per client address (429)."""
    if rate_limited(
        key=f"lookup:{client_ip(request)}", limit=LOOKUPS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    ):
        message = _("Too many lookups from this connection. Please wait ten minutes and try again.")
        return Status(429, {"code": "rate_limited", "message": message})
    dossier = dossier_public_lookup(code=code, lookup_key=key)
    if dossier is None:
        return _not_found(_("No dossier matches this code and lookup key. Check both against your receipt."))
    return Status(
        200, {"code": dossier.code, "status": dossier.status, "national_status": dossier.national_status}
    )


@router.get("/{code}", response={200: DossierOut, 404: ErrorOut})
def dossier_detail(request, code: str):
    """A dossier this client submitted, with its documents and history. Any other code is 404."""
    dossier = _submitted_by(request.auth).filter(code=code).first()
    if dossier is None:
        return _not_found(_("Dossier not found."))
    return Status(200, dossier)

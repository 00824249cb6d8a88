import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.catalog.constants import Channel
from congso.core.models import TimeStampedModel
from congso.dossiers.constants import (
    NATIONAL_CODE,
    ApplicantKind,
    DossierOutcome,
    DossierStatus,
    EventKind,
    ResultDelivery,
    StepKind,
    StepStatus,
)


class ReceivingOffice(models.Model):
    """A place that receives dossiers (a commune's or the province's service centre) and the electronic
    identifier code (QCVN 102:2016) that starts every dossier code it issues, e.g. ``000.00.12.H12``."""

    unit = models.OneToOneField(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="receiving_office",
    )
    code = models.CharField(_("electronic identifier code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("receiving office")
        verbose_name_plural = _("receiving offices")

    def __str__(self) -> str:
        return self.name


class DossierSequence(models.Model):
    """The last number issued by an office on a day. Incremented under a row lock in the transaction that
    creates the dossier, so numbers are never duplicated and, since a rollback undoes both, never skipped."""

    office_code = models.CharField(max_length=40)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office_code", "day"], name="dossiers_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_code} {self.day}: {self.last_number}"


class Dossier(TimeStampedModel):
    code = models.CharField(_("dossier code"), max_length=64, unique=True)  # mã hồ sơ
    lookup_key = models.CharField(_("lookup key"), max_length=12)
    version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    office = models.ForeignKey(
        ReceivingOffice, verbose_name=_("receiving office"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=DossierStatus.choices, db_index=True)
    # Applicant (chủ hồ sơ)
    applicant_kind = models.CharField(
        _("applicant is"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("applicant"), max_length=150)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("e-mail address"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The officer at the counter, or whoever submitted for the applicant."),
    )
    form_data = models.JSONField(_("e-form answers"), default=dict)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    # Every timestamp the law needs.
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    processing_ended_at = models.DateTimeField(_("processing ended at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    # The back office (congso.dossiers.transitions).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),  # cán bộ thụ lý
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    supplement_requests = models.PositiveSmallIntegerField(
        _("supplement requests"),
        default=0,
        help_text=_("The national scoring counts a dossier with more than one request as overdue."),
    )
    clock_paused_at = models.DateTimeField(
        _("waiting for a supplement since"),
        null=True,
        blank=True,
        help_text=_("Set while the applicant is asked for a supplement after acceptance."),
    )
    paused_working_time = models.DurationField(
        _("working time waiting for supplements"), default=datetime.timedelta
    )
    extended_at = models.DateTimeField(
        _("apology and new date sent at"),  # Mẫu 04: only once
        null=True,
        blank=True,
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=DossierOutcome.choices, blank=True)
    result_document = models.ForeignKey(
        "DossierDocument",
        verbose_name=_("electronic result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result_delivery = models.CharField(
        _("result delivered by"), max_length=16, choices=ResultDelivery.choices, blank=True
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossiers_idempotency_unique",
            )
        ]
        indexes = [
            models.Index(fields=["office", "status", "submitted_at"]),
            # The officers' queues: per office and status, in due-date order.
            models.Index(fields=["office", "status", "due_at"], name="dossiers_queue_due_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def national_status(self) -> int:
        return NATIONAL_CODE[DossierStatus(self.status)]


class DossierDocument(models.Model):
    """A file attached to a dossier, for one component (or one upload field of the e-form)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    component = models.ForeignKey(
        "catalog.DossierComponent",
        verbose_name=_("dossier component"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field_name = models.CharField(_("e-form field"), max_length=50, blank=True)
    label = models.CharField(_("document"), max_length=255)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.label


class DossierEvent(models.Model):
    """One step of the dossier's life: who, when, which unit, what, and the step's own deadline."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_from = models.CharField(_("from status"), max_length=16, choices=DossierStatus.choices, blank=True)
    status_to = models.CharField(_("to status"), max_length=16, choices=DossierStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ProcessingStep(models.Model):
    """One agency's part of the processing (ONE-STOP.md: one-stop → specialist department → leader's
    approval → one-stop), or a consultation of another body. Steps with the same ``stage`` run in parallel;
    stages run in order. Each step's deadline is its share of the dossier's processing time, planned when
    processing starts."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices, default=StepKind.PROCESS)
    stage = models.PositiveSmallIntegerField(_("stage"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("step"), max_length=255)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("done by"), max_length=32, blank=True)  # a StaffRole; empty for a consultation
    share = models.DecimalField(_("share of the time (%)"), max_digits=5, decimal_places=2, default=0)
    question = models.TextField(_("question"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finished by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["dossier", "stage", "position", "id"]
        indexes = [models.Index(fields=["dossier", "status"])]

    def __str__(self) -> str:
        return f"{self.dossier} {self.stage}.{self.position} {self.label}"

    @property
    def on_time(self) -> bool | None:
        if self.finished_at is None or self.due_at is None:
            return None
        return self.finished_at <= self.due_at


class DossierDraft(TimeStampedModel):
    """An online dossier being prepared: saved answers and documents, resumed later, submitted once.

    Its ``token`` is the idempotency key of the submission: a double click or a re-sent form finds the dossier
    already created.
    """

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="dossier_drafts",
    )
    version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    office = models.ForeignKey(
        ReceivingOffice,
        verbose_name=_("receiving office"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    form_data = models.JSONField(_("e-form answers"), default=dict)
    dossier = models.OneToOneField(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft",
    )

    class Meta:
        verbose_name = _("draft dossier")
        verbose_name_plural = _("draft dossiers")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.token)


class DraftDocument(models.Model):
    draft = models.ForeignKey(DossierDraft, on_delete=models.CASCADE, related_name="documents")
    field_name = models.CharField(max_length=50)
    label = models.CharField(max_length=255)
    file = models.FileField(upload_to="drafts/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "field_name"], name="dossiers_draftdoc_unique")
        ]

    def __str__(self) -> str:
        return self.label

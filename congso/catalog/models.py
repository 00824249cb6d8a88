import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.catalog.constants import Channel, OnlineLevel, ResultType, SupplementRule, TimeUnit
from congso.core.models import TimeStampedModel
from congso.core.text import fold


class Procedure(TimeStampedModel):
    """An administrative procedure (thủ tục hành chính) as published in the national database.

    Codes and names are kept exactly as published; the content that changes with each publication decision
    lives in :class:`ProcedureVersion`.
    """

    code = models.CharField(_("national code"), max_length=20, unique=True)  # mã thủ tục, e.g. 1.001193
    name = models.TextField(_("name"))
    field = models.CharField(_("field"), max_length=255, blank=True, db_index=True)  # lĩnh vực
    levels = models.CharField(
        _("levels"), max_length=255, blank=True, help_text=_("As published (cấp thực hiện).")
    )
    at_commune = models.BooleanField(_("done at commune level"), default=False, db_index=True)
    at_province = models.BooleanField(_("done at province level"), default=False, db_index=True)
    at_central = models.BooleanField(_("done at central level"), default=False)
    issuing_body = models.CharField(_("issuing ministry"), max_length=255, blank=True)
    implementing_agency = models.TextField(_("implementing agency"), blank=True)  # cơ quan thực hiện
    competent_authority = models.TextField(_("competent authority"), blank=True)  # cơ quan có thẩm quyền
    procedure_type = models.CharField(_("procedure type"), max_length=255, blank=True)
    applicants = models.TextField(_("who may apply"), blank=True)  # đối tượng thực hiện
    result_type = models.CharField(_("result type"), max_length=10, choices=ResultType.choices, blank=True)
    online_level = models.CharField(_("online level"), max_length=12, choices=OnlineLevel.choices, blank=True)
    popularity = models.PositiveIntegerField(
        _("popularity"), default=0, help_text=_("Higher comes first in search among equal matches.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    source_url = models.URLField(_("source page"), max_length=500, blank=True)
    search_name = models.TextField(_("name without accents"), editable=False, default="")
    search_extra = models.TextField(_("other searchable text without accents"), editable=False, default="")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.refresh_search_keys()
        super().save(*args, **kwargs)

    def refresh_search_keys(self) -> None:
        self.search_name = fold(self.name)
        self.search_extra = fold(f"{self.code} {self.field} {self.implementing_agency} {self.issuing_body}")


class ProcedureVersionQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        return self.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on)).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )


class ProcedureVersion(TimeStampedModel):
    """What a procedure requires under one publication decision. A dossier keeps the version it was submitted
    under, so a version in use is never edited in place: publish a new one."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    publication_decision = models.CharField(
        _("publication decision"), max_length=255, blank=True
    )  # QĐ công bố
    steps = models.TextField(_("steps"), blank=True)  # trình tự thực hiện
    conditions = models.TextField(_("requirements and conditions"), blank=True)  # yêu cầu, điều kiện
    result_description = models.TextField(_("result"), blank=True)  # kết quả thực hiện
    legal_basis = models.TextField(_("legal basis"), blank=True)  # căn cứ pháp lý
    supplement_rule = models.CharField(
        _("when a supplement is requested"),
        max_length=10,
        choices=SupplementRule.choices,
        default=SupplementRule.PAUSE,
    )
    form_schema = models.JSONField(_("e-form fields"), default=list, blank=True)
    # The agencies that process a dossier, in stages with their share of the time (congso.catalog.route).
    route = models.JSONField(_("processing route"), default=list, blank=True)
    components_raw = models.TextField(_("dossier components as published"), blank=True)
    processing_raw = models.TextField(_("processing time as published"), blank=True)
    fees_raw = models.TextField(_("fees as published"), blank=True)
    is_structured = models.BooleanField(
        _("fully structured"),
        default=False,
        help_text=_("Components, deadlines, fees and e-form checked and entered in full."),
    )

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    def clean(self):
        from congso.catalog.eform import validate_schema

        validate_schema(self.form_schema)
        from congso.catalog.route import validate_route

        validate_route(self.route)


class DossierComponent(models.Model):
    """One document of the dossier (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="components"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.TextField(_("document"))
    required = models.BooleanField(_("required"), default=True)
    originals = models.PositiveSmallIntegerField(_("originals"), null=True, blank=True)  # bản chính
    certified_copies = models.PositiveSmallIntegerField(
        _("certified copies"), null=True, blank=True
    )  # bản sao
    photocopies = models.PositiveSmallIntegerField(_("photocopies"), null=True, blank=True)  # bản photo
    template_name = models.CharField(_("form template"), max_length=255, blank=True)  # mẫu đơn, tờ khai
    template_file = models.FileField(_("template file"), upload_to="catalog/templates/", blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessingTime(models.Model):
    """The legal deadline for one channel (thời hạn giải quyết)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="processing_times"
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    value = models.DecimalField(_("time"), max_digits=7, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=TimeUnit.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    raw = models.TextField(_("as published"), blank=True)

    class Meta:
        verbose_name = _("processing time")
        verbose_name_plural = _("processing times")
        ordering = ["version", "channel"]
        constraints = [models.UniqueConstraint(fields=["version", "channel"], name="catalog_time_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.value} {self.get_unit_display()}"


class FeeItem(models.Model):
    """A fee or charge (phí, lệ phí); ``channel`` empty means every channel."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="fees"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"), null=True, blank=True)
    exemptions = models.TextField(_("exemptions"), blank=True)  # đối tượng miễn, giảm
    raw = models.TextField(_("as published"), blank=True)

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name

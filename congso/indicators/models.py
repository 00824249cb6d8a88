from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.indicators.constants import (
    AggregationType,
    AlertKind,
    AlertStatus,
    JobStatus,
    PeriodType,
    Pillar,
    Rag,
    ValueType,
)


class Domain(models.Model):
    """A management domain (lĩnh vực quản lý)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OptionSet(models.Model):
    """The one optional breakdown of an element (e.g. sex, urban/rural)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")

    def __str__(self) -> str:
        return self.name


class Option(models.Model):
    option_set = models.ForeignKey(OptionSet, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["option_set", "code"], name="indicators_option_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReportingForm(models.Model):
    """A reporting form (loại dữ liệu): a set of elements reported together by one agency."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="forms"
    )
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    owner_agency = models.CharField(_("owner agency"), max_length=255, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days after the period ends)"), default=10)
    unit_level = models.CharField(
        _("reported by units of level"),
        max_length=10,
        default="commune",
        help_text=_("province, commune or hamlet: who is expected to report (completeness)."),
    )
    is_computed = models.BooleanField(_("computed by congso"), default=False)

    class Meta:
        verbose_name = _("reporting form")
        verbose_name_plural = _("reporting forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    """A data element (trường thông tin)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    form = models.ForeignKey(
        ReportingForm, verbose_name=_("reporting form"), on_delete=models.PROTECT, related_name="elements"
    )
    value_type = models.CharField(
        _("value type"), max_length=12, choices=ValueType.choices, default=ValueType.NUMBER
    )
    aggregation_type = models.CharField(
        _("aggregation type"), max_length=8, choices=AggregationType.choices, default=AggregationType.SUM
    )
    option_set = models.ForeignKey(
        OptionSet, verbose_name=_("breakdown"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class DataValue(models.Model):
    """One reported or computed value. ``option`` is "" when the element has no breakdown."""

    element = models.ForeignKey(DataElement, verbose_name=_("data element"), on_delete=models.PROTECT)
    unit = models.ForeignKey("geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=8)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    option = models.CharField(_("breakdown option"), max_length=50, blank=True, default="")
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=60, blank=True)
    stored_by = models.CharField(_("stored by"), max_length=150, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "unit", "period", "option"], name="indicators_value_unique"
            )
        ]
        indexes = [models.Index(fields=["element", "period_start"], name="indicators_value_elem_start")]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.unit_id}/{self.period}"


class RollupValue(models.Model):
    """A value aggregated up the unit tree and over periods, by the element's aggregation type. Option "" is
    the total over the breakdown. Rebuilt by ``rollup.rollup_refresh``; dashboards read only this table."""

    element = models.ForeignKey(DataElement, on_delete=models.CASCADE)
    unit = models.ForeignKey("geo.AdministrativeUnit", on_delete=models.CASCADE)
    period = models.CharField(max_length=8)
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    year = models.PositiveSmallIntegerField()
    option = models.CharField(max_length=50, blank=True, default="")
    value = models.FloatField()

    class Meta:
        verbose_name = _("aggregated value")
        verbose_name_plural = _("aggregated values")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "unit", "period", "option"], name="indicators_rollup_unique"
            )
        ]
        indexes = [
            models.Index(fields=["element", "year"], name="indicators_rollup_elem_year"),
            models.Index(fields=["unit", "period"], name="indicators_rollup_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.unit_id}/{self.period}"


class LegendSet(models.Model):
    """Red/amber/green bands applied to an indicator's achievement (value ÷ target × 100), or to the value
    itself when no target is set."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("legend set")
        verbose_name_plural = _("legend sets")

    def __str__(self) -> str:
        return self.name

    def classify(self, value: float | None) -> "Legend | None":
        if value is None:
            return None
        for legend in self.legends.all():
            if legend.start <= value < legend.end:
                return legend
        return None


class Legend(models.Model):
    legend_set = models.ForeignKey(LegendSet, on_delete=models.CASCADE, related_name="legends")
    start = models.FloatField(_("from (included)"))
    end = models.FloatField(_("to (excluded)"))
    rag = models.CharField(_("colour"), max_length=6, choices=Rag.choices)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    """numerator ÷ denominator × factor over element codes; numerator and denominator are aggregated over
    units and periods first, the division comes last."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    definition = models.TextField(_("definition"), blank=True)
    numerator = models.CharField(_("numerator"), max_length=2000)
    numerator_label = models.CharField(_("numerator description"), max_length=255, blank=True)
    denominator = models.CharField(_("denominator"), max_length=2000, default="1")
    denominator_label = models.CharField(_("denominator description"), max_length=255, blank=True)
    factor = models.FloatField(_("factor"), default=1)
    unit_label = models.CharField(_("unit of measure"), max_length=30, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=PeriodType.choices, default=PeriodType.YEARLY
    )
    source = models.CharField(_("data source"), max_length=255, blank=True)
    lead_agency = models.CharField(_("lead agency"), max_length=255, blank=True)
    legend_set = models.ForeignKey(LegendSet, null=True, blank=True, on_delete=models.SET_NULL)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pillar", "position", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from congso.indicators.expressions import parse

        parse(self.numerator)
        parse(self.denominator)


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("target"))
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("e.g. resolution 05-NQ/TU")
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="indicators_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value:g}"


class AlertRule(models.Model):
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.CASCADE)
    form = models.ForeignKey(ReportingForm, null=True, blank=True, on_delete=models.CASCADE)
    threshold_percent = models.FloatField(_("drop threshold (%)"), default=10)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    unit = models.ForeignKey("geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.CASCADE)
    period = models.CharField(_("period"), max_length=8)
    message = models.CharField(_("message"), max_length=500)
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.CharField(_("resolution note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "unit", "period"], name="indicators_alert_unique")
        ]
        indexes = [models.Index(fields=["status", "unit"], name="indicators_alert_status_unit")]

    def __str__(self) -> str:
        return self.message


class FormCompletion(models.Model):
    """A unit has reported a form for a period (completeness)."""

    form = models.ForeignKey(ReportingForm, on_delete=models.CASCADE)
    unit = models.ForeignKey("geo.AdministrativeUnit", on_delete=models.CASCADE)
    period = models.CharField(max_length=8)
    completed_at = models.DateTimeField(auto_now_add=True)
    stored_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("form completion")
        verbose_name_plural = _("form completions")
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="indicators_completion_unique")
        ]
        indexes = [models.Index(fields=["period", "form"], name="indicators_completion_period")]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.unit_id}/{self.period}"


class FormGrant(models.Model):
    """An API client (a department's system) may write the elements of this form, and only these."""

    client = models.ForeignKey("api.ApiClient", on_delete=models.CASCADE, related_name="indicator_grants")
    form = models.ForeignKey(ReportingForm, on_delete=models.CASCADE, related_name="grants")

    class Meta:
        verbose_name = _("form grant")
        verbose_name_plural = _("form grants")
        constraints = [models.UniqueConstraint(fields=["client", "form"], name="indicators_grant_unique")]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.form_id}"


class ImportJob(models.Model):
    """An Excel upload processed by a task; its page shows the progress and then the summary."""

    form = models.ForeignKey(ReportingForm, on_delete=models.CASCADE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="indicators/imports/%Y/%m/")
    strategy = models.CharField(max_length=20, default="CREATE_AND_UPDATE")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

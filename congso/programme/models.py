from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.models import TimeStampedModel
from congso.programme.constants import NOTE_MAX_LENGTH, FundingSource, Pillar, TaskStatus


class Plan(TimeStampedModel):
    """A digital-transformation plan (kế hoạch chuyển đổi số) of a unit for a year, adopted by a decision."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)  # số quyết định
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("digital-transformation plan")
        verbose_name_plural = _("digital-transformation plans")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class Task(TimeStampedModel):
    """A task of the plan (nhiệm vụ). ``percent_done`` and ``status`` are those of its latest update,
    copied here by the service that records the update (lists filter and count on them)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("code"), max_length=30)
    name = models.TextField(_("name"))
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices)
    lead_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_agency_name = models.CharField(
        _("lead agency"), max_length=255, blank=True, help_text=_("e.g. Sở Khoa học và Công nghệ")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent_done = models.PositiveSmallIntegerField(_("percent done"), default=0)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    last_update_on = models.DateField(_("last update"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="programme_task_code_once"),
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="programme_task_percent"),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"

    @property
    def lead_agency(self) -> str:
        return self.lead_agency_name or (self.lead_unit.full_name if self.lead_unit_id else "")

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status not in (TaskStatus.DONE, TaskStatus.STOPPED) and self.due_date < today


class TaskUpdate(models.Model):
    """A progress report on a task (báo cáo tiến độ): as of ``date``, ``percent`` done, with evidence."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("as of"))
    percent = models.PositiveSmallIntegerField(_("percent done"))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="programme/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="programme_update_percent")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.date}: {self.percent}%"


class Project(TimeStampedModel):
    """An investment project (dự án đầu tư) of the programme; money in VND."""

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.TextField(_("name"))
    owner_unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(_("investor"), max_length=255, blank=True)  # chủ đầu tư
    funding_source = models.CharField(_("funding source"), max_length=16, choices=FundingSource.choices)
    approved_total = models.PositiveBigIntegerField(_("approved total (VND)"))  # tổng mức đầu tư
    decision_number = models.CharField(_("approval decision"), max_length=60, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="programme_years")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class ProjectYear(models.Model):
    """A project's money in one year: allocated (kế hoạch vốn giao), committed (giá trị hợp đồng đã ký),
    disbursed (giải ngân)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    allocated = models.PositiveBigIntegerField(_("allocated (VND)"), default=0)
    committed = models.PositiveBigIntegerField(_("committed (VND)"), default=0)
    disbursed = models.PositiveBigIntegerField(_("disbursed (VND)"), default=0)

    class Meta:
        verbose_name = _("yearly funding")
        verbose_name_plural = _("yearly funding")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="programme_project_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"

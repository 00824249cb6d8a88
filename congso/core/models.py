from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("day off")  # ngày nghỉ
    WORKING_DAY = "working_day", _("working day")  # ngày làm việc (làm bù)


class CalendarOverride(TimeStampedModel):
    """A day the working-time calendar treats differently from the law and the ``holidays`` package.

    Each year's announced swaps (hoán đổi ngày làm việc) and extra days off that the package does not know
    live here (it knows 2026's: Monday 31/8 off, Saturday 22/8 worked). An override has the last word over
    weekends and public holidays.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OverrideKind.choices)
    reason = models.TextField(_("reason"), help_text=_("What decided it, e.g. the government's notice."))

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

    def clean(self) -> None:
        from congso.core.calendar import WorkingCalendar, public_holiday_name

        if self.date is None or not self.kind:
            return
        # Judged against weekends and public holidays only, so that a row never just repeats them.
        working = WorkingCalendar(overrides={}).is_working_day(self.date)
        if self.kind == OverrideKind.DAY_OFF and not working:
            why = public_holiday_name(self.date) or _("weekend")
            message = _("This date is already a day off (%(why)s).")
            raise ValidationError({"kind": ValidationError(message, code="redundant", params={"why": why})})
        if self.kind == OverrideKind.WORKING_DAY and working:
            message = _("This date is already a working day.")
            raise ValidationError({"kind": ValidationError(message, code="redundant")})


class PeriodicMarker(models.Model):
    """When a piece of clock-driven work last ran (``congso.core.periodic.once``): ``manage.py periodic`` is a
    new process every minute, so the marker lives in the database, not in a per-process cache."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    value = models.CharField(_("last run"), max_length=40)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("periodic work marker")
        verbose_name_plural = _("periodic work markers")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("monthly")  # hằng tháng
    QUARTERLY = "quarterly", _("quarterly")  # hằng quý
    YEARLY = "yearly", _("yearly")  # hằng năm


class ValueType(models.TextChoices):
    NUMBER = "number", _("number")
    INTEGER = "integer", _("whole number")
    PERCENTAGE = "percentage", _("percentage")


class AggregationType(models.TextChoices):
    """How values add up over units and periods. Flows add up (SUM), stocks take the latest value in time and
    add up over units (LAST), rates are never summed (keep their parts as elements, divide in an
    indicator)."""

    SUM = "sum", _("sum")
    LAST = "last", _("last value in time")
    AVERAGE = "average", _("average")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")
    COUNT = "count", _("count of values")


class Pillar(models.TextChoices):
    DIGITAL_GOVERNMENT = "government", _("digital government")  # chính quyền số
    DIGITAL_ECONOMY = "economy", _("digital economy")  # kinh tế số
    DIGITAL_SOCIETY = "society", _("digital society")  # xã hội số


class Rag(models.TextChoices):
    RED = "red", _("off track")
    AMBER = "amber", _("at risk")
    GREEN = "green", _("on track")


class ImportStrategy(models.TextChoices):
    CREATE = "CREATE", _("create only")
    UPDATE = "UPDATE", _("update only")
    CREATE_AND_UPDATE = "CREATE_AND_UPDATE", _("create and update")
    DELETE = "DELETE", _("delete")


class AlertKind(models.TextChoices):
    BELOW_TARGET = "below_target", _("below target")
    DROP = "drop", _("drop versus the previous period")
    MISSING_REPORT = "missing_report", _("report missing after the deadline")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


DEMO_SOURCE = "demo"
COMPUTED_PREFIX = "computed:"

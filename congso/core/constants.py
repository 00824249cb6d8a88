from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")  # ngày làm việc
    DAYS = "days", _("days")  # ngày
    HOURS = "working_hours", _("working hours")  # giờ làm việc
    UNSPECIFIED = "", _("unit not stated by the source")

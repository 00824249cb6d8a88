from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core.constants import TimeUnit  # noqa: F401 - deadlines are counted by core.calendar


class Channel(models.IntegerChoices):
    """How a dossier reaches the administration (KenhThucHien of the national portal)."""

    IN_PERSON = 1, _("in person")  # trực tiếp
    ONLINE = 2, _("online")  # trực tuyến
    POST = 3, _("by post")  # dịch vụ bưu chính công ích


# The words the national database uses for each channel.
CHANNEL_WORDS = {
    "trực tiếp": Channel.IN_PERSON,
    "trực tuyến": Channel.ONLINE,
    "dịch vụ bưu chính": Channel.POST,
}


class OnlineLevel(models.TextChoices):
    # Decree 42/2022: "toàn trình" (fully online) and "một phần" (partly online).
    FULL = "toan_trinh", _("fully online (toàn trình)")
    PARTIAL = "mot_phan", _("partly online (một phần)")
    NONE = "khong", _("not online")


class ResultType(models.TextChoices):
    PAPER = "giay", _("paper")
    ELECTRONIC = "dien_tu", _("electronic")
    BOTH = "ca_hai", _("paper and electronic")


class SupplementRule(models.TextChoices):
    # ONE-STOP.md §6: the older rule restarts the clock; national scoring pauses it.
    RESTART = "restart", _("the deadline restarts when the complete dossier arrives")
    PAUSE = "pause", _("the deadline is paused while waiting for the supplement")


class FieldType(models.TextChoices):
    """Kinds of e-form field the form engine renders."""

    TEXT = "text", _("text")
    TEXTAREA = "textarea", _("long text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    CHOICE = "choice", _("choice")
    CITIZEN_ID = "citizen_id", _("citizen ID number (12 digits)")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")
    ADDRESS = "address", _("address (commune, hamlet, street)")
    UPLOAD = "upload", _("document upload")

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.accounts.constants import OFFICE_ROLES, StaffRole

BOOKING_HORIZON_DAYS = 30  # how far ahead a citizen may book, by default
MAX_ACTIVE_BOOKINGS = 3  # upcoming bookings one person may hold at once
DEFAULT_SLOT_MINUTES = 30
DEFAULT_CAPACITY = 2
NAME_MAX_LENGTH = 150
PURPOSE_MAX_LENGTH = 500
CHECK_IN_CODE_LENGTH = 8
# No Latin O/0 or I/1: the code is read aloud at the counter and typed by hand.
CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CANCEL_SALT = "congso.appointments.cancel"

# Who manages a resource and its day's list: the officials of its unit (or above), not team members.
STAFF_ROLES = [*OFFICE_ROLES, StaffRole.ADMINISTRATOR]


class ResourceKind(models.TextChoices):
    COUNTER = "counter", _("service-centre counter")  # quầy tiếp nhận hồ sơ
    HEALTH_STATION = "health_station", _("health-station examination")  # khám bệnh tại trạm y tế


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")  # đã đặt
    CHECKED_IN = "checked_in", _("checked in")  # đã đến
    NO_SHOW = "no_show", _("did not come")  # vắng mặt
    CANCELLED = "cancelled", _("cancelled")  # đã huỷ


# Every status but "cancelled" holds its place in the slot.
HOLDING = [BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW]

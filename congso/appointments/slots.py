"""Free slots, computed from the working-time calendar, the resource's blackout days and its bookings.

Nothing but bookings is stored: a slot is (resource, start); the places left are its capacity less the
bookings that hold a place in it. One query for the bookings of the whole range, one for the blackouts.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.appointments.constants import HOLDING
from congso.appointments.models import Blackout, Booking, Resource
from congso.core import calendar


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    free: int
    is_past: bool

    @property
    def bookable(self) -> bool:
        return self.free > 0 and not self.is_past


@dataclass
class Day:
    date: datetime.date
    closed_reason: str = ""  # empty when open
    slots: list[Slot] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return not self.closed_reason

    @property
    def free(self) -> int:
        return sum(slot.free for slot in self.slots if slot.bookable)


def slot_starts(
    resource: Resource, day: datetime.date, working: calendar.WorkingCalendar
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) of each slot of ``day`` inside the office periods: a slot never spans lunch."""
    length = datetime.timedelta(minutes=resource.slot_minutes)
    result = []
    for start_time, end_time in working.periods:
        start = datetime.datetime.combine(day, start_time, tzinfo=working.tz)
        end = datetime.datetime.combine(day, end_time, tzinfo=working.tz)
        while start + length <= end:
            result.append((start, start + length))
            start += length
    return result


def today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def last_bookable_day(resource: Resource, now: datetime.datetime | None = None) -> datetime.date:
    return today(now) + datetime.timedelta(days=resource.horizon_days)


def closed_reason(
    resource: Resource, day: datetime.date, working: calendar.WorkingCalendar, blackouts: dict
) -> str:
    if day in blackouts:
        return blackouts[day]
    if not working.is_working_day(day):
        return calendar.public_holiday_name(day) or _("Day off")
    return ""


def days_with_slots(
    *,
    resource: Resource,
    start: datetime.date,
    days: int,
    now: datetime.datetime | None = None,
    working: calendar.WorkingCalendar | None = None,
) -> list[Day]:
    """The days ``start`` .. ``start + days - 1`` with their slots and places left (closed days have none)."""
    now = now or timezone.now()
    working = working or calendar.current_calendar()
    end = start + datetime.timedelta(days=days)
    blackouts = dict(
        Blackout.objects.filter(resource=resource, date__gte=start, date__lt=end).values_list(
            "date", "reason"
        )
    )
    tz = working.tz
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    last = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
    taken = dict(
        Booking.objects.filter(
            resource=resource, starts_at__gte=first, starts_at__lt=last, status__in=HOLDING
        )
        .values("starts_at")
        .annotate(n=Count("pk"))
        .values_list("starts_at", "n")
    )
    result = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        reason = closed_reason(resource, day, working, blackouts)
        entry = Day(date=day, closed_reason=reason)
        if not reason:
            entry.slots = [
                Slot(
                    starts_at=s,
                    ends_at=e,
                    free=max(resource.capacity - taken.get(s, 0), 0),
                    is_past=s <= now,
                )
                for s, e in slot_starts(resource, day, working)
            ]
        result.append(entry)
    return result

"""Working time (thời gian làm việc): which days are worked, office hours, and deadlines counted in them.

A day is worked when it is Monday–Friday and not a public holiday, unless a :class:`CalendarOverride` says
otherwise. Public holidays come from the ``holidays`` package (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and its
adjacent day, 1/1, 24/11 from 2026, the days off in lieu of those falling on a weekend, and the swaps it knows
of); what it lacks or gets wrong — each year's announced swaps and extra days off — is entered as overrides.

Working time runs only inside office hours (``CONGSO_OFFICE_HOURS``, by default 07:00–11:30 and 13:30–17:00)
on working days; one working day is the sum of those periods (8 hours by default). Every instant is aware and
expressed in ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh); naive datetimes are refused.

Office periods are half-open for starting (17:00 is after hours) and closed for ending: time that runs out
exactly at 11:30 or 17:00 is due at that instant, not at the next opening.

The module functions read the override table once per call (a count and a max, to notice changes made by
other processes or rolled back); to compute many deadlines at once take :func:`current_calendar` once and
call its methods.
"""

import datetime
import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max
from django.utils import timezone

from congso.core.constants import TimeUnit
from congso.core.models import CalendarOverride, OverrideKind

DEFAULT_OFFICE_HOURS = [("07:00", "11:30"), ("13:30", "17:00")]
# A guard against an override table that turns a whole year into days off: no deadline runs into it.
MAX_DAYS_OFF_IN_A_ROW = 366
_MICROSECONDS_PER_HOUR = 3_600_000_000
ZERO = datetime.timedelta()

Number = int | float | Decimal
Period = tuple[datetime.time, datetime.time]


@dataclass(frozen=True)
class _Year:
    days_off: Mapping[datetime.date, str]  # date -> the holiday's (Vietnamese) name
    worked_weekend_days: frozenset[datetime.date]


@functools.cache
def _public_holidays(year: int) -> _Year:
    # Built over the neighbouring years too: a swap decided for one year may fall in the one before.
    found = holidays.country_holidays("VN", years=range(year - 1, year + 2), language="vi")
    return _Year(
        days_off={day: name for day, name in found.items() if day.year == year},
        worked_weekend_days=frozenset(d for d in getattr(found, "weekend_workdays", ()) if d.year == year),
    )


@functools.cache
def _parse_office_hours(pairs: tuple[tuple[str, str], ...]) -> tuple[Period, ...]:
    try:
        periods = tuple((datetime.time.fromisoformat(s), datetime.time.fromisoformat(e)) for s, e in pairs)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f'CONGSO_OFFICE_HOURS must be ("HH:MM", "HH:MM") pairs: {exc}') from exc
    if not periods:
        raise ImproperlyConfigured("CONGSO_OFFICE_HOURS is empty.")
    previous_end = datetime.time.min
    for index, (start, end) in enumerate(periods):
        if not start < end or (index and start < previous_end):
            raise ImproperlyConfigured("CONGSO_OFFICE_HOURS must be increasing periods that do not overlap.")
        previous_end = end
    return periods


def configured_office_hours() -> tuple[Period, ...]:
    """The configured office periods of a working day, in order."""
    pairs = getattr(settings, "CONGSO_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    return _parse_office_hours(tuple(tuple(pair) for pair in pairs))


def public_holiday_name(day: datetime.date) -> str | None:
    """The name of the public holiday on ``day`` as the ``holidays`` package gives it, or None."""
    return _public_holidays(day.year).days_off.get(day)


def _duration(amount: Number, *, per_unit: int, what: str) -> datetime.timedelta:
    """``amount`` units of ``per_unit`` microseconds, exact for Decimals, floats read as written."""
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        raise TypeError(f"{what} must be a number, not {type(amount).__name__}")
    value = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} must be a finite number ≥ 0, not {amount}")
    return datetime.timedelta(microseconds=int((value * per_unit).to_integral_value()))


def _whole_days(days: Number) -> int:
    if isinstance(days, bool) or not isinstance(days, int | float | Decimal):
        raise TypeError(f"days must be a number, not {type(days).__name__}")
    if days < 0 or days != int(days):
        raise ValueError(f"calendar days must be a whole number ≥ 0, not {days}")
    return int(days)


class WorkingCalendar:
    """Working days and office hours, with a fixed set of overrides (a snapshot: it never reads the database).

    ``overrides`` maps dates to :class:`OverrideKind` values; ``office_hours`` is a list of ("HH:MM", "HH:MM")
    pairs, by default ``CONGSO_OFFICE_HOURS``.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[datetime.date, str] | None = None,
        office_hours: Sequence[tuple[str, str]] | None = None,
    ):
        self.overrides = {day: OverrideKind(kind) for day, kind in (overrides or {}).items()}
        self.periods = (
            configured_office_hours()
            if office_hours is None
            else _parse_office_hours(tuple(tuple(pair) for pair in office_hours))
        )
        self.tz = timezone.get_default_timezone()

    @property
    def working_day_length(self) -> datetime.timedelta:
        """The working time in one working day: the sum of the office periods."""
        return sum((end - start for start, end in self._office_periods(datetime.date(2000, 1, 3))), ZERO)

    # Days

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is worked: an override decides; otherwise Monday–Friday that is not a public
        holiday, or a weekend day the ``holidays`` package knows was worked in a swap."""
        if isinstance(day, datetime.datetime):
            day = self._local(day).date()
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == OverrideKind.WORKING_DAY
        year = _public_holidays(day.year)
        if day in year.days_off:
            return False
        return day.weekday() < 5 or day in year.worked_weekend_days

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_DAYS_OFF_IN_A_ROW + 1):
            following = day + datetime.timedelta(days=offset)
            if self.is_working_day(following):
                return following
        raise ValueError(f"no working day within {MAX_DAYS_OFF_IN_A_ROW} days after {day}")

    def _office_periods(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        combine = datetime.datetime.combine
        return [(combine(day, s, tzinfo=self.tz), combine(day, e, tzinfo=self.tz)) for s, e in self.periods]

    def _local(self, instant: datetime.datetime) -> datetime.datetime:
        if timezone.is_naive(instant):
            raise ValueError(f"naive datetime {instant}: working time needs aware datetimes")
        return instant.astimezone(self.tz)

    def end_of_day(self, day: datetime.date) -> datetime.datetime:
        """When the office closes on ``day`` (17:00 by default)."""
        return datetime.datetime.combine(day, self.periods[-1][1], tzinfo=self.tz)

    # Instants

    def next_working_start(self, instant: datetime.datetime) -> datetime.datetime:
        """``instant`` itself if it is inside office hours on a working day, else the start of the next
        office period: during lunch 13:30; after closing or on a day off the next working day's 07:00."""
        local = self._local(instant)
        day = local.date()
        if self.is_working_day(day):
            for start, end in self._office_periods(day):
                if local < start:
                    return start
                if local < end:
                    return local
        return self._office_periods(self.next_working_day(day))[0][0]

    def add_working_hours(self, start: datetime.datetime, *, hours: Number) -> datetime.datetime:
        """The instant when ``hours`` of office time have passed, counting from ``next_working_start(start)``.

        ``hours`` ≥ 0 (Decimal, int or float, kept to the microsecond). The result is inside an office period
        on a working day, or exactly at its end; with ``hours == 0`` it is ``next_working_start(start)``.
        Adding ``a`` then ``b`` is adding ``a + b`` when ``b > 0``.
        """
        return self._add(start, _duration(hours, per_unit=_MICROSECONDS_PER_HOUR, what="hours"))

    def add_working_time(
        self, start: datetime.datetime, *, duration: datetime.timedelta
    ) -> datetime.datetime:
        """``add_working_hours`` for a duration measured by :meth:`working_time_between` (a supplement wait, a
        share of a deadline), without converting it to hours and back."""
        if duration < datetime.timedelta():
            raise ValueError("duration must not be negative")
        return self._add(start, duration)

    def add_working_days(self, start: datetime.datetime, *, days: Number) -> datetime.datetime:
        """``add_working_hours`` with one working day counted as :attr:`working_day_length` (8 h by default),
        as production systems count: received Monday 09:00, 1 working day is due Tuesday 09:00."""
        per_day = self.working_day_length // datetime.timedelta(microseconds=1)
        return self._add(start, _duration(days, per_unit=per_day, what="days"))

    def _add(self, start: datetime.datetime, remaining: datetime.timedelta) -> datetime.datetime:
        cursor = self.next_working_start(start)
        day = cursor.date()
        # Day by day (never minute by minute); the first day may start mid-period.
        while True:
            for period_start, period_end in self._office_periods(day):
                if period_end <= cursor:
                    continue
                begin = max(period_start, cursor)
                if remaining <= period_end - begin:
                    return begin + remaining
                remaining -= period_end - begin
            day = self.next_working_day(day)

    def add_calendar_days(self, start: datetime.datetime, *, days: Number) -> datetime.datetime:
        """The end of office hours (17:00) of the day ``days`` calendar days after the day work starts
        (``next_working_start(start)``: a dossier received after closing counts from the next working day),
        moved to the next working day's end when that day is not worked.

        ``days`` must be whole (a Decimal such as ``Decimal("15.00")`` is fine) and ≥ 0.
        """
        day = self.next_working_start(start).date() + datetime.timedelta(days=_whole_days(days))
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return self.end_of_day(day)

    def working_time_between(self, start: datetime.datetime, *, end: datetime.datetime) -> datetime.timedelta:
        """The office time on working days between ``start`` and ``end``; negative when ``end`` is before
        ``start`` (``working_time_between(a, end=b) == -working_time_between(b, end=a)``).

        For any ``t`` and ``h``: ``working_time_between(t, end=add_working_hours(t, hours=h))`` == ``h`` h.
        """
        first, last = self._local(start), self._local(end)
        if last < first:
            return -self.working_time_between(end, end=start)
        total = ZERO
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                for period_start, period_end in self._office_periods(day):
                    overlap = min(period_end, last) - max(period_start, first)
                    if overlap > ZERO:
                        total += overlap
            day += datetime.timedelta(days=1)
        return total

    def due_at(self, *, start: datetime.datetime, value: Number, unit: str) -> datetime.datetime:
        """The deadline ``value`` ``unit`` after ``start``; ``unit`` is a :class:`TimeUnit` value
        ("working_days", "days" or "working_hours"). Raises ValueError for an empty or unknown unit."""
        if unit == TimeUnit.WORKING_DAYS:
            return self.add_working_days(start, days=value)
        if unit == TimeUnit.DAYS:
            return self.add_calendar_days(start, days=value)
        if unit == TimeUnit.HOURS:
            return self.add_working_hours(start, hours=value)
        raise ValueError(f"no deadline can be computed in the unit {unit!r}")


# The process's calendar, rebuilt when the override table or the office hours change.
_lock = threading.Lock()
_cache: dict = {"key": None, "calendar": None}


def current_calendar() -> WorkingCalendar:
    """A snapshot of the calendar as the database and settings stand now.

    The override table's count and latest ``updated_at`` are asked for on every call, so a change made by
    another process, or rolled back, is seen at once; the rows themselves are loaded only when those change
    (edit overrides with ``save()`` — the admin does — not ``QuerySet.update()``).
    """
    stamp = CalendarOverride.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    key = (stamp["n"], stamp["last"], configured_office_hours())
    if _cache["key"] != key:
        with _lock:
            if _cache["key"] != key:
                rows = CalendarOverride.objects.values_list("date", "kind")
                _cache["calendar"] = WorkingCalendar(overrides=dict(rows))
                _cache["key"] = key
    return _cache["calendar"]


def is_working_day(day: datetime.date) -> bool:
    """See :meth:`WorkingCalendar.is_working_day`."""
    return current_calendar().is_working_day(day)


def next_working_start(instant: datetime.datetime) -> datetime.datetime:
    """See :meth:`WorkingCalendar.next_working_start`."""
    return current_calendar().next_working_start(instant)


def add_working_hours(start: datetime.datetime, *, hours: Number) -> datetime.datetime:
    """See :meth:`WorkingCalendar.add_working_hours`."""
    return current_calendar().add_working_hours(start, hours=hours)


def add_working_time(start: datetime.datetime, *, duration: datetime.timedelta) -> datetime.datetime:
    """See :meth:`WorkingCalendar.add_working_time`."""
    return current_calendar().add_working_time(start, duration=duration)


def add_working_days(start: datetime.datetime, *, days: Number) -> datetime.datetime:
    """See :meth:`WorkingCalendar.add_working_days`."""
    return current_calendar().add_working_days(start, days=days)


def add_calendar_days(start: datetime.datetime, *, days: Number) -> datetime.datetime:
    """See :meth:`WorkingCalendar.add_calendar_days`."""
    return current_calendar().add_calendar_days(start, days=days)


def working_time_between(start: datetime.datetime, *, end: datetime.datetime) -> datetime.timedelta:
    """See :meth:`WorkingCalendar.working_time_between`."""
    return current_calendar().working_time_between(start, end=end)


def due_at(*, start: datetime.datetime, value: Number, unit: str) -> datetime.datetime:
    """See :meth:`WorkingCalendar.due_at`."""
    return current_calendar().due_at(start=start, value=value, unit=unit)

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from congso.conftest import make_user
from congso.core import calendar
from congso.core.calendar import WorkingCalendar, public_holiday_name
from congso.core.constants import TimeUnit
from congso.core.models import CalendarOverride, OverrideKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFF, WORKED = OverrideKind.DAY_OFF, OverrideKind.WORKING_DAY


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def hours(value) -> datetime.timedelta:
    return datetime.timedelta(microseconds=int(Decimal(value) * 3_600_000_000))


@pytest.fixture
def cal():
    """Weekends and the holidays package only, without the database."""
    return WorkingCalendar(overrides={})


# What the holidays package gives. If an upgrade changes these, read its changelog before editing the lists:
# a day it drops must then be entered as an override.
PUBLIC_HOLIDAYS = {
    2026: [
        "2026-01-01",
        *("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"),  # Tết Bính Ngọ (17/2)
        "2026-04-26",  # Giỗ Tổ Hùng Vương, a Sunday…
        "2026-04-27",  # …so Monday off in lieu (nghỉ bù)
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",  # swapped with Saturday 22/8
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",  # Ngày Văn hóa Việt Nam, from 2026
    ],
    2027: [
        "2027-01-01",
        *("2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07"),  # Tết Đinh Mùi (6/2, a Saturday)
        *("2027-02-08", "2027-02-09", "2027-02-10"),
        "2027-04-16",
        "2027-04-30",
        "2027-05-01",  # a Saturday…
        "2027-05-03",  # …so Monday off in lieu
        "2027-09-02",
        "2027-09-03",
        "2027-11-24",
    ],
}


@pytest.mark.parametrize("year", PUBLIC_HOLIDAYS)
def test_public_holidays_are_those_of_the_holidays_package(year):
    found = [day.isoformat() for day in calendar._public_holidays(year).days_off]
    assert sorted(found) == PUBLIC_HOLIDAYS[year]
    assert public_holiday_name(day("2026-11-24")) == "Ngày Văn hóa Việt Nam"
    assert public_holiday_name(day("2026-02-17")) == "Tết Nguyên Đán"


@pytest.mark.parametrize(
    ("date", "working"),
    [
        ("2026-01-01", False),
        ("2026-01-02", True),
        ("2026-02-13", True),  # the Friday before Tết
        ("2026-02-14", False),
        ("2026-02-16", False),
        ("2026-02-20", False),
        ("2026-02-23", True),
        ("2026-03-07", False),  # Saturday
        ("2026-03-08", False),  # Sunday
        ("2026-04-27", False),
        ("2026-04-29", True),
        ("2026-04-30", False),
        ("2026-05-01", False),
        ("2026-08-22", True),  # a Saturday worked for Monday 31/8
        ("2026-08-31", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2026-11-24", False),
        ("2027-02-03", True),
        ("2027-02-04", False),
        ("2027-02-10", False),
        ("2027-02-11", True),
        ("2027-05-03", False),
        ("2027-09-03", False),
    ],
)
def test_working_days(cal, date, working):
    assert cal.is_working_day(day(date)) is working


@pytest.mark.parametrize(
    ("received", "value", "unit", "due"),
    [
        # Received on the Friday before Tết 2026: 5 h that day, Tết 16–20/2, then Monday and Tuesday.
        ("2026-02-13 10:00", 3, "working_days", "2026-02-25 10:00"),
        ("2026-02-13 16:00", 1, "working_days", "2026-02-23 16:00"),
        # Tết 2027: Thursday 4/2 to Wednesday 10/2 off.
        ("2027-02-03 09:00", 2, "working_days", "2027-02-12 09:00"),
        # 30/4 and 1/5 2026 are Thursday and Friday.
        ("2026-04-29 14:00", 1, "working_days", "2026-05-04 14:00"),
        # 31/8 (swap), 1/9 and 2/9 2026 are off.
        ("2026-08-28 08:00", 2, "working_days", "2026-09-04 08:00"),
        # Ngày Văn hóa Việt Nam.
        ("2026-11-23 07:00", 2, "working_days", "2026-11-25 17:00"),
        # Sent in on a Saturday: counts from Monday morning.
        ("2026-03-07 10:00", Decimal("0.5"), "working_days", "2026-03-09 11:00"),
        # During lunch: counts from 13:30.
        ("2026-03-02 11:45", 2, "working_hours", "2026-03-02 15:30"),
        ("2026-03-02 10:30", 2, "working_hours", "2026-03-02 14:30"),
        # After closing: counts from the next working morning; a full day ends at closing.
        ("2026-03-02 17:30", 1, "working_days", "2026-03-03 17:00"),
        ("2026-03-02 17:00", Decimal("4.5"), "working_hours", "2026-03-03 11:30"),
        ("2026-03-02 07:00", Decimal("15.00"), "working_days", "2026-03-20 17:00"),
        # Calendar days end at closing time, never on a day off.
        ("2026-03-02 09:00", 3, "days", "2026-03-05 17:00"),
        ("2026-03-02 09:00", 5, "days", "2026-03-09 17:00"),  # Saturday → Monday
        ("2026-03-02 09:00", 6, "days", "2026-03-09 17:00"),  # Sunday → Monday
        ("2026-02-10 09:00", 5, "days", "2026-02-23 17:00"),  # Sunday 15/2, then Tết
        ("2026-03-06 17:30", Decimal("1.00"), "days", "2026-03-10 17:00"),  # counted from Monday
        ("2026-03-02 09:00", 0, "days", "2026-03-02 17:00"),
    ],
)
def test_due_dates(cal, received, value, unit, due):
    assert cal.due_at(start=at(received), value=value, unit=unit) == at(due)


@pytest.mark.parametrize(
    ("instant", "start"),
    [
        ("2026-03-02 06:59", "2026-03-02 07:00"),
        ("2026-03-02 07:00", "2026-03-02 07:00"),
        ("2026-03-02 11:29", "2026-03-02 11:29"),
        ("2026-03-02 11:30", "2026-03-02 13:30"),
        ("2026-03-02 11:45", "2026-03-02 13:30"),
        ("2026-03-02 16:59", "2026-03-02 16:59"),
        ("2026-03-02 17:00", "2026-03-03 07:00"),
        ("2026-03-06 17:30", "2026-03-09 07:00"),  # Friday evening
        ("2026-02-13 18:00", "2026-02-23 07:00"),  # the evening before Tết
        ("2026-08-21 20:00", "2026-08-22 07:00"),  # the Saturday worked
    ],
)
def test_next_working_start(cal, instant, start):
    assert cal.next_working_start(at(instant)) == at(start)


def test_instants_in_another_time_zone_are_read_in_vietnam_time(cal):
    utc = datetime.datetime(2026, 3, 2, 4, 45, tzinfo=datetime.UTC)  # 11:45 in Cà Mau
    assert cal.next_working_start(utc) == at("2026-03-02 13:30")
    assert cal.next_working_start(utc).tzinfo.key == "Asia/Ho_Chi_Minh"


def test_working_time_between(cal):
    assert cal.working_time_between(at("2026-03-02 11:00"), end=at("2026-03-02 14:00")) == hours("1")
    assert cal.working_time_between(at("2026-02-13 07:00"), end=at("2026-02-23 17:00")) == hours(16)
    assert cal.working_time_between(at("2026-03-02 14:00"), end=at("2026-03-02 11:00")) == -hours("1")
    assert cal.working_time_between(at("2026-03-07 08:00"), end=at("2026-03-08 16:00")) == hours(0)


def test_the_2026_swap_changes_deadlines(cal):
    # The holidays package already carries it; the same overrides, reversed, show what it is worth.
    without_swap = WorkingCalendar(overrides={day("2026-08-31"): WORKED, day("2026-08-22"): OFF})
    friday = at("2026-08-21 09:00")
    assert cal.add_working_days(friday, days=1) == at("2026-08-22 09:00")
    assert without_swap.add_working_days(friday, days=1) == at("2026-08-24 09:00")
    # Over the whole swap it comes to the same.
    assert cal.add_working_days(friday, days=7) == without_swap.add_working_days(friday, days=7)
    assert cal.add_working_days(at("2026-08-28 09:00"), days=1) == at("2026-09-03 09:00")
    assert without_swap.add_working_days(at("2026-08-28 09:00"), days=1) == at("2026-08-31 09:00")


@pytest.mark.parametrize(
    "value", [Decimal("-1"), -1, float("nan"), Decimal("Infinity"), "2", None, True], ids=repr
)
def test_bad_amounts_are_refused(cal, value):
    with pytest.raises((ValueError, TypeError)):
        cal.add_working_hours(at("2026-03-02 09:00"), hours=value)


@pytest.mark.parametrize("unit", ["", TimeUnit.UNSPECIFIED, "months", None])
def test_due_at_refuses_a_missing_or_unknown_unit(cal, unit):
    with pytest.raises(ValueError, match="unit"):
        cal.due_at(start=at("2026-03-02 09:00"), value=3, unit=unit)


def test_calendar_days_must_be_whole(cal):
    with pytest.raises(ValueError, match="whole"):
        cal.add_calendar_days(at("2026-03-02 09:00"), days=Decimal("1.5"))


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError, match="naive"):
        cal.next_working_start(datetime.datetime(2026, 3, 2, 9, 0))


@override_settings(CONGSO_OFFICE_HOURS=[("07:30", "11:30"), ("13:00", "16:30")])
def test_office_hours_come_from_the_setting():
    cal = WorkingCalendar()
    assert cal.working_day_length == hours("7.5")
    assert cal.add_working_days(at("2026-03-02 07:00"), days=1) == at("2026-03-02 16:30")
    assert cal.next_working_start(at("2026-03-02 12:45")) == at("2026-03-02 13:00")


@pytest.mark.parametrize(
    "office_hours",
    [[], [("13:30", "17:00"), ("07:00", "11:30")], [("07:00", "12:00"), ("11:00", "17:00")], [("7h", "11h")]],
)
def test_bad_office_hours_are_a_configuration_error(office_hours):
    with override_settings(CONGSO_OFFICE_HOURS=office_hours), pytest.raises(ImproperlyConfigured):
        WorkingCalendar()


# The database: overrides entered by administrators.


@pytest.mark.django_db
def test_without_overrides_the_module_functions_follow_the_package(cal):
    start = at("2026-02-13 10:00")
    assert calendar.add_working_days(start, days=3) == cal.add_working_days(start, days=3)
    assert calendar.due_at(start=start, value=Decimal("3.00"), unit="working_days") == at("2026-02-25 10:00")
    assert calendar.is_working_day(day("2026-08-22"))
    assert calendar.next_working_start(start) == start
    assert calendar.add_working_hours(start, hours=1) == at("2026-02-13 11:00")
    assert calendar.add_calendar_days(start, days=2) == at("2026-02-23 17:00")
    assert calendar.working_time_between(start, end=at("2026-02-23 07:00")) == hours(5)


@pytest.mark.django_db
def test_overrides_change_results_at_once():
    start = at("2026-03-04 09:00")  # Wednesday
    assert calendar.add_working_days(start, days=2) == at("2026-03-06 09:00")
    day_off = CalendarOverride.objects.create(date=day("2026-03-05"), kind=OFF, reason="Ngày nghỉ của tỉnh")
    assert not calendar.is_working_day(day("2026-03-05"))
    assert calendar.add_working_days(start, days=2) == at("2026-03-09 09:00")
    CalendarOverride.objects.create(date=day("2026-03-07"), kind=WORKED, reason="Làm bù")
    assert calendar.add_working_days(start, days=2) == at("2026-03-07 09:00")
    day_off.kind = WORKED
    day_off.save()
    assert calendar.add_working_days(start, days=2) == at("2026-03-06 09:00")
    CalendarOverride.objects.all().delete()
    assert calendar.add_working_days(start, days=3) == at("2026-03-09 09:00")


@pytest.mark.django_db
def test_overrides_have_the_last_word_over_the_package():
    CalendarOverride.objects.create(date=day("2026-08-31"), kind=WORKED, reason="Hủy hoán đổi")
    CalendarOverride.objects.create(date=day("2026-08-22"), kind=OFF, reason="Hủy hoán đổi")
    assert calendar.is_working_day(day("2026-08-31"))
    assert not calendar.is_working_day(day("2026-08-22"))


@pytest.mark.django_db
def test_an_override_rolled_back_is_forgotten():
    start = at("2026-03-04 09:00")
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarOverride.objects.create(date=day("2026-03-05"), kind=OFF, reason="Rolled back")
        assert calendar.add_working_days(start, days=2) == at("2026-03-09 09:00")
        raise RuntimeError
    assert calendar.add_working_days(start, days=2) == at("2026-03-06 09:00")


@pytest.mark.django_db
def test_the_calendar_is_loaded_once_while_the_table_is_unchanged(django_assert_num_queries):
    calendar.current_calendar()
    with django_assert_num_queries(1):  # the change check only
        calendar.add_working_days(at("2026-03-04 09:00"), days=60)


@pytest.mark.parametrize(
    ("date", "kind", "error"),
    [
        ("2026-08-31", OFF, "already a day off (Ngày nghỉ (thay cho ngày 22/08/2026))"),
        ("2026-03-07", OFF, "already a day off (weekend)"),
        ("2026-03-05", WORKED, "already a working day"),
        ("2026-08-22", WORKED, "already a working day"),
    ],
)
@pytest.mark.django_db
def test_an_override_must_change_something(date, kind, error):
    with translation.override("en"), pytest.raises(ValidationError, match=re.escape(error)):
        CalendarOverride(date=day(date), kind=kind, reason="x").full_clean()


@pytest.mark.django_db
def test_administrators_edit_overrides(client):
    client.force_login(make_user("admin@example.vn", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:core_calendaroverride_add"),
        {"date": "2026-03-05", "kind": OFF, "reason": "Quyết định của UBND tỉnh"},
    )
    assert response.status_code == 302
    assert not calendar.is_working_day(day("2026-03-05"))
    response = client.post(reverse("admin:core_calendaroverride_add"), {"date": "2026-03-08", "kind": OFF})
    assert response.status_code == 200  # a Sunday is off already, and the reason is missing
    assert CalendarOverride.objects.count() == 1
    changelist = client.get(reverse("admin:core_calendaroverride_changelist"), {"date__year": "2026"})
    assert changelist.status_code == 200
    assert "Quyết định của UBND tỉnh" in changelist.content.decode()


# Properties, without the database: any set of overrides will do.

instants = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 12, 31), timezones=st.just(TZ)
)
amounts = st.decimals(min_value=0, max_value=600, places=2)  # hundredths of an hour are whole microseconds
calendars = st.dictionaries(
    st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2029, 6, 30)),
    st.sampled_from(OverrideKind),
    max_size=30,
).map(lambda overrides: WorkingCalendar(overrides=overrides))
examples = hypothesis_settings(max_examples=100, deadline=None)


def in_office_hours(cal: WorkingCalendar, instant: datetime.datetime) -> bool:
    local = instant.astimezone(TZ)
    return cal.is_working_day(local.date()) and any(s <= local.time() <= e for s, e in cal.periods)


@examples
@given(cal=calendars, t=instants, a=amounts, b=amounts)
def test_adding_hours_is_monotonic_in_the_hours(cal, t, a, b):
    a, b = sorted([a, b])
    assert cal.add_working_hours(t, hours=a) <= cal.add_working_hours(t, hours=b)


@examples
@given(cal=calendars, t=instants, u=instants, h=amounts)
def test_adding_hours_is_monotonic_in_the_start(cal, t, u, h):
    t, u = sorted([t, u])
    assert cal.add_working_hours(t, hours=h) <= cal.add_working_hours(u, hours=h)


@examples
@given(cal=calendars, t=instants, h=amounts)
def test_adding_hours_ends_in_office_hours_after_exactly_that_much_office_time(cal, t, h):
    due = cal.add_working_hours(t, hours=h)
    assert due >= t
    assert in_office_hours(cal, due)
    assert cal.working_time_between(t, end=due) == hours(h)
    if h > 0:  # the earliest such instant
        assert cal.working_time_between(t, end=due - datetime.timedelta(microseconds=1)) < hours(h)


@examples
@given(cal=calendars, t=instants, a=amounts, b=amounts)
def test_adding_a_then_b_is_adding_a_plus_b(cal, t, a, b):
    then = cal.add_working_hours(cal.add_working_hours(t, hours=a), hours=b)
    if b > 0:
        assert then == cal.add_working_hours(t, hours=a + b)
    else:  # time that runs out at 11:30 is due at 11:30; adding nothing from there waits for 13:30
        assert then == cal.next_working_start(cal.add_working_hours(t, hours=a))


@examples
@given(cal=calendars, t=instants, n=st.integers(min_value=0, max_value=60))
def test_working_days_end_on_a_working_day(cal, t, n):
    due = cal.add_working_days(t, days=n)
    assert in_office_hours(cal, due)
    assert cal.working_time_between(t, end=due) == n * cal.working_day_length


@examples
@given(cal=calendars, t=instants, n=st.integers(min_value=0, max_value=60))
def test_calendar_days_end_at_closing_on_a_working_day(cal, t, n):
    due = cal.add_calendar_days(t, days=n)
    assert cal.is_working_day(due.date())
    assert due.time() == datetime.time(17, 0)
    assert due.date() >= t.date() + datetime.timedelta(days=n)


@examples
@given(cal=calendars, t=instants)
def test_the_next_working_start_is_the_first_office_instant(cal, t):
    start = cal.next_working_start(t)
    assert start >= t
    assert cal.next_working_start(start) == start
    assert in_office_hours(cal, start)
    assert cal.working_time_between(t, end=start) == datetime.timedelta()


@examples
@given(cal=calendars, a=instants, b=instants, c=instants)
def test_working_time_adds_up_and_changes_sign(cal, a, b, c):
    a, b, c = sorted([a, b, c])
    between = cal.working_time_between
    assert between(a, end=b) + between(b, end=c) == between(a, end=c)
    assert between(c, end=a) == -between(a, end=c)
    assert between(a, end=c) >= datetime.timedelta()


def test_adding_a_measured_working_duration(cal):
    """A duration measured with working_time_between (a supplement wait) is added as working time."""
    start = at("2026-03-13 16:00")  # a Friday, an hour before closing
    waited = cal.working_time_between(at("2026-03-10 09:00"), end=at("2026-03-11 09:00"))
    assert cal.add_working_time(start, duration=waited) == cal.add_working_hours(start, hours=8)
    assert cal.add_working_time(start, duration=datetime.timedelta()) == start
    with pytest.raises(ValueError):
        cal.add_working_time(start, duration=datetime.timedelta(minutes=-1))

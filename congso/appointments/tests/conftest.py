import datetime

import pytest
from django.utils import timezone

from congso.appointments.constants import ResourceKind
from congso.appointments.models import Resource
from congso.conftest import unit
from congso.core import calendar


def next_working_day(after: datetime.date | None = None) -> datetime.date:
    return calendar.current_calendar().next_working_day(after or timezone.localdate())


def slot_at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh, mm), tzinfo=timezone.get_current_timezone())


def make_resource(unit_code="32002", **extra) -> Resource:
    fields = {
        "kind": ResourceKind.COUNTER,
        "name": "Quầy tiếp nhận An Xuyên",
        "slot_minutes": 30,
        "capacity": 2,
    }
    fields.update(extra)
    return Resource.objects.create(unit=unit(unit_code), **fields)


@pytest.fixture
def resource(db):
    return make_resource()


@pytest.fixture
def day():
    return next_working_day()

"""The appointments JSON API; config wiring in congso/api/urls.py. Public: the places and their free
slots (what the booking page shows), for the province's citizen app."""

import datetime

from django.http import Http404
from ninja import Router, Schema

from congso.appointments.models import Resource
from congso.appointments.selectors import resource_for_citizens, resources_for_citizens
from congso.appointments.slots import days_with_slots, last_bookable_day, today

router = Router(tags=["appointments"])
MAX_DAYS = 31


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    unit_code: str
    unit_name: str
    address: str
    slot_minutes: int
    capacity: int


class SlotOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    free: int


class DayOut(Schema):
    date: datetime.date
    closed_reason: str
    slots: list[SlotOut]


def _out(r: Resource) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "name": r.name,
        "unit_code": r.unit.code,
        "unit_name": r.unit.full_name,
        "address": r.address,
        "slot_minutes": r.slot_minutes,
        "capacity": r.capacity,
    }


@router.get("/resources", response=list[ResourceOut], summary="Bookable places (counters, health stations)")
def resource_list(request, q: str = "", kind: str = "", commune: str = "", limit: int = 50):
    items = resources_for_citizens(query=q[:100], kind=kind, unit_code=commune[:20])
    return [_out(r) for r in items[: max(1, min(limit, 200))]]


@router.get("/resources/{resource_id}/slots", response=list[DayOut], summary="Free places per slot")
def resource_slots(request, resource_id: int, start: datetime.date | None = None, days: int = 7):
    try:
        resource = resource_for_citizens(pk=resource_id)
    except Resource.DoesNotExist:
        raise Http404 from None
    first = max(start or today(), today())
    last = last_bookable_day(resource)
    count = max(0, min(days, MAX_DAYS, (last - first).days + 1))
    return [
        {
            "date": day.date,
            "closed_reason": day.closed_reason,
            "slots": [
                {"starts_at": s.starts_at, "ends_at": s.ends_at, "free": s.free}
                for s in day.slots
                if s.bookable
            ],
        }
        for day in days_with_slots(resource=resource, start=first, days=count)
    ]

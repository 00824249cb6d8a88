"""Demo data for appointments, loaded by `manage.py demo_load`. Safe to run again."""

from django.db import transaction

from congso.appointments.constants import ResourceKind
from congso.appointments.models import Resource
from congso.dossiers.models import ReceivingOffice
from congso.geo.models import AdministrativeUnit

# A few communes whose health station takes examination bookings in the demo: An Xuyên, Đất Mũi and two
# more of the first communes by code.
DEMO_STATION_COMMUNES = ["32002", "32248"]
EXTRA_STATIONS = 2


def _station_name(unit: AdministrativeUnit) -> str:
    type_word, _, rest = unit.full_name.partition(" ")
    return f"Trạm Y tế {type_word.lower()} {rest} — khám bệnh"


@transaction.atomic
def load_demo() -> str:
    """A counter for each demo receiving office, a health station for a few communes; only what is missing."""
    have_offices = set(
        Resource.objects.filter(kind=ResourceKind.COUNTER, office__isnull=False).values_list(
            "office_id", flat=True
        )
    )
    counters = [
        Resource(
            kind=ResourceKind.COUNTER,
            name=f"Quầy tiếp nhận — {office.name}",
            unit_id=office.unit_id,
            office=office,
            address=office.address,
            slot_minutes=30,
            capacity=3,
            is_demo=True,
        )
        for office in ReceivingOffice.objects.select_related("unit").exclude(pk__in=have_offices)
    ]
    units = list(AdministrativeUnit.objects.current().filter(code__in=DEMO_STATION_COMMUNES))
    units += list(
        AdministrativeUnit.objects.current()
        .filter(receiving_office__isnull=False, parent__isnull=False, level="commune")
        .exclude(code__in=DEMO_STATION_COMMUNES)
        .order_by("code")[:EXTRA_STATIONS]
    )
    have_stations = set(
        Resource.objects.filter(kind=ResourceKind.HEALTH_STATION, is_demo=True).values_list(
            "unit_id", flat=True
        )
    )
    stations = [
        Resource(
            kind=ResourceKind.HEALTH_STATION,
            name=_station_name(unit),
            unit=unit,
            address=unit.headquarters,
            slot_minutes=15,
            capacity=2,
            is_demo=True,
        )
        for unit in units
        if unit.pk not in have_stations
    ]
    for resource in [*counters, *stations]:
        resource.save()  # save() fills the search key; ~70 rows
    return f"{len(counters)} counters, {len(stations)} health stations"

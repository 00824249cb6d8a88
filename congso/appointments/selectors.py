import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from congso.accounts.selectors import user_units
from congso.appointments.constants import STAFF_ROLES, BookingStatus
from congso.appointments.models import Booking, Resource
from congso.core.text import fold
from congso.dossiers.models import Dossier
from congso.geo.models import AdministrativeUnit


def resources_for_citizens(*, query: str = "", kind: str = "", unit_code: str = "") -> QuerySet[Resource]:
    """Open resources, searched without accents in their name, commune and address ("dat mui" finds
    "Xã Đất Mũi"), optionally of one kind and one commune."""
    items = Resource.objects.filter(is_active=True, unit__effective_to__isnull=True).select_related(
        "unit", "office"
    )
    for word in fold(query).split()[:8]:
        items = items.filter(search_key__contains=word)
    if kind:
        items = items.filter(kind=kind)
    if unit_code:
        items = items.filter(Q(unit__code=unit_code) | Q(unit__parent__code=unit_code))
    return items.order_by("unit__name", "kind", "name")


def resource_for_citizens(*, pk: int) -> Resource:
    return Resource.objects.select_related("unit", "office").get(pk=pk, is_active=True)


def communes_with_resources() -> QuerySet[AdministrativeUnit]:
    return (
        AdministrativeUnit.objects.current()
        .filter(pk__in=Resource.objects.filter(is_active=True).values("unit_id"))
        .order_by("name")
    )


def bookings_of_user(*, user) -> QuerySet[Booking]:
    """A citizen's own bookings, upcoming first."""
    return (
        Booking.objects.filter(user=user).select_related("resource", "resource__unit").order_by("-starts_at")
    )


def booking_for_user(*, user, pk: int) -> Booking:
    """One of the citizen's own bookings; ``Booking.DoesNotExist`` for anybody else's."""
    return Booking.objects.select_related("resource", "resource__unit", "dossier", "procedure").get(
        pk=pk, user=user
    )


def active_bookings_count(*, user, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return Booking.objects.filter(user=user, status=BookingStatus.BOOKED, starts_at__gt=now).count()


def dossiers_for_booking(*, user) -> QuerySet[Dossier]:
    """The citizen's own dossiers that a counter booking may refer to ("đặt lịch nộp hồ sơ")."""
    return Dossier.objects.filter(applicant_user=user).select_related("procedure").order_by("-submitted_at")


def resources_of_official(*, user) -> QuerySet[Resource]:
    """The resources of the units the official works in (never another commune's)."""
    units = user_units(user=user, roles=STAFF_ROLES)
    return (
        Resource.objects.filter(unit__in=units)
        .select_related("unit", "office")
        .order_by("unit__name", "name")
    )


def resource_for_official(*, user, pk: int) -> Resource:
    """One resource of the official's units; ``Resource.DoesNotExist`` for any other."""
    return resources_of_official(user=user).get(pk=pk)


def bookings_of_day(*, resource: Resource, day: datetime.date) -> QuerySet[Booking]:
    """The day's list at a resource: every booking that holds or held a place, by time."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return (
        Booking.objects.filter(
            resource=resource, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        )
        .select_related("dossier", "procedure")
        .order_by("starts_at", "seat", "pk")
    )


def booking_for_official(*, user, pk: int) -> Booking:
    return Booking.objects.select_related("resource").get(
        pk=pk, resource__in=resources_of_official(user=user).values("pk")
    )

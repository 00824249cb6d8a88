"""Every write of appointments: resources, closed days, bookings and their moves."""

import datetime
import logging
import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.selectors import user_units
from congso.appointments.constants import (
    CANCEL_SALT,
    CHECK_IN_ALPHABET,
    CHECK_IN_CODE_LENGTH,
    HOLDING,
    MAX_ACTIVE_BOOKINGS,
    NAME_MAX_LENGTH,
    PURPOSE_MAX_LENGTH,
    STAFF_ROLES,
    BookingStatus,
    ResourceKind,
)
from congso.appointments.models import Blackout, Booking, Resource
from congso.appointments.selectors import resources_of_official
from congso.appointments.slots import closed_reason, last_bookable_day, slot_starts
from congso.catalog.models import Procedure
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.core.qr import public_base_url
from congso.dossiers.models import Dossier
from congso.notifications.constants import MessageChannel
from congso.notifications.text import phone_normalize

logger = logging.getLogger(__name__)


# Tokens: the cancel link works without signing in, so it carries a signature, not just the id.


def cancel_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk, "c": booking.check_in_code}, salt=CANCEL_SALT, compress=True)


def booking_from_token(token: str) -> Booking | None:
    """The booking a cancel link names, or None when the link was altered."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Booking.objects.select_related("resource", "resource__unit")
        .filter(pk=data.get("b"), check_in_code=data.get("c"))
        .first()
    )


def ticket_url(booking: Booking) -> str:
    return public_base_url() + reverse("appointments:ticket", args=[cancel_token(booking)])


def _new_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


# Resources


def _ensure_staff(*, resource: Resource, actor) -> None:
    if not resources_of_official(user=actor).filter(pk=resource.pk).exists():
        raise PermissionDenied


def _check_resource_fields(*, name: str, slot_minutes: int, capacity: int, horizon_days: int, kind: str):
    if not (name or "").strip():
        raise ApplicationError(_("Enter the name of the counter or station."), code="no_name")
    if kind not in ResourceKind.values:
        raise ApplicationError(_("Choose the kind of resource."), code="invalid_kind")
    if not 5 <= slot_minutes <= 240:
        raise ApplicationError(_("A slot lasts from 5 to 240 minutes."), code="invalid_slot")
    if not 1 <= capacity <= 100:
        raise ApplicationError(_("A slot has from 1 to 100 places."), code="invalid_capacity")
    if not 1 <= horizon_days <= 366:
        raise ApplicationError(_("Bookings may be opened from 1 to 366 days ahead."), code="invalid_horizon")


@transaction.atomic
def resource_save(*, actor, resource: Resource | None = None, unit, **fields) -> Resource:
    """Create (``resource=None``) or change a resource of a unit the official works in."""
    if not user_units(user=actor, roles=STAFF_ROLES).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if resource is not None:
        _ensure_staff(resource=resource, actor=actor)
    _check_resource_fields(
        name=fields.get("name", ""),
        kind=fields.get("kind", ""),
        slot_minutes=fields.get("slot_minutes", 0),
        capacity=fields.get("capacity", 0),
        horizon_days=fields.get("horizon_days", 0),
    )
    office = fields.get("office")
    if office is not None and office.unit_id != unit.pk:
        raise ApplicationError(_("The service centre must be the unit's own."), code="office_elsewhere")
    resource = resource or Resource()
    resource.unit = unit
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    resource.save()
    return resource


@transaction.atomic
def blackout_add(*, resource: Resource, actor, date: datetime.date, reason: str) -> Blackout:
    """Close ``resource`` on ``date``. The bookings of that day are cancelled and their holders told why."""
    _ensure_staff(resource=resource, actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for closing."), code="no_reason")
    if date < timezone.localdate():
        raise ApplicationError(_("A day in the past cannot be closed."), code="past")
    if Blackout.objects.filter(resource=resource, date=date).exists():
        raise ApplicationError(_("This day is already closed."), code="already_closed")
    blackout = Blackout.objects.create(resource=resource, date=date, reason=reason[:255], created_by=actor)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date, datetime.time.min, tzinfo=tz)
    affected = Booking.objects.select_for_update().filter(
        resource=resource,
        status=BookingStatus.BOOKED,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    )
    for booking in affected:
        _cancel(booking, reason=reason, notify_template="appointment_cancelled")
    return blackout


@transaction.atomic
def blackout_remove(*, blackout: Blackout, actor) -> None:
    _ensure_staff(resource=blackout.resource, actor=actor)
    blackout.delete()


# Bookings


def _clean_person(name: str, phone: str, purpose: str) -> tuple[str, str, str]:
    name, purpose = (name or "").strip(), (purpose or "").strip()
    if not name:
        raise ApplicationError(_("Enter your full name."), code="no_name")
    if len(name) > NAME_MAX_LENGTH:
        raise ApplicationError(_("The name is too long."), code="too_long")
    normalized = phone_normalize(phone or "")
    if normalized is None:
        raise ApplicationError(_("A phone number has 10 digits and starts with 0 (or +84)."), code="phone")
    if not purpose:
        raise ApplicationError(_("Say briefly what you are coming for."), code="no_purpose")
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ApplicationError(
            _("The purpose may have at most %(n)d characters.") % {"n": PURPOSE_MAX_LENGTH}, code="too_long"
        )
    return name, normalized, purpose


@transaction.atomic
def booking_create(
    *,
    resource: Resource,
    user,
    starts_at: datetime.datetime,
    name: str,
    phone: str,
    purpose: str,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book one place in the slot of ``resource`` starting at ``starts_at`` for a signed-in citizen.

    Never overbooks: the resource row is locked while the slot's places are counted, and the database
    refuses a second holder of a place. Raises ApplicationError (in Vietnamese) for a slot in the past, on a
    closed day, beyond the booking horizon, not a slot start, full, booked twice by the same person, or when
    the person already holds the maximum of upcoming bookings; PermissionDenied for another's dossier.
    """
    now = now or timezone.now()
    name, phone, purpose = _clean_person(name, phone, purpose)
    if dossier is not None:
        if dossier.applicant_user_id is None or dossier.applicant_user_id != user.pk:
            raise PermissionDenied
        procedure = procedure or dossier.procedure
    working = calendar.current_calendar()
    starts_at = starts_at.astimezone(working.tz)
    day = starts_at.date()
    if starts_at <= now:
        raise ApplicationError(_("This time has already passed. Choose a later slot."), code="past")
    if day > last_bookable_day(resource, now):
        raise ApplicationError(
            _("Bookings open at most %(n)d days ahead.") % {"n": resource.horizon_days}, code="too_far"
        )
    # The lock serialises bookings of this resource: counting then inserting cannot interleave.
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not resource.is_active:
        raise ApplicationError(_("This place does not take bookings at the moment."), code="inactive")
    blackouts = dict(resource.blackouts.filter(date=day).values_list("date", "reason"))
    if reason := closed_reason(resource, day, working, blackouts):
        raise ApplicationError(
            _("%(place)s is closed on %(day)s (%(reason)s).")
            % {"place": resource.name, "day": day.strftime("%d/%m/%Y"), "reason": reason},
            code="closed",
        )
    ends = dict(slot_starts(resource, day, working))
    if starts_at not in ends:
        raise ApplicationError(_("Choose one of the slots shown."), code="not_a_slot")
    if (
        Booking.objects.filter(user=user, status=BookingStatus.BOOKED, starts_at__gt=now).count()
        >= MAX_ACTIVE_BOOKINGS
    ):
        raise ApplicationError(
            _("You already have %(n)d upcoming appointments. Cancel one before booking another.")
            % {"n": MAX_ACTIVE_BOOKINGS},
            code="too_many",
        )
    holders = Booking.objects.filter(resource=resource, starts_at=starts_at, status__in=HOLDING)
    if holders.filter(user=user).exists():
        raise ApplicationError(_("You have already booked this slot."), code="duplicate")
    seats = set(holders.values_list("seat", flat=True))
    free = [seat for seat in range(1, resource.capacity + 1) if seat not in seats]
    if not free:
        raise ApplicationError(_("This slot is full. Please choose another time."), code="full")
    booking = Booking(
        resource=resource,
        starts_at=starts_at,
        ends_at=ends[starts_at],
        seat=free[0],
        user=user,
        name=name,
        phone=phone,
        email=getattr(user, "email", "") or "",
        purpose=purpose,
        dossier=dossier,
        procedure=procedure,
        created_at=now,
    )
    for _attempt in range(5):
        booking.check_in_code = _new_code()
        try:
            with transaction.atomic():
                booking.save()
            break
        except IntegrityError:
            if Booking.objects.filter(check_in_code=booking.check_in_code).exists():
                continue  # a code drawn twice: draw again
            # Without the lock (another database, a bug) the unique place index still says no.
            raise ApplicationError(_("This slot is full. Please choose another time."), code="full") from None
    else:
        raise ApplicationError(_("Please try again."), code="code")
    _notify(booking, "appointment_booked")
    return booking


def _notify(booking: Booking, template: str, *, event: str = "") -> None:
    from congso.notifications.services import notification_send

    context = {
        "name": booking.name,
        "resource": booking.resource.name,
        "address": booking.resource.address or booking.resource.unit.full_name,
        "starts_at": booking.starts_at,
        "code": booking.check_in_code,
        "purpose": booking.purpose,
        "ticket_url": ticket_url(booking),
        "qr_url": public_base_url() + reverse("appointments:ticket_qr", args=[cancel_token(booking)]),
        "reason": booking.cancel_reason,
    }
    for channel, recipient in ((MessageChannel.EMAIL, booking.email), (MessageChannel.SMS, booking.phone)):
        if not recipient:
            continue
        try:
            notification_send(
                channel=channel,
                recipient=recipient,
                template=template,
                context=context,
                dedup_key=f"appointment:{booking.pk}:{template}{event}:{channel}",
                subject_type="appointment",
                subject_id=booking.pk,
            )
        except ApplicationError:
            logger.warning("booking %s: no %s notification (recipient refused)", booking.pk, channel)


def _cancel(booking: Booking, *, reason: str = "", notify_template: str = "") -> Booking:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason[:255]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    if notify_template:
        _notify(booking, notify_template)
    return booking


def _locked(booking: Booking) -> Booking:
    fresh = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.status = fresh.status
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, now: datetime.datetime | None = None) -> Booking:
    """Give the place back. Whoever holds the signed link (or the booking's account) may; only an upcoming
    booking can be cancelled."""
    now = now or timezone.now()
    _locked(booking)
    if booking.status == BookingStatus.CANCELLED:
        raise ApplicationError(_("This appointment has already been cancelled."), code="already_cancelled")
    if booking.status != BookingStatus.BOOKED or booking.starts_at <= now:
        raise ApplicationError(_("An appointment that has begun can no longer be cancelled."), code="begun")
    return _cancel(booking, reason=_("Cancelled by the applicant"))


@transaction.atomic
def booking_check_in(
    *, resource: Resource, actor, code: str, now: datetime.datetime | None = None
) -> Booking:
    """The person has come: found by the code on their ticket (typed or scanned), at this resource, today."""
    _ensure_staff(resource=resource, actor=actor)
    now = now or timezone.now()
    code = "".join((code or "").split()).upper()
    booking = (
        Booking.objects.select_for_update()
        .filter(resource=resource, check_in_code=code)
        .select_related("resource")
        .first()
    )
    if booking is None:
        raise ApplicationError(_("No appointment with this code at this place."), code="unknown_code")
    if booking.status == BookingStatus.CHECKED_IN:
        raise ApplicationError(_("This person has already been checked in."), code="already")
    if booking.status == BookingStatus.CANCELLED:
        raise ApplicationError(_("This appointment was cancelled."), code="cancelled")
    if timezone.localdate(booking.starts_at) != timezone.localdate(now):
        raise ApplicationError(
            _("This appointment is for %(day)s, not today.")
            % {"day": timezone.localtime(booking.starts_at).strftime("%d/%m/%Y")},
            code="other_day",
        )
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.handled_by = actor
    booking.save(update_fields=["status", "checked_in_at", "handled_by"])
    return booking


@transaction.atomic
def booking_mark_no_show(*, booking: Booking, actor, now: datetime.datetime | None = None) -> Booking:
    """The person did not come: only once the slot has begun."""
    _ensure_staff(resource=booking.resource, actor=actor)
    now = now or timezone.now()
    _locked(booking)
    if booking.status != BookingStatus.BOOKED:
        raise ApplicationError(_("Only an appointment still waiting can be marked."), code="not_booked")
    if booking.starts_at > now:
        raise ApplicationError(_("The slot has not begun yet."), code="not_begun")
    booking.status = BookingStatus.NO_SHOW
    booking.handled_by = actor
    booking.save(update_fields=["status", "handled_by"])
    return booking


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind, once, everybody with an appointment tomorrow who booked before today. Idempotent: the
    booking is marked in the same transaction as the message is queued, and the message has a dedup key."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today_start = datetime.datetime.combine(timezone.localdate(now), datetime.time.min, tzinfo=tz)
    tomorrow = today_start + datetime.timedelta(days=1)
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gte=tomorrow,
        starts_at__lt=tomorrow + datetime.timedelta(days=1),
        created_at__lt=today_start,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:500]):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            booking = Booking.objects.select_related("resource", "resource__unit").get(pk=pk)
            _notify(booking, "appointment_reminder")
            sent += 1
    return sent

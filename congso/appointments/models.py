from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.appointments.constants import (
    BOOKING_HORIZON_DAYS,
    DEFAULT_CAPACITY,
    DEFAULT_SLOT_MINUTES,
    NAME_MAX_LENGTH,
    PURPOSE_MAX_LENGTH,
    BookingStatus,
    ResourceKind,
)
from congso.core.models import TimeStampedModel
from congso.core.text import fold


class Resource(TimeStampedModel):
    """Something people book time with: a counter of a service centre, or a health station's examinations.

    Open on the working days and office hours of ``congso.core.calendar``, less its own blackout days; the
    slots are computed from those, only bookings are stored.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    search_key = models.CharField(_("search key"), max_length=400, editable=False, db_index=True)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "dossiers.ReceivingOffice",
        verbose_name=_("receiving office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_resources",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=DEFAULT_SLOT_MINUTES)
    capacity = models.PositiveSmallIntegerField(_("places per slot"), default=DEFAULT_CAPACITY)
    horizon_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=BOOKING_HORIZON_DAYS)
    is_active = models.BooleanField(_("open for booking"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("bookable resource")
        verbose_name_plural = _("bookable resources")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240), name="appointments_slot_length"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appointments_capacity_positive"),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1, horizon_days__lte=366), name="appointments_horizon"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.name} {self.unit.full_name if self.unit_id else ''} {self.address}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class Blackout(models.Model):
    """A day a resource is closed although the calendar works (training, repairs, a vaccination day)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="blackouts"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "date"], name="appointments_blackout_once")
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.date:%d/%m/%Y}"


class Booking(models.Model):
    """One person's place in one slot. ``seat`` (1..capacity) numbers the places of the slot: a unique
    index over the places still held makes the database itself refuse a second holder of a place."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat = models.PositiveSmallIntegerField(_("place number"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="appointment_bookings",
    )
    name = models.CharField(_("full name"), max_length=NAME_MAX_LENGTH)
    phone = models.CharField(_("phone number"), max_length=10)
    email = models.EmailField(_("e-mail address"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=PURPOSE_MAX_LENGTH)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_bookings",
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_in_code = models.CharField(_("check-in code"), max_length=12, unique=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "starts_at", "seat"],
                condition=~Q(status=BookingStatus.CANCELLED),
                name="appointments_one_holder_per_place",
            ),
            models.UniqueConstraint(
                fields=["resource", "starts_at", "user"],
                condition=~Q(status=BookingStatus.CANCELLED),
                name="appointments_one_place_per_person_per_slot",
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="appointments_seat_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointments_ends"),
        ]
        indexes = [
            models.Index(fields=["resource", "starts_at"]),
            models.Index(fields=["user", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.check_in_code} {self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_upcoming(self) -> bool:
        return self.status == BookingStatus.BOOKED and self.starts_at > timezone.now()

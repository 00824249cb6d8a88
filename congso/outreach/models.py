"""Community digital teams (Tổ công nghệ số cộng đồng): teams, households, visits and platform adoption.

Households, visits and adoption events are created on a team member's phone, possibly offline: their primary
key is a UUID made by the phone, so a retried upload never makes a second copy. A household's current
platforms are derived from its adoption events (selectors), never stored twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core.models import TimeStampedModel
from congso.core.text import fold
from congso.outreach.constants import (
    AdoptionStatus,
    ConflictStatus,
    EvidenceSource,
    MemberRole,
    PlatformLevel,
    VisitOutcome,
)


class HamletFigures(models.Model):
    """What outreach knows of a hamlet beyond the unit list: the official household count (the denominator
    of coverage), from the commune's statistics."""

    hamlet = models.OneToOneField(
        "geo.AdministrativeUnit", verbose_name=_("hamlet"), on_delete=models.CASCADE, related_name="outreach"
    )
    official_households = models.PositiveIntegerField(
        _("official number of households"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hamlet figures")
        verbose_name_plural = _("hamlet figures")

    def __str__(self) -> str:
        return f"{self.hamlet} · {self.official_households}"


class Team(TimeStampedModel):
    """One team per hamlet, set up by decision of the commune chairman (guidance 793/BTTTT-THH)."""

    hamlet = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=160)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("community digital team")
        verbose_name_plural = _("community digital teams")
        ordering = ["hamlet__code"]
        constraints = [models.UniqueConstraint(fields=["hamlet"], name="outreach_one_team_per_hamlet")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL
    )
    full_name = models.CharField(_("full name"), max_length=120)
    role = models.CharField(_("role in the team"), max_length=12, choices=MemberRole.choices)
    position = models.CharField(
        _("position"), max_length=120, blank=True, help_text=_("e.g. hamlet head, youth union, post office.")
    )
    trained = models.BooleanField(_("trained"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class Platform(models.Model):
    """A digital platform the teams help households use; a data row with a stable code."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("counted per"), max_length=10, choices=PlatformLevel.choices)
    has_shop_details = models.BooleanField(_("asks for the shop's platform and products"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("digital platform")
        verbose_name_plural = _("digital platforms")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hamlet = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    house_number = models.CharField(_("house number"), max_length=40, blank=True)
    head_name = models.CharField(_("head of household"), max_length=120)
    head_key = models.CharField(_("folded name"), max_length=120, editable=False)
    search_key = models.CharField(_("search key"), max_length=200, editable=False)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    members = models.PositiveSmallIntegerField(_("number of members"), default=1)
    adults = models.PositiveSmallIntegerField(_("number of adults"), default=1)
    version = models.PositiveIntegerField(_("version"), default=1)
    # How many platforms the household uses now (its current adoption events): kept with those events, so
    # that "households with at least one platform" is counted without reading the events.
    platforms_in_use = models.PositiveSmallIntegerField(_("platforms in use"), default=0, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    # The sync cursor: raised (from one counter) whenever anything a phone shows of the household changes.
    change_seq = models.BigIntegerField(_("change sequence"), default=0, db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["hamlet", "house_number", "head_name"]
        indexes = [
            models.Index(fields=["hamlet", "change_seq", "id"], name="outreach_hh_sync"),
            models.Index(fields=["hamlet", "phone"], name="outreach_hh_phone"),
            models.Index(fields=["hamlet", "head_key"], name="outreach_hh_head"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name} · {self.house_number}"

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)

    def set_keys(self) -> None:
        """The folded keys of search and duplicate detection; call before bulk_create."""
        self.head_key = fold(self.head_name)[:120]
        self.search_key = fold(f"{self.head_name} {self.house_number}")[:200]


class Visit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    visited_at = models.DateTimeField(_("visited at (on the device)"), db_index=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=VisitOutcome.choices)
    members_present = models.PositiveSmallIntegerField(_("members present"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["household", "visited_at"], name="outreach_visit_household")]

    def __str__(self) -> str:
        return f"{self.household} · {self.visited_at:%d/%m/%Y}"


class AdoptionEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="adoption_events"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    platform = models.ForeignKey(Platform, verbose_name=_("platform"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=14, choices=AdoptionStatus.choices)
    persons = models.PositiveSmallIntegerField(_("persons"), default=0)
    source = models.CharField(
        _("source"), max_length=14, choices=EvidenceSource.choices, default=EvidenceSource.SELF_REPORTED
    )
    shop_platform = models.CharField(_("selling platform"), max_length=60, blank=True)
    product_count = models.PositiveIntegerField(_("number of products"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at (on the device)"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # True on the latest event of its household and platform: the household's current state, kept by the
    # services on every write so that coverage "now" is a plain filter, not a search for the latest event.
    is_current = models.BooleanField(_("current state"), default=False)

    class Meta:
        verbose_name = _("adoption event")
        verbose_name_plural = _("adoption events")
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["household", "platform", "recorded_at"], name="outreach_event_latest"),
            models.Index(fields=["is_current", "status"], name="outreach_event_current"),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.platform.code} · {self.status}"


class HouseholdConflict(models.Model):
    """An update made on a phone from an older version of the household: kept for a supervisor to apply or
    discard, never applied silently."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="conflicts"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    base_version = models.PositiveIntegerField(_("based on version"))
    server_version = models.PositiveIntegerField(_("version on the server"))
    data = models.JSONField(_("proposed values"))
    status = models.CharField(
        _("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household conflict")
        verbose_name_plural = _("household conflicts")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.household} v{self.base_version}"


class SyncCounter(models.Model):
    """One row: the last change sequence handed out. Taking the next one locks the row until commit, so
    sequences become visible in order and a phone's cursor never skips a change."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("sync counter")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class RollupValue(models.Model):
    """A stored roll-up figure (outreach_figures for one day), refreshed nightly; pages read these."""

    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="outreach_rollups",
    )
    metric = models.CharField(_("metric"), max_length=40)
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("roll-up value")
        verbose_name_plural = _("roll-up values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "metric", "as_of"], name="outreach_rollup_unique"),
        ]
        indexes = [models.Index(fields=["metric", "as_of"], name="outreach_rollup_metric")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.metric} {self.as_of} = {self.value}"

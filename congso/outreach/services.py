"""Every write of outreach. The sync batch is the one way visits, adoption events and households reach the
database, from the phone app, its no-JS fallback and the API alike."""

import contextlib
import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy  # field labels: translated only on error

from congso.accounts.models import User
from congso.audit.chain import audit_record
from congso.core.exceptions import ApplicationError
from congso.core.text import nfc
from congso.geo.models import AdministrativeUnit
from congso.outreach import rollup, selectors
from congso.outreach.constants import (
    PLATFORMS,
    USING,
    AdoptionStatus,
    ConflictStatus,
    EvidenceSource,
    VisitOutcome,
)
from congso.outreach.models import (
    AdoptionEvent,
    HamletFigures,
    Household,
    HouseholdConflict,
    Platform,
    SyncCounter,
    Visit,
)

PHONE = re.compile(r"^0\d{9,10}$")
MAX_MEMBERS = 60
MAX_BATCH = 2000
HOUSEHOLD_FIELDS = ["house_number", "head_name", "phone", "members", "adults"]
CLOCK_SKEW = datetime.timedelta(days=1)  # a phone's clock may be wrong, not by more than this


def platforms_load() -> int:
    """Create the platform catalogue rows that are missing (codes are stable; names may be edited)."""
    have = set(Platform.objects.values_list("code", flat=True))
    new = [
        Platform(code=code, name=name, level=level, has_shop_details=shop, position=position)
        for code, name, level, shop, position in PLATFORMS
        if code not in have
    ]
    Platform.objects.bulk_create(new)
    return len(new)


def next_change_seq() -> int:
    """The next value of the sync cursor. The row stays locked until the transaction ends (PostgreSQL), so
    changes become visible in the order of their numbers."""
    SyncCounter.objects.get_or_create(name="households")
    counter = SyncCounter.objects.select_for_update().get(name="households")
    SyncCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    return counter.value + 1


# --- validation of what a phone sends ---------------------------------------------------------------------


class ItemError(Exception):
    pass


_VALUES: dict = {}


def _uuid(value, label) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ItemError(_("%(field)s is not a valid identifier.") % {"field": label}) from None


def _int(value, label, *, low: int = 0, high: int = MAX_MEMBERS, default: int | None = None) -> int:
    if value in (None, "") and default is not None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ItemError(_("%(field)s must be a whole number.") % {"field": label}) from None
    if not low <= number <= high:
        raise ItemError(
            _("%(field)s must be between %(low)d and %(high)d.") % {"field": label, "low": low, "high": high}
        )
    return number


def _moment(value, label, *, now: datetime.datetime) -> datetime.datetime:
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value or ""))
    if moment is None:
        raise ItemError(_("%(field)s is not a valid date and time.") % {"field": label})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        raise ItemError(_("%(field)s is in the future: check the phone's clock.") % {"field": label})
    return moment


def _choice(value, choices, label) -> str:
    if value not in _VALUES.setdefault(choices, frozenset(choices.values)):
        raise ItemError(_("%(field)s has an unknown value.") % {"field": label})
    return value


def household_clean(data: dict) -> dict:
    """The household's fields, normalised; ItemError (Vietnamese) on the first bad one."""
    head_name = nfc(str(data.get("head_name") or ""))
    if not head_name:
        raise ItemError(_("The head of household's name is required."))
    if len(head_name) > 120:
        raise ItemError(_("The head of household's name is too long."))
    house_number = nfc(str(data.get("house_number") or ""))[:40]
    phone = re.sub(r"[\s.\-]", "", str(data.get("phone") or ""))
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    if phone and not PHONE.match(phone):
        raise ItemError(_("The phone number must have 10 or 11 digits and start with 0."))
    members = _int(data.get("members"), gettext_lazy("The number of members"), low=1, default=1)
    adults = _int(data.get("adults"), gettext_lazy("The number of adults"), default=min(members, 1))
    if adults > members:
        raise ItemError(_("There cannot be more adults than members."))
    return {
        "house_number": house_number,
        "head_name": head_name,
        "phone": phone,
        "members": members,
        "adults": adults,
    }


# --- the sync batch ---------------------------------------------------------------------------------------


@dataclass
class _Batch:
    user: User
    hamlets: dict  # code → unit, the member's hamlets
    hamlet_ids: set
    now: datetime.datetime
    touched: set = field(default_factory=set)
    left_hamlets: set = field(default_factory=set)  # hamlets a household moved out of
    seq: int | None = None

    def change_seq(self) -> int:
        if self.seq is None:
            self.seq = next_change_seq()
        return self.seq


@transaction.atomic
def sync_batch(*, user: User, households=(), visits=(), events=(), hamlets=None) -> dict:
    """Store what a team member's phone sends: households, visits, adoption events, each keyed by the UUID
    the phone made. Idempotent: the same batch again changes nothing. One transaction; a result per item.

    An item outside the member's hamlets is refused (nothing stored for it). An update based on an older
    version of a household becomes a conflict for a supervisor, never applied silently. A new household that
    looks like one already registered comes back as ``duplicate`` with its candidates unless the phone
    confirms it (``confirm_new``). ``hamlets`` overrides the member's hamlets (for scripts and tests).
    """
    if len(households) + len(visits) + len(events) > MAX_BATCH:
        raise ApplicationError(_("Too many items at once: send at most %(max)d.") % {"max": MAX_BATCH})
    if hamlets is None:
        hamlets = selectors.member_hamlets(user=user)
    units = {unit.code: unit for unit in hamlets}
    batch = _Batch(user=user, hamlets=units, hamlet_ids={u.pk for u in units.values()}, now=timezone.now())
    results = {
        "households": [_household_sync(batch, item) for item in households],
        "visits": _visits_sync(batch, list(visits)),
        "events": _events_sync(batch, list(events)),
    }
    if batch.touched:
        Household.objects.filter(pk__in=batch.touched).update(change_seq=batch.change_seq())
        hamlets = set(Household.objects.filter(pk__in=batch.touched).values_list("hamlet_id", flat=True))
        rollup.rollup_refresh(hamlet_ids=hamlets | batch.left_hamlets)
    return results


def _household_sync(batch: _Batch, item: dict) -> dict:
    raw_id = item.get("id") if isinstance(item, dict) else None
    try:
        household_id = _uuid(raw_id, gettext_lazy("The household"))
        existing = (
            Household.objects.select_for_update().select_related("hamlet").filter(pk=household_id).first()
        )
        if existing is not None and existing.hamlet_id not in batch.hamlet_ids:
            raise ItemError(_("This household is not in one of your hamlets."))
        if existing is not None:
            # An update carries the fields it changes; the others keep their current values.
            item = {
                **{name: getattr(existing, name) for name in HOUSEHOLD_FIELDS},
                "hamlet": existing.hamlet.code,
                **item,
            }
        data = household_clean(item)
        hamlet = batch.hamlets.get(str(item.get("hamlet") or ""))
        if hamlet is None:
            raise ItemError(_("This hamlet is not one of yours."))
        if existing is None:
            return _household_create(
                batch, household_id, hamlet, data, confirmed=bool(item.get("confirm_new"))
            )
        return _household_update(batch, existing, hamlet, data, item.get("base_version"))
    except ItemError as error:
        return {"id": str(raw_id), "status": "error", "message": str(error)}


def _household_create(batch, household_id, hamlet, data, *, confirmed: bool) -> dict:
    if not confirmed:
        candidates = list(
            selectors.duplicate_candidates(
                hamlet_id=hamlet.pk,
                head_name=data["head_name"],
                house_number=data["house_number"],
                phone=data["phone"],
            )
        )
        if candidates:
            return {
                "id": str(household_id),
                "status": "duplicate",
                "message": _("This household may already be registered."),
                "candidates": [household_brief(h) for h in candidates],
            }
    household = Household(id=household_id, hamlet=hamlet, created_by=batch.user, **data)
    household.save(force_insert=True)
    batch.touched.add(household.pk)
    return {"id": str(household_id), "status": "created", "version": household.version}


def _household_update(batch, household: Household, hamlet, data, base_version) -> dict:
    current = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    if current == data and household.hamlet_id == hamlet.pk:
        return {"id": str(household.pk), "status": "unchanged", "version": household.version}
    if household.merged_into_id:
        raise ItemError(_("This household was merged into another one; update that one."))
    base = _int(base_version, gettext_lazy("The version"), low=0, high=10**9, default=0)
    if base != household.version:
        _conflict, _created = HouseholdConflict.objects.get_or_create(
            household=household,
            base_version=base,
            status=ConflictStatus.OPEN,
            data={**data, "hamlet": hamlet.code},
            defaults={"submitted_by": batch.user, "server_version": household.version},
        )
        return {
            "id": str(household.pk),
            "status": "conflict",
            "version": household.version,
            "message": _("Someone else changed this household first; a supervisor will decide."),
        }
    if household.hamlet_id != hamlet.pk:
        batch.left_hamlets.add(household.hamlet_id)
    _household_apply(household, {**data, "hamlet": hamlet})
    batch.touched.add(household.pk)
    return {"id": str(household.pk), "status": "updated", "version": household.version}


def _household_apply(household: Household, data: dict) -> None:
    for name in HOUSEHOLD_FIELDS:
        setattr(household, name, data[name])
    household.hamlet = data["hamlet"]
    household.version += 1
    household.set_keys()
    household.save(
        update_fields=[*HOUSEHOLD_FIELDS, "hamlet", "version", "head_key", "search_key", "updated_at"]
    )


def household_brief(household: Household) -> dict:
    from congso.core.masking import mask_phone

    return {
        "id": str(household.pk),
        "house_number": household.house_number,
        "head_name": household.head_name,
        "phone": mask_phone(household.phone) if household.phone else "",
    }


def _households_for(batch: _Batch, ids: set) -> dict:
    """id → the live household it now is (following merges), for the ids in the member's hamlets."""
    found = {h.pk: h for h in Household.objects.filter(pk__in=ids).only("id", "hamlet_id", "merged_into_id")}
    for _hop in range(3):
        targets = {
            h.merged_into_id for h in found.values() if h.merged_into_id and h.merged_into_id not in found
        }
        if not targets:
            break
        found.update(
            {
                h.pk: h
                for h in Household.objects.filter(pk__in=targets).only("id", "hamlet_id", "merged_into_id")
            }
        )
    resolved = {}
    for household_id in ids:
        household = found.get(household_id)
        while household is not None and household.merged_into_id:
            household = found.get(household.merged_into_id)
        if household is not None and household.hamlet_id in batch.hamlet_ids:
            resolved[household_id] = household
    return resolved


def _visits_sync(batch: _Batch, items: list) -> list[dict]:
    parsed, results = [], []
    for item in items:
        raw_id = item.get("id") if isinstance(item, dict) else None
        try:
            visit_id = _uuid(raw_id, gettext_lazy("The visit"))
            household_id = _uuid(item.get("household"), gettext_lazy("The household"))
            parsed.append((visit_id, household_id, item))
            results.append({"id": str(visit_id), "status": None})
        except ItemError as error:
            results.append({"id": str(raw_id), "status": "error", "message": str(error)})
    households = _households_for(batch, {household_id for _v, household_id, _i in parsed})
    existing = set(Visit.objects.filter(pk__in=[v for v, _h, _i in parsed]).values_list("pk", flat=True))
    new, by_id = [], {r["id"]: r for r in results if r["status"] is None}
    for visit_id, household_id, item in parsed:
        result = by_id[str(visit_id)]
        try:
            household = households.get(household_id)
            if household is None:
                raise ItemError(_("This household is not in one of your hamlets."))
            if visit_id in existing:
                result["status"] = "exists"
                continue
            new.append(
                Visit(
                    id=visit_id,
                    household_id=household.pk,
                    visited_by=batch.user,
                    visited_at=_moment(item.get("visited_at"), gettext_lazy("The visit time"), now=batch.now),
                    outcome=_choice(item.get("outcome"), VisitOutcome, gettext_lazy("The outcome")),
                    members_present=_int(
                        item.get("members_present"), gettext_lazy("Members present"), default=0
                    ),
                    note=nfc(str(item.get("note") or ""))[:500],
                )
            )
            existing.add(visit_id)
            result["status"] = "created"
            batch.touched.add(household.pk)
        except ItemError as error:
            result.update(status="error", message=str(error))
    Visit.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return results


def _events_sync(batch: _Batch, items: list) -> list[dict]:
    platforms = {p.code: p for p in Platform.objects.filter(is_active=True)}
    parsed, results = [], []
    for item in items:
        raw_id = item.get("id") if isinstance(item, dict) else None
        try:
            event_id = _uuid(raw_id, gettext_lazy("The adoption record"))
            household_id = _uuid(item.get("household"), gettext_lazy("The household"))
            parsed.append((event_id, household_id, item))
            results.append({"id": str(event_id), "status": None})
        except ItemError as error:
            results.append({"id": str(raw_id), "status": "error", "message": str(error)})
    households = _households_for(batch, {household_id for _e, household_id, _i in parsed})
    existing = set(
        AdoptionEvent.objects.filter(pk__in=[e for e, _h, _i in parsed]).values_list("pk", flat=True)
    )
    visit_ids = set()
    for _e, _h, item in parsed:
        with contextlib.suppress(ValueError):
            visit_ids.add(uuid.UUID(str(item.get("visit"))))
    visits = dict(Visit.objects.filter(pk__in=visit_ids).values_list("pk", "household_id"))
    new, by_id = [], {r["id"]: r for r in results if r["status"] is None}
    for event_id, household_id, item in parsed:
        result = by_id[str(event_id)]
        try:
            household = households.get(household_id)
            if household is None:
                raise ItemError(_("This household is not in one of your hamlets."))
            if event_id in existing:
                result["status"] = "exists"
                continue
            platform = platforms.get(str(item.get("platform") or ""))
            if platform is None:
                raise ItemError(_("Unknown platform."))
            visit_id = None
            if item.get("visit"):
                visit_id = _uuid(item.get("visit"), gettext_lazy("The visit"))
                if visits.get(visit_id) != household.pk:
                    visit_id = None  # a visit that is not this household's: keep the event, not the link
            product_count = None
            if platform.has_shop_details and item.get("product_count") not in (None, ""):
                product_count = _int(
                    item.get("product_count"), gettext_lazy("The number of products"), high=100000
                )
            new.append(
                AdoptionEvent(
                    id=event_id,
                    household_id=household.pk,
                    visit_id=visit_id,
                    platform=platform,
                    status=_choice(item.get("status"), AdoptionStatus, gettext_lazy("The adoption status")),
                    persons=_int(item.get("persons"), gettext_lazy("The number of persons"), default=0),
                    source=_choice(
                        item.get("source") or EvidenceSource.SELF_REPORTED,
                        EvidenceSource,
                        gettext_lazy("The source"),
                    ),
                    shop_platform=nfc(str(item.get("shop_platform") or ""))[:60]
                    if platform.has_shop_details
                    else "",
                    product_count=product_count,
                    recorded_at=_moment(
                        item.get("recorded_at"), gettext_lazy("The time of the record"), now=batch.now
                    ),
                    recorded_by=batch.user,
                )
            )
            existing.add(event_id)
            result["status"] = "created"
            batch.touched.add(household.pk)
        except ItemError as error:
            result.update(status="error", message=str(error))
    AdoptionEvent.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    events_mark_current(household_ids={event.household_id for event in new})
    return results


def events_mark_current(*, household_ids) -> None:
    """Flag the latest adoption event of each platform of these households as their current state (and
    only it), and recount the platforms each household uses. Three UPDATEs per 500 households, in SQL."""
    household_ids = list(household_ids)
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        latest = selectors.latest_events().filter(household_id__in=chunk).values("id")
        AdoptionEvent.objects.filter(household_id__in=chunk, is_current=True).exclude(id__in=latest).update(
            is_current=False
        )
        AdoptionEvent.objects.filter(id__in=latest, is_current=False).update(is_current=True)
        in_use = (
            AdoptionEvent.objects.filter(household_id=OuterRef("pk"), is_current=True, status__in=USING)
            .order_by()
            .values("household_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        Household.objects.filter(pk__in=chunk).update(platforms_in_use=Coalesce(Subquery(in_use), 0))


def visit_record(
    *,
    user: User,
    household: Household,
    outcome: str,
    members_present: int = 0,
    note: str = "",
    platforms: dict | None = None,
    visit_id: uuid.UUID | None = None,
    visited_at: datetime.datetime | None = None,
) -> Visit:
    """A visit and its adoption events from a server-side form (the no-JS page): the same path as a sync.

    ``platforms`` maps a platform code to (status, persons). Raises ApplicationError on bad input.
    """
    visit_id = visit_id or uuid.uuid4()
    visited_at = visited_at or timezone.now()
    events = [
        {
            "id": str(uuid.uuid5(visit_id, code)),
            "household": str(household.pk),
            "visit": str(visit_id),
            "platform": code,
            "status": status,
            "persons": persons,
            "recorded_at": visited_at.isoformat(),
        }
        for code, (status, persons) in (platforms or {}).items()
    ]
    visit = {
        "id": str(visit_id),
        "household": str(household.pk),
        "visited_at": visited_at.isoformat(),
        "outcome": outcome,
        "members_present": members_present,
        "note": note,
    }
    with transaction.atomic():
        results = sync_batch(user=user, visits=[visit], events=events)
        for result in results["visits"] + results["events"]:
            if result["status"] == "error":
                raise ApplicationError(result["message"])
    return Visit.objects.get(pk=visit_id)


# --- supervisors ------------------------------------------------------------------------------------------


@transaction.atomic
def households_merge(*, actor: User, survivor: Household, duplicate: Household) -> Household:
    """Merge ``duplicate`` into ``survivor`` (same hamlet): its visits and adoption events move to the
    survivor; the duplicate stays, pointing at it, so phones that still hold it follow the link."""
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("Choose two different households."))
    if survivor.hamlet_id != duplicate.hamlet_id:
        raise ApplicationError(_("Only households of the same hamlet can be merged."))
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise ApplicationError(_("One of these households was already merged."))
    Visit.objects.filter(household=duplicate).update(household=survivor)
    AdoptionEvent.objects.filter(household=duplicate).update(household=survivor)
    events_mark_current(household_ids=[survivor.pk, duplicate.pk])
    HouseholdConflict.objects.filter(household=duplicate, status=ConflictStatus.OPEN).update(
        status=ConflictStatus.DISCARDED, resolved_by=actor, resolved_at=timezone.now()
    )
    Household.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    seq = next_change_seq()
    duplicate.merged_into = survivor
    duplicate.change_seq = seq
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "change_seq", "version", "updated_at"])
    survivor.change_seq = seq
    survivor.save(update_fields=["change_seq", "updated_at"])
    audit_record(
        actor=actor, action="outreach.household_merged", target=survivor, data={"merged": str(duplicate.pk)}
    )
    rollup.rollup_refresh(hamlet_ids=[survivor.hamlet_id])
    return survivor


@transaction.atomic
def conflict_resolve(*, actor: User, conflict: HouseholdConflict, apply: bool) -> HouseholdConflict:
    """Apply the phone's values over the current household (a new version) or discard them."""
    conflict = HouseholdConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise ApplicationError(_("This conflict was already resolved."))
    household = Household.objects.select_for_update().get(pk=conflict.household_id)
    hamlets = {household.hamlet_id}
    if apply:
        if household.merged_into_id:
            raise ApplicationError(_("This household was merged into another one; update that one."))
        try:
            data = household_clean(conflict.data)
        except ItemError as error:
            raise ApplicationError(str(error)) from None
        hamlet = (
            AdministrativeUnit.objects.filter(code=conflict.data.get("hamlet")).first() or household.hamlet
        )
        _household_apply(household, {**data, "hamlet": hamlet})
        household.change_seq = next_change_seq()
        household.save(update_fields=["change_seq"])
        hamlets.add(household.hamlet_id)
    conflict.status = ConflictStatus.APPLIED if apply else ConflictStatus.DISCARDED
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["status", "resolved_by", "resolved_at"])
    if apply:
        rollup.rollup_refresh(hamlet_ids=hamlets)
    audit_record(
        actor=actor,
        action="outreach.conflict_resolved",
        target=conflict.household,
        data={"status": conflict.status},
    )
    return conflict


@transaction.atomic
def hamlet_official_set(
    *, hamlet: AdministrativeUnit, households: int | None, is_demo: bool = False
) -> HamletFigures:
    figures, _created = HamletFigures.objects.update_or_create(
        hamlet=hamlet, defaults={"official_households": households, "is_demo": is_demo}
    )
    rollup.rollup_refresh(hamlet_ids=[hamlet.pk])
    return figures


@transaction.atomic
def households_import(
    *, actor: User, hamlet: AdministrativeUnit, rows: list[dict], with_warnings: bool
) -> int:
    """Create the checked rows of an import (``imports.households_parse``): those without error, and those
    with a duplicate warning only when ``with_warnings``. Returns how many were created."""
    new = []
    for row in rows:
        if row["error"] or (row["warning"] and not with_warnings):
            continue
        try:
            data = household_clean(row["data"])
        except ItemError:
            continue
        household = Household(hamlet=hamlet, created_by=actor, **data)
        household.set_keys()
        new.append(household)
    if new:
        seq = next_change_seq()
        for household in new:
            household.change_seq = seq
        Household.objects.bulk_create(new, batch_size=500)
    audit_record(
        actor=actor, action="outreach.households_imported", target=hamlet, data={"created": len(new)}
    )
    rollup.rollup_refresh(hamlet_ids=[hamlet.pk])
    return len(new)

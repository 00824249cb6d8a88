"""Every permission-scoped read of outreach. A team member sees only the households of their own hamlets; a
supervisor (leader or official) the hamlets of the units they are bound to."""

import base64
import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from congso.accounts.models import User
from congso.accounts.selectors import user_units
from congso.core.exceptions import ApplicationError
from congso.core.text import fold
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.outreach.constants import MEMBER_ROLES, SUPERVISOR_ROLES, USING, AdoptionStatus, ConflictStatus
from congso.outreach.models import AdoptionEvent, Household, HouseholdConflict, Platform, Visit

SYNC_PAGE_MAX = 500


def member_hamlets(*, user: User) -> QuerySet[AdministrativeUnit]:
    """The hamlets whose households a team member may download and visit."""
    return user_units(user=user, roles=MEMBER_ROLES).filter(level=UnitLevel.HAMLET)


def is_team_member(*, user: User) -> bool:
    return member_hamlets(user=user).exists()


def supervised_units(*, user: User) -> QuerySet[AdministrativeUnit]:
    """Province, communes and hamlets a leader or official oversees (bound units and two levels below)."""
    return user_units(user=user, roles=SUPERVISOR_ROLES)


def supervised_hamlets(
    *, user: User, within: AdministrativeUnit | None = None
) -> QuerySet[AdministrativeUnit]:
    """The hamlets a supervisor oversees; with ``within`` (province, commune or hamlet), only those in it."""
    hamlets = supervised_units(user=user).filter(level=UnitLevel.HAMLET)
    if within is not None:
        hamlets = hamlets.filter(Q(pk=within.pk) | Q(parent=within) | Q(parent__parent=within))
    return hamlets


def is_supervisor(*, user: User) -> bool:
    return supervised_units(user=user).exists()


def supervised_unit_get(*, user: User, code: str) -> AdministrativeUnit:
    """A province, commune or hamlet the user supervises; DoesNotExist otherwise (a 404 for the caller)."""
    return supervised_units(user=user).select_related("parent").get(code=code)


def platforms_active() -> QuerySet[Platform]:
    return Platform.objects.filter(is_active=True).order_by("position", "code")


def households_live() -> QuerySet[Household]:
    return Household.objects.filter(merged_into__isnull=True)


def households_in_hamlet(*, hamlet: AdministrativeUnit, query: str = "") -> QuerySet[Household]:
    """The live households of a hamlet, found by name or house number without accents ("nguyen van" finds
    "Nguyễn Văn")."""
    households = households_live().filter(hamlet=hamlet)
    folded = fold(query)
    if folded:
        households = households.filter(search_key__contains=folded)
    return households.annotate(last_visit_at=Subquery(_last_visit("visited_at"))).order_by(
        F("last_visit_at").asc(nulls_first=True), "house_number", "head_name"
    )


def _last_visit(field: str):
    return Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_at").values(field)[:1]


def household_for_member(*, user: User, household_id) -> Household:
    return (
        households_live().select_related("hamlet").get(pk=household_id, hamlet__in=member_hamlets(user=user))
    )


def household_for_supervisor(*, user: User, household_id) -> Household:
    return Household.objects.select_related("hamlet").get(
        pk=household_id, hamlet__in=supervised_hamlets(user=user)
    )


def duplicate_candidates(
    *, hamlet_id: int, head_name: str, house_number: str, phone: str, exclude_id=None
) -> QuerySet[Household]:
    """Likely copies of a household about to be registered: same hamlet and folded head's name and house
    number, or the same phone."""
    condition = Q(head_key=fold(head_name), search_key=fold(f"{head_name} {house_number}"))
    if phone:
        condition |= Q(phone=phone)
    candidates = households_live().filter(condition, hamlet_id=hamlet_id)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    return candidates.order_by("house_number")[:5]


# --- the sync cursor ---------------------------------------------------------------------------------------


def cursor_encode(seq: int, household_id) -> str:
    return base64.urlsafe_b64encode(f"{seq}:{household_id}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[int, uuid.UUID | None]:
    if not cursor:
        return 0, None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        seq, _sep, household_id = raw.partition(":")
        return int(seq), (uuid.UUID(household_id) if household_id else None)
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError(  # noqa: B904 - the phone's garbage is not worth chaining
            _("The sync position is not valid: download everything again."), code="cursor"
        )


@dataclass
class ChangesPage:
    households: list[Household]
    platforms: dict  # household id → list of platform codes in use
    next_cursor: str
    has_more: bool


def households_changed_since(*, user: User, cursor: str = "", limit: int = SYNC_PAGE_MAX) -> ChangesPage:
    """The member's households (merged ones included, so phones can drop them) changed after ``cursor``, in
    change order. The cursor is opaque to the phone; three queries whatever the page size."""
    seq, after_id = cursor_decode(cursor)
    limit = max(1, min(limit, SYNC_PAGE_MAX))
    changed = Household.objects.filter(hamlet__in=member_hamlets(user=user))
    if not cursor:
        pass  # a first download: everything, including households never changed since they were loaded
    elif after_id is None:
        changed = changed.filter(change_seq__gt=seq)
    else:
        changed = changed.filter(Q(change_seq__gt=seq) | Q(change_seq=seq, id__gt=after_id))
    page = list(
        changed.select_related("hamlet")
        .annotate(
            last_visit_at=Subquery(_last_visit("visited_at")), last_outcome=Subquery(_last_visit("outcome"))
        )
        .order_by("change_seq", "id")[: limit + 1]
    )
    has_more = len(page) > limit
    page = page[:limit]
    platforms = current_platforms(household_ids=[h.pk for h in page])
    next_cursor = (
        cursor_encode(page[-1].change_seq, page[-1].pk) if page else (cursor or cursor_encode(0, ""))
    )
    if not page and not cursor:
        next_cursor = ""
    return ChangesPage(households=page, platforms=platforms, next_cursor=next_cursor, has_more=has_more)


# --- derived state ----------------------------------------------------------------------------------------


def latest_events(*, as_of: datetime.datetime | None = None) -> QuerySet[AdoptionEvent]:
    """For each household and platform, its latest adoption event (recorded on or before ``as_of``): the
    household's current state for that platform. No later event may exist for the same pair."""
    events = AdoptionEvent.objects.all()
    later = AdoptionEvent.objects.filter(
        household_id=OuterRef("household_id"), platform_id=OuterRef("platform_id")
    ).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), id__gt=OuterRef("id"))
    )
    if as_of is not None:
        events = events.filter(recorded_at__lte=as_of)
        later = later.filter(recorded_at__lte=as_of)
    return events.filter(~Exists(later))


def current_events() -> QuerySet[AdoptionEvent]:
    """The households' state now: the latest event of each household and platform (flag kept on write)."""
    return AdoptionEvent.objects.filter(is_current=True)


def using_events(*, as_of: datetime.datetime | None = None) -> QuerySet[AdoptionEvent]:
    """Events saying a live household uses a platform: now (``as_of`` None), or at a past moment."""
    if as_of is None:
        # A merged household's events moved to the one it was merged into: no current event is left on it.
        return current_events().filter(status__in=USING)
    return latest_events(as_of=as_of).filter(status__in=USING, household__merged_into__isnull=True)


def current_platforms(*, household_ids: list) -> dict:
    """Household id → the codes of the platforms it uses now (from its events). One query."""
    result: dict = {household_id: [] for household_id in household_ids}
    rows = (
        current_events()
        .filter(household_id__in=household_ids, status__in=USING)
        .order_by("platform__position")
        .values_list("household_id", "platform__code")
    )
    for household_id, code in rows:
        result[household_id].append(code)
    return result


def household_history(*, household: Household) -> dict:
    return {
        "visits": list(household.visits.select_related("visited_by").order_by("-visited_at")[:20]),
        "platforms": list(current_events().filter(household=household).select_related("platform")),
    }


# --- supervision --------------------------------------------------------------------------------------------


def conflicts_open(*, user: User, within: AdministrativeUnit | None = None) -> QuerySet[HouseholdConflict]:
    return (
        HouseholdConflict.objects.filter(
            status=ConflictStatus.OPEN, household__hamlet__in=supervised_hamlets(user=user, within=within)
        )
        .select_related("household", "household__hamlet", "submitted_by")
        .order_by("created_at")
    )


def conflict_for_supervisor(*, user: User, conflict_id: int) -> HouseholdConflict:
    return conflicts_open(user=user).get(pk=conflict_id)


def duplicate_groups(
    *, user: User, within: AdministrativeUnit | None = None, limit: int = 200
) -> list[list[Household]]:
    """Groups of live households of the supervised hamlets that look like one: same hamlet, folded name and
    house number, or same phone. Grouped in SQL; two queries."""
    live = households_live().filter(hamlet__in=supervised_hamlets(user=user, within=within))
    by_name = (
        live.values("hamlet_id", "search_key").annotate(n=Count("id")).filter(n__gt=1).order_by("hamlet_id")
    )[:limit]
    by_phone = (
        live.exclude(phone="")
        .values("hamlet_id", "phone")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("hamlet_id")
    )[:limit]
    condition = Q(pk__in=[])
    keys = []
    for row in by_name:
        condition |= Q(hamlet_id=row["hamlet_id"], search_key=row["search_key"])
        keys.append(("n", row["hamlet_id"], row["search_key"]))
    for row in by_phone:
        condition |= Q(hamlet_id=row["hamlet_id"], phone=row["phone"])
        keys.append(("p", row["hamlet_id"], row["phone"]))
    if not keys:
        return []
    members = list(live.filter(condition).select_related("hamlet").order_by("created_at"))
    groups = []
    seen: set[frozenset] = set()
    for kind, hamlet_id, value in keys:
        group = [
            h
            for h in members
            if h.hamlet_id == hamlet_id and (h.search_key == value if kind == "n" else h.phone == value)
        ]
        ids = frozenset(h.pk for h in group)
        if len(group) > 1 and ids not in seen:
            seen.add(ids)
            groups.append(group)
    return groups


def follow_ups_due(*, user: User, within: AdministrativeUnit | None = None) -> QuerySet[AdoptionEvent]:
    """Households waiting for more help with a platform (their latest event for it says follow-up)."""
    return (
        current_events()
        .filter(
            status=AdoptionStatus.FOLLOW_UP,
            household__merged_into__isnull=True,
            household__hamlet__in=supervised_hamlets(user=user, within=within),
        )
        .select_related("household", "household__hamlet", "platform")
        .order_by("recorded_at")
    )


def visits_per_week(
    *, user: User, within: AdministrativeUnit | None = None, weeks: int = 8, today: datetime.date
) -> list[dict]:
    """Visits per hamlet team and week, the last ``weeks`` weeks; one GROUP BY query."""
    since = today - datetime.timedelta(weeks=weeks)
    rows = (
        Visit.objects.filter(
            household__hamlet__in=supervised_hamlets(user=user, within=within), visited_at__date__gt=since
        )
        .annotate(week=TruncWeek("visited_at"))
        .values(
            "household__hamlet__code",
            "household__hamlet__full_name",
            "household__hamlet__parent__full_name",
            "week",
        )
        .annotate(visits=Count("id"))
        .order_by("-week", "household__hamlet__code")
    )
    return list(rows)

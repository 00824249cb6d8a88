"""The outreach JSON API, used by the team member's phone app (session cookie + CSRF token) and supervisors.

Config wiring in congso/api/urls.py (mounted at /api/v1/outreach)."""

from typing import Any

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth, django_auth

from congso.core.masking import mask_phone
from congso.geo.models import AdministrativeUnit
from congso.outreach import rollup, selectors, services
from congso.outreach.constants import AdoptionStatus, VisitOutcome

router = Router(tags=["outreach"], auth=django_auth)


class TeamMemberAuth(SessionAuth):
    """The session (with its CSRF check on writes) of a member of a community digital team: anybody else is
    refused before the request body is even read."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not selectors.is_team_member(user=user):
            raise HttpError(403, _("Only members of a community digital team can do this."))
        return user


member_auth = TeamMemberAuth()


def _member(request):
    return request.auth


class HamletOut(Schema):
    code: str
    name: str
    commune: str


class PlatformOut(Schema):
    code: str
    name: str
    level: str
    has_shop_details: bool


class MeOut(Schema):
    name: str
    email: str
    csrf_token: str
    hamlets: list[HamletOut]
    platforms: list[PlatformOut]
    outcomes: dict[str, str]
    statuses: dict[str, str]


@router.get(
    "/me",
    response=MeOut,
    auth=member_auth,
    summary="The team member, their hamlets and the platform catalogue",
)
def me(request):
    user = _member(request)
    hamlets = selectors.member_hamlets(user=user).select_related("parent").order_by("code")
    return {
        "name": user.full_name or user.email,
        "email": user.email,
        "csrf_token": get_token(request),
        "hamlets": [{"code": h.code, "name": h.full_name, "commune": h.parent.full_name} for h in hamlets],
        "platforms": list(selectors.platforms_active()),
        "outcomes": {value: str(label) for value, label in VisitOutcome.choices},
        "statuses": {value: str(label) for value, label in AdoptionStatus.choices},
    }


class HouseholdOut(Schema):
    id: str
    hamlet: str
    house_number: str
    head_name: str
    phone: str
    phone_masked: str
    members: int
    adults: int
    version: int
    merged_into: str | None
    last_visit_at: str | None
    last_outcome: str | None
    platforms: list[str]


class ChangesOut(Schema):
    items: list[HouseholdOut]
    next_cursor: str = Field(description="Opaque; send it back as `cursor` to get only what changed since")
    has_more: bool


@router.get(
    "/households",
    response=ChangesOut,
    auth=member_auth,
    summary="The member's households changed since a cursor",
)
def households(request, cursor: str = "", limit: int = selectors.SYNC_PAGE_MAX):
    user = _member(request)
    page = selectors.households_changed_since(user=user, cursor=cursor, limit=limit)
    return {
        "items": [
            {
                "id": str(h.pk),
                "hamlet": h.hamlet.code,
                "house_number": h.house_number,
                "head_name": h.head_name,
                "phone": h.phone,
                "phone_masked": mask_phone(h.phone) if h.phone else "",
                "members": h.members,
                "adults": h.adults,
                "version": h.version,
                "merged_into": str(h.merged_into_id) if h.merged_into_id else None,
                "last_visit_at": h.last_visit_at.isoformat() if h.last_visit_at else None,
                "last_outcome": h.last_outcome,
                "platforms": page.platforms.get(h.pk, []),
            }
            for h in page.households
        ],
        "next_cursor": page.next_cursor,
        "has_more": page.has_more,
    }


class SyncIn(Schema):
    households: list[dict[str, Any]] = Field(
        default_factory=list,
        description="{id (UUID made by the phone), hamlet (code), house_number, head_name, phone, members, "
        "adults, base_version (the version the edit started from; absent for a new household; an update may "
        "send only the fields it changes), confirm_new}",
    )
    visits: list[dict[str, Any]] = Field(
        default_factory=list,
        description="{id, household, visited_at (ISO 8601, phone clock), outcome (met, absent, refused, "
        "moved), members_present, note}",
    )
    events: list[dict[str, Any]] = Field(
        default_factory=list,
        description="{id, household, visit, platform (code), status (adopted, already, declined, "
        "not_eligible, follow_up), persons, source (self_reported, verified), recorded_at, "
        "shop_platform, product_count}",
    )


class ItemResult(Schema):
    id: str
    status: str = Field(description="created, updated, unchanged, exists, conflict, duplicate or error")
    version: int | None = None
    message: str = ""
    candidates: list[dict[str, str]] = Field(default_factory=list)


class SyncOut(Schema):
    households: list[ItemResult]
    visits: list[ItemResult]
    events: list[ItemResult]


@router.post(
    "/sync",
    response=SyncOut,
    auth=member_auth,
    summary="Upload a batch; the same batch again changes nothing",
)
def sync(request, payload: SyncIn):
    user = _member(request)
    return services.sync_batch(
        user=user, households=payload.households, visits=payload.visits, events=payload.events
    )


class CandidatesIn(Schema):
    hamlet: str
    head_name: str
    house_number: str = ""
    phone: str = ""


@router.post(
    "/households/candidates", response=list[dict[str, str]], auth=member_auth, summary="Likely duplicates"
)
def candidates(request, payload: CandidatesIn):
    user = _member(request)
    hamlet = selectors.member_hamlets(user=user).filter(code=payload.hamlet).first()
    if hamlet is None:
        raise HttpError(404, _("This hamlet is not one of yours."))
    found = selectors.duplicate_candidates(
        hamlet_id=hamlet.pk,
        head_name=payload.head_name,
        house_number=payload.house_number,
        phone=payload.phone.replace(" ", ""),
    )
    return [services.household_brief(h) for h in found]


@router.get("/coverage", summary="Coverage of a unit and its children, as stored (supervisors)")
def coverage(request, unit: str):
    try:
        found = selectors.supervised_unit_get(user=request.auth, code=unit)
    except AdministrativeUnit.DoesNotExist:
        raise HttpError(404, _("Unit not found.")) from None
    table = rollup.stored_table(unit=found, day=timezone.localdate())
    return {"unit": found.code, "name": found.full_name, **table}

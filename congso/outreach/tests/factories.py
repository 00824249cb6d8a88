"""Builders for outreach tests."""

import uuid

from django.utils import timezone

from congso.geo.models import AdministrativeUnit
from congso.outreach.models import Household


def hamlet(code: str = "32248-01") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def make_household(code: str = "32248-01", **fields) -> Household:
    fields.setdefault("head_name", "Nguyễn Văn Tám")
    fields.setdefault("house_number", "12")
    household = Household(hamlet=hamlet(code), **fields)
    household.save()
    return household


def visit_item(household, **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "household": str(household.pk),
        "visited_at": timezone.now().isoformat(),
        "outcome": "met",
        "members_present": 2,
        "note": "",
        **fields,
    }


def event_item(household, platform: str = "VNEID", status: str = "adopted", **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "household": str(household.pk),
        "platform": platform,
        "status": status,
        "persons": 2,
        "recorded_at": timezone.now().isoformat(),
        **fields,
    }

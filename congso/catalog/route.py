"""A procedure version's processing route: which agencies handle a dossier, in which order, with which share
of the legal time (ONE-STOP.md: "one-stop → specialist department → leader's approval → one-stop").

A route is data, a list of steps::

    [{"stage": 1, "label": "Thẩm định hồ sơ", "role": "department_officer", "share": 60},
     {"stage": 1, "label": "Xác minh tại địa phương", "role": "department_officer", "share": 40},
     {"stage": 2, "label": "Lãnh đạo phê duyệt", "role": "unit_leader", "share": 30, "unit": "office"}]

Steps of one stage run in parallel, stages in order. ``share`` is a percentage of the processing time counted
from the start of processing; a stage lasts as long as its longest step, so the stages' longest shares add up
to at most 100. ``unit`` is "office" (the receiving office's unit, the default) or "province" (a provincial
department).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.accounts.constants import OFFICE_ROLES

UNITS = ("office", "province")
ROUTE_ROLES = OFFICE_ROLES


def validate_route(route) -> list[dict]:
    """The route, normalised (stages sorted, shares as Decimal); ValidationError with a Vietnamese message."""
    if route in (None, "", []):
        return []
    if not isinstance(route, list):
        raise ValidationError(_("The processing route must be a list of steps."))
    steps = []
    for number, raw in enumerate(route, start=1):
        if not isinstance(raw, dict):
            raise ValidationError(_("Step %(n)s of the route is not an object.") % {"n": number})
        label = str(raw.get("label") or "").strip()
        if not label:
            raise ValidationError(_("Step %(n)s of the route has no name.") % {"n": number})
        stage = raw.get("stage")
        if not isinstance(stage, int) or isinstance(stage, bool) or not 1 <= stage <= 20:
            raise ValidationError(
                _("Step %(n)s: the stage must be a whole number from 1 to 20.") % {"n": number}
            )
        role = raw.get("role")
        if role not in ROUTE_ROLES:
            raise ValidationError(_("Step %(n)s: unknown role “%(role)s”.") % {"n": number, "role": role})
        unit = raw.get("unit", "office")
        if unit not in UNITS:
            raise ValidationError(_("Step %(n)s: the unit must be “office” or “province”.") % {"n": number})
        try:
            share = Decimal(str(raw.get("share", 0)))
        except InvalidOperation:
            share = Decimal(-1)
        if not share.is_finite() or not Decimal(0) <= share <= Decimal(100):
            raise ValidationError(_("Step %(n)s: the share must be between 0 and 100.") % {"n": number})
        steps.append({"stage": stage, "label": label[:255], "role": str(role), "share": share, "unit": unit})
    steps.sort(key=lambda step: step["stage"])
    longest: dict[int, Decimal] = {}
    for step in steps:
        longest[step["stage"]] = max(longest.get(step["stage"], Decimal(0)), step["share"])
    if sum(longest.values()) > 100:
        raise ValidationError(_("The stages' shares of the time add up to more than 100%."))
    return steps

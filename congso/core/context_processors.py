from django.utils.functional import SimpleLazyObject

from congso.accounts.constants import OFFICE_ROLES, StaffRole
from congso.geo.selectors import portal_province

LEADER_ROLES = {StaffRole.UNIT_LEADER, StaffRole.ADMINISTRATOR}


def _nav(user) -> dict:
    """Which parts of the menu the user's roles open: one query, only when a page draws the menu."""
    roles = set(user.role_bindings.values_list("role", flat=True)) if user.is_authenticated else set()
    return {
        "office": bool(roles & set(OFFICE_ROLES)),
        "counter": StaffRole.ONE_STOP_OFFICER in roles,
        "team": StaffRole.TEAM_MEMBER in roles,
        "leader": bool(roles & LEADER_ROLES),
    }


def portal(request):
    """The province this installation serves, for the header and footer, and the menu's parts for the user's
    roles; each read only when a page shows it."""
    user = getattr(request, "user", None)
    return {
        "portal_province": SimpleLazyObject(portal_province),
        "nav": SimpleLazyObject(lambda: _nav(user)) if user is not None else {},
    }

from django.utils.functional import SimpleLazyObject

from congso.geo.selectors import portal_province

OFFICE_ROLES = {"one_stop_officer", "department_officer", "unit_leader"}
LEADER_ROLES = {"unit_leader", "administrator"}


def _nav(user) -> dict:
    """Which parts of the menu the user's roles open: one query, only when a page draws the menu."""
    roles = set(user.role_bindings.values_list("role", flat=True)) if user.is_authenticated else set()
    return {
        "office": bool(roles & OFFICE_ROLES),
        "counter": "one_stop_officer" in roles,
        "team": "team_member" in roles,
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

from django.db.models import Q, QuerySet

from congso.accounts.models import RoleBinding, User
from congso.geo.models import AdministrativeUnit


def user_roles(*, user: User) -> QuerySet[RoleBinding]:
    return (
        RoleBinding.objects.filter(user=user)
        .select_related("unit", "unit__parent")
        .order_by("role", "unit__code")
    )


def user_units(*, user: User, roles: list[str] | None = None) -> QuerySet[AdministrativeUnit]:
    """The units a user may act in: those bound to them and every unit below them (province → communes →
    hamlets). The scope of every permission-checked query starts here. One query, evaluated lazily."""
    if not user.is_authenticated:
        return AdministrativeUnit.objects.none()
    bindings = RoleBinding.objects.filter(user=user)
    if roles is not None:
        bindings = bindings.filter(role__in=roles)
    bound = bindings.values("unit_id")
    return AdministrativeUnit.objects.current().filter(
        Q(pk__in=bound) | Q(parent_id__in=bound) | Q(parent__parent_id__in=bound)
    )


def user_has_role(*, user: User, role: str, unit: AdministrativeUnit | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if unit is None:
        return RoleBinding.objects.filter(user=user, role=role).exists()
    return user_units(user=user, roles=[role]).filter(pk=unit.pk).exists()

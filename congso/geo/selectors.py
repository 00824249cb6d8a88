from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from congso.core.text import fold
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

_PROVINCE_CACHE_KEY = "geo:portal-province:{code}"


def portal_province() -> AdministrativeUnit | None:
    """The province this installation serves (``CONGSO_PROVINCE_CODE``), cached: it is on every page."""
    code = settings.CONGSO_PROVINCE_CODE
    key = _PROVINCE_CACHE_KEY.format(code=code)
    province = cache.get(key)
    if province is None:
        province = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, code=code).first()
        if province is not None:
            cache.set(key, province, 3600)
    return province


def commune_count(*, province_code: str | None = None) -> int:
    code = province_code or settings.CONGSO_PROVINCE_CODE
    return AdministrativeUnit.objects.current().communes().filter(parent__code=code).count()


def commune_list(*, province_code: str | None = None, query: str = "", unit_type: str = "") -> QuerySet:
    """Current communes of a province with their number of hamlets, in one query.

    ``query`` matches without accents ("dat mui" finds "Xã Đất Mũi") on the name or the code.
    """
    code = province_code or settings.CONGSO_PROVINCE_CODE
    units = (
        AdministrativeUnit.objects.current()
        .communes()
        .filter(parent__code=code)
        .annotate(hamlet_count=Count("children", filter=Q(children__level=UnitLevel.HAMLET)))
        .order_by("code")
    )
    if unit_type:
        units = units.filter(unit_type=unit_type)
    folded = fold(query)
    if folded:
        units = units.filter(Q(search_key__contains=folded) | Q(code=query.strip()))
    return units


def unit_get(*, code: str) -> AdministrativeUnit:
    """A current unit by code, with its parent; raises ``AdministrativeUnit.DoesNotExist``."""
    return AdministrativeUnit.objects.select_related("parent", "parent__parent").get(code=code)


def unit_hamlets(*, unit: AdministrativeUnit) -> QuerySet:
    return unit.children.filter(level=UnitLevel.HAMLET).order_by("code")


def unit_predecessors(*, unit: AdministrativeUnit) -> QuerySet:
    return unit.predecessions.select_related("predecessor").order_by("predecessor__full_name")


def unit_successors_of_former(*, name: str, former_district: str = "") -> QuerySet:
    """Map an old name (before July 2025), e.g. "xã Khánh Thuận", to the current units that took it over.

    Accent-insensitive; the type word may be given or left out.
    """
    folded = fold(name)
    former = AdministrativeUnit.objects.filter(effective_to__isnull=False).filter(
        Q(search_key=folded) | Q(search_key__endswith=" " + folded)
    )
    if former_district:
        former = former.filter(former_district__icontains=former_district)
    return AdministrativeUnit.objects.current().filter(predecessions__predecessor__in=former).distinct()

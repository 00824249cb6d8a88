from django.http import Http404
from ninja import Router, Schema

from congso.geo.models import AdministrativeUnit
from congso.geo.selectors import commune_list, unit_get

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    unit_type: str
    level: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: AdministrativeUnit) -> str | None:
        return obj.parent.code if obj.parent_id else None


class CommuneOut(UnitOut):
    hamlet_count: int


@router.get("/communes", response=list[CommuneOut])
def communes(request, province: str | None = None, q: str = ""):
    """Current communes of a province (default: this installation's), searchable without accents."""
    return list(commune_list(province_code=province, query=q).select_related("parent"))


@router.get("/{code}", response=UnitOut)
def unit(request, code: str):
    try:
        return unit_get(code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404 from None

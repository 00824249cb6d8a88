from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congso.geo.constants import UnitLevel, UnitType
from congso.geo.models import AdministrativeUnit
from congso.geo.selectors import commune_list, portal_province, unit_get, unit_hamlets, unit_predecessors

COMMUNE_TYPES = [UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE]


def unit_list(request: HttpRequest) -> HttpResponse:
    """The province's communes with their hamlet counts; filter by name (without accents) and type."""
    query = request.GET.get("q", "")[:100]
    unit_type = request.GET.get("loai", "")
    if unit_type not in COMMUNE_TYPES:
        unit_type = ""
    units = commune_list(query=query, unit_type=unit_type)
    page = Paginator(units, 100).get_page(request.GET.get("trang"))
    context = {
        "province": portal_province(),
        "page": page,
        "query": query,
        "unit_type": unit_type,
        "unit_types": [(t.value, t.label) for t in COMMUNE_TYPES],
    }
    template = (
        "geo/portal/_unit_rows.html" if request.headers.get("HX-Request") else "geo/portal/unit_list.html"
    )
    return render(request, template, context)


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        unit = unit_get(code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404 from None
    context = {
        "unit": unit,
        "hamlets": unit_hamlets(unit=unit) if unit.level == UnitLevel.COMMUNE else None,
        "predecessors": unit_predecessors(unit=unit),
        "successors": unit.successions.select_related("successor"),
    }
    return render(request, "geo/portal/unit_detail.html", context)

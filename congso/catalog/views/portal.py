from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congso.catalog.constants import Channel, OnlineLevel
from congso.catalog.models import Procedure
from congso.catalog.selectors import (
    LEVEL_FILTERS,
    ProcedureFilters,
    procedure_fields,
    procedure_get,
    procedure_list,
    version_current,
)

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> ProcedureFilters:
    level = request.GET.get("cap", "")
    online = request.GET.get("muc-do", "")
    return ProcedureFilters(
        query=request.GET.get("q", "")[:200],
        field=request.GET.get("linh-vuc", "")[:255],
        level=level if level in LEVEL_FILTERS else "",
        online_level=online if online in OnlineLevel.values else "",
    )


def procedure_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue: search (without accents, with typos) and filters by field, level and online level."""
    filters = _filters(request)
    page = Paginator(procedure_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "filters": filters,
        "page": page,
        "fields": procedure_fields(),
        "online_levels": OnlineLevel.choices,
        "query_string": request.GET.copy(),
    }
    context["query_string"].pop("trang", None)
    template = (
        "catalog/portal/_results.html" if request.headers.get("HX-Request") else "catalog/portal/list.html"
    )
    return render(request, template, context)


def _get_or_404(code: str) -> Procedure:
    try:
        return procedure_get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything a citizen needs: what to bring, how long, how much, where."""
    procedure = _get_or_404(code)
    version = version_current(procedure=procedure)
    times = list(version.processing_times.all()) if version else []
    fees = list(version.fees.all()) if version else []
    context = {
        "procedure": procedure,
        "version": version,
        "components": list(version.components.all()) if version else [],
        "times": times,
        "fees": fees,
        "channels": Channel,
    }
    return render(request, "catalog/portal/detail.html", context)

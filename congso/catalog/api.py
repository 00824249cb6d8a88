from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from congso.catalog.models import Procedure
from congso.catalog.selectors import ProcedureFilters, procedure_get, procedure_list, version_current

router = Router(tags=["procedures"])


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    levels: str
    online_level: str
    implementing_agency: str


class ComponentOut(Schema):
    name: str
    required: bool
    originals: int | None
    certified_copies: int | None
    photocopies: int | None
    template_name: str
    note: str


class TimeOut(Schema):
    channel: int
    value: float | None
    unit: str
    note: str
    raw: str


class FeeOut(Schema):
    channel: int | None
    name: str
    amount_vnd: int | None
    exemptions: str
    raw: str


class VersionOut(Schema):
    number: int
    effective_from: str | None = Field(None)
    publication_decision: str
    supplement_rule: str
    is_structured: bool
    components: list[ComponentOut]
    processing_times: list[TimeOut]
    fees: list[FeeOut]
    form_schema: list[dict]
    components_raw: str

    @staticmethod
    def resolve_effective_from(obj) -> str | None:
        return obj.effective_from.isoformat() if obj.effective_from else None

    @staticmethod
    def resolve_components(obj):
        return list(obj.components.all())

    @staticmethod
    def resolve_processing_times(obj):
        return list(obj.processing_times.all())

    @staticmethod
    def resolve_fees(obj):
        return list(obj.fees.all())


class ProcedureDetailOut(ProcedureOut):
    applicants: str
    competent_authority: str
    source: str
    source_url: str
    current_version: VersionOut | None


@router.get("", response=list[ProcedureOut])
@paginate(PageNumberPagination, page_size=20)
def procedures(request, q: str = "", field: str = "", level: str = "", online_level: str = ""):
    """Search (accent- and typo-tolerant, ranked) and filter procedures. ``level``: ``xa`` or ``tinh``."""
    filters = ProcedureFilters(query=q[:200], field=field, level=level, online_level=online_level)
    return procedure_list(filters=filters)


@router.get("/{code}", response=ProcedureDetailOut)
def procedure(request, code: str):
    try:
        found = procedure_get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None
    found.current_version = version_current(procedure=found)
    return found

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.catalog.search import procedure_search

LEVEL_FILTERS = {"xa": {"at_commune": True}, "tinh": {"at_province": True}}


@dataclass(frozen=True)
class ProcedureFilters:
    query: str = ""
    field: str = ""
    level: str = ""  # "xa" or "tinh"
    online_level: str = ""

    def as_index_filters(self) -> dict:
        filters = dict(LEVEL_FILTERS.get(self.level, {}))
        if self.field:
            filters["field"] = self.field
        if self.online_level:
            filters["online_level"] = self.online_level
        return filters


class RankedProcedures:
    """A sequence of procedures in search order that a ``Paginator`` can slice: only the page is read from
    the database, in one query."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        ids = self.ids[item]
        if isinstance(item, slice):
            found = Procedure.objects.in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
        return Procedure.objects.get(pk=ids)


def procedure_list(*, filters: ProcedureFilters) -> QuerySet | RankedProcedures:
    """Active procedures matching the filters: ranked by relevance when there is a query, else the most used
    first."""
    if filters.query.strip():
        hits = procedure_search(filters.query, filters=filters.as_index_filters())
        return RankedProcedures([hit.pk for hit in hits])
    procedures = Procedure.objects.filter(is_active=True, **filters.as_index_filters())
    return procedures.order_by("-popularity", "code")


def procedure_fields() -> list[tuple[str, int]]:
    """The fields (lĩnh vực) with their number of procedures, for the filter; cached for ten minutes."""
    fields = cache.get("catalog:fields")
    if fields is None:
        fields = list(
            Procedure.objects.filter(is_active=True)
            .exclude(field="")
            .values_list("field")
            .annotate(n=Count("pk"))
            .order_by("field")
        )
        cache.set("catalog:fields", fields, 600)
    return fields


def procedure_get(*, code: str) -> Procedure:
    """An active procedure by national code; raises ``Procedure.DoesNotExist``."""
    return Procedure.objects.get(code=code, is_active=True)


def version_current(*, procedure: Procedure, on=None) -> ProcedureVersion | None:
    """The version in force (today by default) with its components, deadlines and fees, in four queries."""
    on = on or timezone.localdate()
    return (
        ProcedureVersion.objects.in_force(on)
        .filter(procedure=procedure)
        .prefetch_related(
            Prefetch("components", queryset=DossierComponent.objects.order_by("position", "id")),
            Prefetch("processing_times", queryset=ProcessingTime.objects.order_by("channel")),
            Prefetch("fees", queryset=FeeItem.objects.order_by("position", "id")),
        )
        .order_by("-number")
        .first()
    )

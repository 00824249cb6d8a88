"""The roll-up table: every data value aggregated up the unit tree (hamlet → commune → province) and over
periods (month → quarter → year) by its element's aggregation type.

Order of aggregation (as DHIS2 does it): first over time for each reported unit and option (LAST keeps the
latest period of each unit), then over units and options.
"""

from django.db import transaction

from congso.geo.models import AdministrativeUnit
from congso.indicators import periods
from congso.indicators.constants import AggregationType as A
from congso.indicators.models import DataElement, DataValue, RollupValue

BATCH = 5000


def _ancestors() -> dict[int, tuple[int, ...]]:
    parents = dict(AdministrativeUnit.objects.current().values_list("pk", "parent_id"))
    out = {}
    for pk in parents:
        chain, current = [], pk
        while current is not None and len(chain) < 4:
            chain.append(current)
            current = parents.get(current)
        out[pk] = tuple(chain)
    return out


def _period_cache():
    cache = {}

    def targets(key: str):
        if key not in cache:
            period = periods.parse(key)
            cache[key] = (period.start, [(p.key, p.type, p.year) for p in periods.rollup_targets(period)])
        return cache[key]

    return targets


def _over_time(agg: str, rows) -> dict:
    """(unit, option, period) → state; state is (sum, count, min, max, last_start, last_value)."""
    targets = _period_cache()
    cells: dict = {}
    for unit_id, key, option, value in rows:
        start, parents = targets(key)
        for p_key, p_type, p_year in parents:
            cell = (unit_id, option, p_key, p_type, p_year)
            state = cells.get(cell)
            if state is None:
                cells[cell] = [value, 1, value, value, start, value]
                continue
            state[0] += value
            state[1] += 1
            state[2] = min(state[2], value)
            state[3] = max(state[3], value)
            if agg == A.LAST and start >= state[4]:
                state[4], state[5] = start, value
    return cells


def _over_units(agg: str, cells: dict, ancestors: dict) -> dict:
    out: dict = {}
    for (unit_id, option, p_key, p_type, p_year), state in cells.items():
        total, count, low, high, _start, last = state
        part = last if agg == A.LAST else total
        options = (option, "") if option else ("",)
        for ancestor in ancestors.get(unit_id, (unit_id,)):
            for opt in options:
                key = (ancestor, opt, p_key, p_type, p_year)
                acc = out.get(key)
                if acc is None:
                    out[key] = [part, count, low, high]
                else:
                    acc[0] += part
                    acc[1] += count
                    acc[2] = min(acc[2], low)
                    acc[3] = max(acc[3], high)
    return out


def _final(agg: str, acc) -> float:
    if agg in (A.SUM, A.LAST):
        return acc[0]
    if agg == A.AVERAGE:
        return acc[0] / acc[1]
    if agg == A.MIN:
        return acc[2]
    if agg == A.MAX:
        return acc[3]
    return float(acc[1])  # COUNT


def _refresh_element(element: DataElement, years: set[int] | None, ancestors) -> int:
    values = DataValue.objects.filter(element=element)
    rollups = RollupValue.objects.filter(element=element)
    if years is not None:
        values = values.filter(period_start__year__in=years)
        rollups = rollups.filter(year__in=years)
    rows = values.values_list("unit_id", "period", "option", "value").iterator(chunk_size=BATCH)
    agg = element.aggregation_type
    result = _over_units(agg, _over_time(agg, rows), ancestors)
    with transaction.atomic():
        rollups.delete()
        insert_rows(
            RollupValue,
            ["element_id", "unit_id", "period", "period_type", "year", "option", "value"],
            (
                (element.pk, unit_id, p_key, p_type, p_year, option, _final(agg, acc))
                for (unit_id, option, p_key, p_type, p_year), acc in result.items()
            ),
        )
    return len(result)


def rollup_refresh(*, touched: dict[int, set[int]] | None = None) -> int:
    """Rebuild the roll-up: everything (``touched`` None), or only the given element ids and years
    (``{element_id: {2026}}``), as an import leaves them. Returns the number of roll-up rows written."""
    from congso.indicators.selectors import cache_bump

    ancestors = _ancestors()
    elements = DataElement.objects.all()
    if touched is not None:
        elements = elements.filter(pk__in=touched)
    written = 0
    for element in elements:
        written += _refresh_element(element, None if touched is None else touched[element.pk], ancestors)
    cache_bump()
    return written


def touched_add(touched: dict, element_id: int, period_key: str) -> None:
    touched.setdefault(element_id, set()).add(periods.parse(period_key).year)


def insert_rows(model, columns: list[str], rows) -> int:
    """A fast bulk insert of plain tuples (no model instances): the roll-up and the demo write hundreds of
    thousands of rows, where the ORM's per-object cost dominates."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    # Table and column names come from the model, never from input.
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count

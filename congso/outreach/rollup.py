"""Outreach figures per hamlet, commune and province, for the operations centre and the supervisors' pages.

Everything is aggregated in SQL (GROUP BY hamlet); only the per-hamlet rows are summed up here, into
communes and the province.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.outreach.constants import ADOPT_PREFIX, HH_DIGITAL, HH_OFFICIAL, HH_REGISTERED, HH_VISITED, VISITS
from congso.outreach.models import HamletFigures, Household, Platform, RollupValue, Visit
from congso.outreach.selectors import using_events

BASE_METRICS = [HH_REGISTERED, HH_OFFICIAL, HH_VISITED, HH_DIGITAL, VISITS]


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def metric_codes() -> list[str]:
    return BASE_METRICS + [ADOPT_PREFIX + code for code in Platform.objects.values_list("code", flat=True)]


def hamlet_figures(
    *, period_start: datetime.date, period_end: datetime.date, hamlet_ids=None
) -> dict[int, dict[str, int]]:
    """hamlet id → metric → value, for the hamlets that have anything (or ``hamlet_ids``). Seven queries."""
    start, end = day_start(period_start), day_start(period_end + datetime.timedelta(days=1))
    as_of = end - datetime.timedelta(microseconds=1)
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def scoped(queryset, field):
        return queryset if hamlet_ids is None else queryset.filter(**{f"{field}__in": hamlet_ids})

    official = scoped(HamletFigures.objects.filter(official_households__isnull=False), "hamlet_id")
    for hamlet_id, count in official.values_list("hamlet_id", "official_households"):
        figures[hamlet_id][HH_OFFICIAL] = count
    registered = scoped(Household.objects.filter(merged_into__isnull=True, created_at__lt=end), "hamlet_id")
    for row in registered.values("hamlet_id").annotate(n=Count("id")).order_by():
        figures[row["hamlet_id"]][HH_REGISTERED] = row["n"]
    visits = scoped(Visit.objects.filter(visited_at__gte=start, visited_at__lt=end), "household__hamlet_id")
    for row in (
        visits.values("household__hamlet_id")
        .annotate(households=Count("household_id", distinct=True), n=Count("id"))
        .order_by()
    ):
        figures[row["household__hamlet_id"]][HH_VISITED] = row["households"]
        figures[row["household__hamlet_id"]][VISITS] = row["n"]
    # At the end of today or later, "now" is the state kept on write (one current event per household and
    # platform, a count on the household); before today, the latest events are searched for.
    if period_end >= timezone.localdate():
        digital = scoped(
            Household.objects.filter(merged_into__isnull=True, platforms_in_use__gt=0), "hamlet_id"
        )
        for row in digital.values("hamlet_id").annotate(n=Count("id")).order_by():
            figures[row["hamlet_id"]][HH_DIGITAL] = row["n"]
        per_platform = Count("id")
        using = scoped(using_events(), "household__hamlet_id")
    else:
        using = scoped(using_events(as_of=as_of), "household__hamlet_id")
        for row in (
            using.values("household__hamlet_id").annotate(n=Count("household_id", distinct=True)).order_by()
        ):
            figures[row["household__hamlet_id"]][HH_DIGITAL] = row["n"]
        per_platform = Count("household_id", distinct=True)
    codes = dict(Platform.objects.values_list("pk", "code"))
    for row in using.values("household__hamlet_id", "platform_id").annotate(n=per_platform).order_by():
        figures[row["household__hamlet_id"]][ADOPT_PREFIX + codes[row["platform_id"]]] = row["n"]
    return figures


def outreach_figures(
    *, period_start: datetime.date, period_end: datetime.date
) -> list[tuple[str, str, Decimal]]:
    """(unit code, metric code, value) for every current hamlet and commune of the province and the province
    itself. Households visited and visits count within the period; the others stand at its end."""
    province = AdministrativeUnit.objects.get(code=settings.CONGSO_PROVINCE_CODE)
    hamlets = list(
        AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.HAMLET, parent__parent=province)
        .values_list("pk", "code", "parent__code")
        .order_by("code")
    )
    communes = list(
        AdministrativeUnit.objects.current().communes().filter(parent=province).values_list("code", flat=True)
    )
    codes = metric_codes()
    by_hamlet = hamlet_figures(period_start=period_start, period_end=period_end)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = []
    for pk, code, commune_code in hamlets:
        values = by_hamlet.get(pk, {})
        for metric in codes:
            value = values.get(metric, 0)
            rows.append((code, metric, Decimal(value)))
            totals[commune_code][metric] += value
            totals[province.code][metric] += value
    for code in [*communes, province.code]:
        rows.extend((code, metric, Decimal(totals[code][metric])) for metric in codes)
    return rows


@transaction.atomic
def rollup_store(*, as_of: datetime.date, levels: list[str] | None = None) -> int:
    """Store the figures as of ``as_of`` (visits since the 1st of its month), replacing that day's."""
    rows = outreach_figures(period_start=as_of.replace(day=1), period_end=as_of)
    if levels is not None:
        wanted = set(AdministrativeUnit.objects.filter(level__in=levels).values_list("code", flat=True))
        rows = [row for row in rows if row[0] in wanted]
    # Hamlets with nothing yet are most of a province at first: an absent row reads as zero.
    hamlets = set(
        AdministrativeUnit.objects.filter(level=UnitLevel.HAMLET, code__in={r[0] for r in rows}).values_list(
            "code", flat=True
        )
    )
    rows = [row for row in rows if row[2] or row[0] not in hamlets]
    unit_ids = dict(
        AdministrativeUnit.objects.filter(code__in={r[0] for r in rows}).values_list("code", "pk")
    )
    RollupValue.objects.filter(as_of=as_of).delete()
    RollupValue.objects.bulk_create(
        [
            RollupValue(unit_id=unit_ids[code], metric=metric, as_of=as_of, value=value)
            for code, metric, value in rows
        ],
        batch_size=1000,
    )
    return len(rows)


def coverage_series(*, unit: AdministrativeUnit, limit: int = 60) -> list[dict]:
    """The stored coverage of ``unit`` over time: date, households with a platform, official households."""
    rows = (
        RollupValue.objects.filter(unit=unit, metric__in=[HH_DIGITAL, HH_OFFICIAL, HH_REGISTERED])
        .order_by("-as_of")
        .values_list("as_of", "metric", "value")[: limit * 3]
    )
    by_day: dict = defaultdict(dict)
    for as_of, metric, value in rows:
        by_day[as_of][metric] = int(value)
    series = []
    for as_of in sorted(by_day):
        values = by_day[as_of]
        official = values.get(HH_OFFICIAL, 0)
        digital = values.get(HH_DIGITAL, 0)
        series.append(
            {
                "date": as_of.isoformat(),
                "digital": digital,
                "official": official,
                "registered": values.get(HH_REGISTERED, 0),
                "coverage": round(100 * digital / official, 1) if official else None,
            }
        )
    return series


def coverage_table(*, unit: AdministrativeUnit, hamlet_ids: set[int], today: datetime.date) -> dict:
    """Live figures for ``unit`` and its children (communes of a province, hamlets of a commune), from the
    hamlets the viewer may see; the period is the current month."""
    if unit.level == UnitLevel.HAMLET:
        hamlets = {unit.pk: (unit.pk, unit.code, unit.full_name)}
    else:
        field = "parent__parent" if unit.level == UnitLevel.PROVINCE else "parent"
        hamlets = {
            pk: (child_pk, code, name)
            for pk, child_pk, code, name in AdministrativeUnit.objects.current()
            .filter(level=UnitLevel.HAMLET, pk__in=hamlet_ids, **{field: unit})
            .values_list(
                "pk",
                "parent_id" if field == "parent__parent" else "pk",
                "parent__code" if field == "parent__parent" else "code",
                "parent__full_name" if field == "parent__parent" else "full_name",
            )
        }
    figures = hamlet_figures(period_start=today.replace(day=1), period_end=today, hamlet_ids=list(hamlets))
    codes = metric_codes()
    rows: dict = {}
    total: dict = defaultdict(int)
    for hamlet_id, (child_pk, code, name) in hamlets.items():
        row = rows.setdefault(child_pk, {"code": code, "name": name, **dict.fromkeys(codes, 0)})
        for metric in codes:
            value = figures.get(hamlet_id, {}).get(metric, 0)
            row[metric] += value
            total[metric] += value
    children = sorted(rows.values(), key=lambda row: row["code"])
    for row in [*children, total]:
        official = row.get(HH_OFFICIAL, 0)
        row["coverage"] = round(100 * row.get(HH_DIGITAL, 0) / official, 1) if official else None
    return {"children": children, "total": dict(total), "metrics": codes}

"""Outreach figures per hamlet, commune and province, for the operations centre and the supervisors' pages.

Everything is aggregated in SQL (GROUP BY hamlet); only the per-hamlet rows are summed up here, into
communes and the province.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
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


def _replace(rows: list[tuple[int, str, Decimal]], *, day: datetime.date, unit_ids) -> None:
    RollupValue.objects.filter(as_of=day, unit_id__in=unit_ids).delete()
    RollupValue.objects.bulk_create(
        [
            RollupValue(unit_id=unit_id, metric=metric, as_of=day, value=value)
            for unit_id, metric, value in rows
            if value
        ]
    )


def snapshot_exists(day: datetime.date) -> bool:
    return RollupValue.objects.filter(as_of=day, unit__code=settings.CONGSO_PROVINCE_CODE).exists()


def rollup_refresh(*, hamlet_ids, day: datetime.date | None = None) -> None:
    """Bring the stored figures of ``day`` (today by default) up to date after a write in these hamlets: the
    hamlets are recomputed (scoped queries), their communes and the province re-summed from the stored rows.
    Without a snapshot of the day yet, the whole province is stored first."""
    day = day or timezone.localdate()
    hamlet_ids = set(hamlet_ids)
    if not hamlet_ids:
        return
    if not snapshot_exists(day):
        rollup_store(as_of=day)
        return
    codes = metric_codes()
    figures = hamlet_figures(period_start=day.replace(day=1), period_end=day, hamlet_ids=list(hamlet_ids))
    rows = [
        (pk, metric, Decimal(figures.get(pk, {}).get(metric, 0))) for pk in hamlet_ids for metric in codes
    ]
    _replace(rows, day=day, unit_ids=hamlet_ids)
    communes = set(AdministrativeUnit.objects.filter(pk__in=hamlet_ids).values_list("parent_id", flat=True))
    sums = (
        RollupValue.objects.filter(as_of=day, unit__level=UnitLevel.HAMLET, unit__parent_id__in=communes)
        .values("unit__parent_id", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    )
    _replace([(r["unit__parent_id"], r["metric"], r["total"]) for r in sums], day=day, unit_ids=communes)
    province = AdministrativeUnit.objects.get(code=settings.CONGSO_PROVINCE_CODE)
    sums = (
        RollupValue.objects.filter(as_of=day, unit__level=UnitLevel.COMMUNE, unit__parent=province)
        .values("metric")
        .annotate(total=Sum("value"))
        .order_by()
    )
    _replace([(province.pk, r["metric"], r["total"]) for r in sums], day=day, unit_ids=[province.pk])


def stored_table(*, unit: AdministrativeUnit, day: datetime.date) -> dict:
    """The stored figures of ``unit`` and of its children (communes of a province, hamlets of a commune), from
    the latest snapshot on or before ``day``. Three queries; an absent row reads as zero."""
    as_of = (
        RollupValue.objects.filter(unit=unit, as_of__lte=day)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    children = []
    if unit.level != UnitLevel.HAMLET:
        children = list(
            AdministrativeUnit.objects.current()
            .filter(parent=unit)
            .order_by("code")
            .values_list("pk", "code", "full_name")
        )
    codes = metric_codes()
    values: dict = defaultdict(dict)
    if as_of is not None:
        for unit_id, metric, value in RollupValue.objects.filter(
            as_of=as_of, unit_id__in=[unit.pk] + [pk for pk, _code, _name in children]
        ).values_list("unit_id", "metric", "value"):
            values[unit_id][metric] = int(value)

    def row(pk, code, name):
        figures = {"code": code, "name": name, **{metric: values[pk].get(metric, 0) for metric in codes}}
        official = figures[HH_OFFICIAL]
        figures["coverage"] = round(100 * figures[HH_DIGITAL] / official, 1) if official else None
        return figures

    return {
        "as_of": as_of,
        "children": [row(*child) for child in children],
        "total": row(unit.pk, unit.code, unit.full_name),
        "metrics": codes,
    }

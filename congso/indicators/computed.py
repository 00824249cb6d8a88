"""Values computed from congso's own data: a registry of sources, each a function of a month returning
``(element code, unit code, value)`` triples. ``computed_run`` stores them (replacing that source's values
for the month) and refreshes the roll-up."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q

from congso.geo.models import AdministrativeUnit
from congso.indicators import periods
from congso.indicators.constants import COMPUTED_PREFIX, DEMO_SOURCE, AggregationType
from congso.indicators.models import DataElement, DataValue, ReportingForm
from congso.indicators.rollup import rollup_refresh

Triple = tuple[str, str, float]
SOURCES: dict[str, Callable[[periods.Period], Iterable[Triple]]] = {}

# The Decision 766/QĐ-TTg groups and what congso can measure of them (ONE-STOP.md). None = not available.
D766_GROUPS = [
    ("transparency", 18, None),
    ("progress", 20, "D766_PROGRESS"),
    ("online", 12, "D766_ONLINE"),
    ("payment", 10, "D766_PAYMENT"),
    ("satisfaction", 18, "D766_SATISFACTION"),
    ("digitisation", 22, None),
]
# Of the measured groups, the points congso can actually compute (the rest of each group is not available).
D766_MEASURED_MAX = {"D766_PROGRESS": 20, "D766_ONLINE": 8, "D766_PAYMENT": 6, "D766_SATISFACTION": 12}


def source(name: str):
    def register(fn):
        SOURCES[name] = fn
        return fn

    return register


def _bounds(period: periods.Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return start, end


def _dossier_counts(period: periods.Period) -> dict[str, dict[str, int]]:
    """Per office unit code: received, online, finished, on time, and distinct procedures (all / online)."""
    from congso.catalog.constants import Channel
    from congso.dossiers.models import Dossier

    start, end = _bounds(period)
    out: dict = defaultdict(lambda: defaultdict(int))
    received = (
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("office__unit__code")
        .annotate(
            received=Count("pk"),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            procedures=Count("procedure", distinct=True),
            online_procedures=Count("procedure", distinct=True, filter=Q(channel=Channel.ONLINE)),
        )
    )
    for row in received:
        out[row.pop("office__unit__code")].update(row)
    finished = (
        Dossier.objects.filter(processing_ended_at__gte=start, processing_ended_at__lt=end)
        .values("office__unit__code")
        .annotate(
            finished=Count("pk"),
            # More than one supplement request counts as overdue (Decision 766).
            on_time=Count("pk", filter=Q(processing_ended_at__lte=F("due_at"), supplement_requests__lte=1)),
        )
    )
    for row in finished:
        out[row.pop("office__unit__code")].update(row)
    return out


@source("dossiers")
def dossiers_source(period):
    for code, c in _dossier_counts(period).items():
        yield "DOSSIER_RECEIVED", code, c["received"]
        yield "DOSSIER_ONLINE", code, c["online"]
        yield "DOSSIER_FINISHED", code, c["finished"]
        yield "DOSSIER_ON_TIME", code, c["on_time"]
        yield "DOSSIER_LATE", code, c["finished"] - c["on_time"]


def _rating_counts(period) -> dict[str, dict[str, int]]:
    from congso.feedback.constants import RatingLevel
    from congso.feedback.models import Rating

    start, end = _bounds(period)
    rows = (
        Rating.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("dossier__office__unit__code")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(level=RatingLevel.SATISFIED)),
            unsatisfied=Count("pk", filter=Q(level=RatingLevel.NOT_SATISFIED)),
        )
    )
    return {row.pop("dossier__office__unit__code"): row for row in rows}


@source("ratings")
def ratings_source(period):
    for code, c in _rating_counts(period).items():
        yield "RATING_TOTAL", code, c["total"]
        yield "RATING_SATISFIED", code, c["satisfied"]


def _feedback_on_time(period) -> dict[str, tuple[int, int]]:
    from congso.feedback.models import Feedback

    start, end = _bounds(period)
    rows = (
        Feedback.objects.filter(answer_due_at__gte=start, answer_due_at__lt=end)
        .values("office__unit__code")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(answered_at__lte=F("answer_due_at"))))
    )
    return {row["office__unit__code"]: (row["on_time"], row["total"]) for row in rows}


def d766_scores(
    dossiers: dict, ratings: dict, feedback: dict, payments: dict | None = None
) -> dict[str, dict[str, float]]:
    """congso's own estimate of the measurable parts of the 766 index, per unit code (ONE-STOP.md):
    progress 20 × on-time ÷ processed; online 4 × share of procedures with ≥1 online dossier + 4 × online
    share (full at ≥ 50%); payment 6 × paid online ÷ fee requests (when congso.payments is there);
    satisfaction 6 × feedback answered on time + 6 × (100% − overdue rate − dislike
    rate, full at ≥ 90%). Parts congso cannot measure are left out, never invented."""
    out = {}
    for code, c in dossiers.items():
        scores = {}
        if c["finished"]:
            scores["D766_PROGRESS"] = 20 * c["on_time"] / c["finished"]
        if c["received"]:
            share = c["online"] / c["received"]
            services = c["online_procedures"] / c["procedures"] if c["procedures"] else 0
            scores["D766_ONLINE"] = 4 * services + 4 * min(1.0, share / 0.5)
        fees = (payments or {}).get(code)
        if fees and fees.get("requests"):
            scores["D766_PAYMENT"] = 6 * min(1.0, fees.get("paid_online", 0) / fees["requests"])
        satisfaction, measured = 0.0, False
        if code in feedback and feedback[code][1]:
            satisfaction += 6 * feedback[code][0] / feedback[code][1]
            measured = True
        rating = ratings.get(code)
        if c["finished"] and rating and rating["total"]:
            overdue = (c["finished"] - c["on_time"]) / c["finished"]
            dislike = rating["unsatisfied"] / rating["total"]
            satisfaction += 6 * min(1.0, max(0.0, 1 - overdue - dislike) / 0.9)
            measured = True
        if measured:
            scores["D766_SATISFACTION"] = satisfaction
        if scores:
            scores["D766_SCORE"] = sum(scores.values())
            scores["D766_MEASURED_MAX"] = float(
                sum(D766_MEASURED_MAX[k] for k in scores if k in D766_MEASURED_MAX)
            )
        out[code] = scores
    return out


@source("d766")
def d766_source(period):
    scores = d766_scores(
        _dossier_counts(period), _rating_counts(period), _feedback_on_time(period), _payment_counts(period)
    )
    for code, values in scores.items():
        for element, value in values.items():
            yield element, code, round(value, 3)


def _payment_counts(period) -> dict[str, dict]:
    """Per office unit code: fee requests, paid, paid online; empty when congso.payments is not installed."""
    try:
        from congso.payments.selectors import payments_paid_by_unit
    except ImportError:
        return {}
    start, end = _bounds(period)
    return {str(code): figures for code, figures in payments_paid_by_unit(start=start, end=end).items()}


@source("payments")
def payments_source(period):
    for code, figures in _payment_counts(period).items():
        yield "PAYMENT_REQUESTS", code, float(figures.get("requests", 0))
        yield "PAYMENT_PAID", code, float(figures.get("paid", 0))
        yield "PAYMENT_PAID_ONLINE", code, float(figures.get("paid_online", 0))


@source("outreach")
def outreach_source(period):
    try:
        from congso.outreach.rollup import outreach_figures
    except ImportError:
        return
    # The figures come for hamlets, communes and the province: keep the hamlets' (the roll-up adds them up).
    hamlets = set(AdministrativeUnit.objects.current().filter(level="hamlet").values_list("code", flat=True))
    for unit_code, metric, value in outreach_figures(period_start=period.start, period_end=period.end):
        if str(unit_code) not in hamlets:
            continue
        if metric.startswith("OUTREACH_ADOPT_"):
            _adoption_element(metric)
        yield metric, str(unit_code), float(value)


def _adoption_element(code: str) -> None:
    form = ReportingForm.objects.filter(code="F_OUTREACH").first()
    if form is not None:
        DataElement.objects.get_or_create(
            code=code,
            defaults={
                "name": f"Hộ sử dụng nền tảng {code.removeprefix('OUTREACH_ADOPT_')}",
                "form": form,
                "aggregation_type": AggregationType.LAST,
            },
        )


def computed_run(*, period: periods.Period, names: list[str] | None = None, refresh: bool = True) -> int:
    """Run the sources for one month; returns the number of values stored."""
    elements = dict(DataElement.objects.values_list("code", "pk"))
    units = dict(AdministrativeUnit.objects.current().values_list("code", "pk"))
    touched: dict = {}
    stored = 0
    for name in names or list(SOURCES):
        triples = list(SOURCES[name](period))
        elements.update(
            DataElement.objects.filter(code__startswith="OUTREACH_ADOPT_").values_list("code", "pk")
        )
        values = {}
        for code, unit_code, value in triples:
            if code in elements and unit_code in units:
                values[(elements[code], units[unit_code])] = value
        codes = {element for element, _unit in values}
        label = COMPUTED_PREFIX + name
        with transaction.atomic():
            old = DataValue.objects.filter(period=period.key).filter(
                Q(source=label)
                | Q(source=DEMO_SOURCE, element_id__in=codes, unit_id__in={u for _e, u in values})
            )
            for element_id in set(old.values_list("element_id", flat=True)) | codes:
                touched.setdefault(element_id, set()).add(period.year)
            old.delete()
            DataValue.objects.bulk_create(
                [
                    DataValue(
                        element_id=e,
                        unit_id=u,
                        period=period.key,
                        period_start=period.start,
                        period_end=period.end,
                        value=v,
                        source=label,
                        stored_by="congso",
                    )
                    for (e, u), v in values.items()
                ],
                ignore_conflicts=True,  # a value a department imported for the same cell is kept
            )
        stored += len(values)
    if refresh and touched:
        rollup_refresh(touched=touched)
    return stored

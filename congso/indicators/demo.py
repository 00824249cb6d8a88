"""Demo data for indicators, loaded by `manage.py demo_load`. Safe to run again.

Loads the starter content, then generates demo values (source="demo") for Cà Mau's communes and hamlets for
the months since January 2025: deterministic (seeded per unit and period), bulk-inserted, then rolled up.
"""

import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.indicators import periods
from congso.indicators.constants import DEMO_SOURCE, PeriodType
from congso.indicators.metadata import starter_load
from congso.indicators.models import DataElement, DataValue, FormCompletion
from congso.indicators.rollup import insert_rows, rollup_refresh

FIRST_MONTH = (2025, 1)


def _rng(*parts) -> random.Random:
    return random.Random("/".join(map(str, parts)))  # noqa: S311 - demo figures, not secrets


def _months() -> list[periods.Period]:
    today = timezone.localdate()
    last = periods.previous(periods.containing(today, PeriodType.MONTHLY))
    return periods.months_between(periods.month(*FIRST_MONTH), last)


def _progress(period: periods.Period, months: list) -> float:
    """0 at the first demo month, 1 at the last: the trend of the province's programmes."""
    return months.index(period) / max(1, len(months) - 1) if period in months else 1.0


def demo_values(province_code: str) -> list[tuple[str, str, str, str, float]]:
    """(element code, unit code, period key, option, value) of the demo."""
    communes = list(
        AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE, parent__code=province_code)
        .order_by("code").values_list("code", "population")
    )  # fmt: skip
    hamlets = list(
        AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.HAMLET, parent__parent__code=province_code)
        .order_by("code").values_list("code", flat=True)
    )  # fmt: skip
    months = _months()
    quarters = sorted({periods.containing(m.start, PeriodType.QUARTERLY) for m in months})
    out = []
    for code, population in communes:
        size = (population or 30000) / 30000
        for m in months:
            r, t = _rng(code, m.key), _progress(m, months)
            received = int(size * r.randint(120, 360))
            online = int(received * min(0.95, 0.3 + 0.45 * t + r.uniform(-0.08, 0.08)))
            finished = int(received * r.uniform(0.85, 1.0))
            late = int(finished * r.choice([0, 0, 0.005, 0.01, 0.02, 0.05]))
            ratings = int(finished * r.uniform(0.1, 0.3))
            satisfied = int(ratings * r.uniform(0.8, 0.98))
            unsatisfied = int((ratings - satisfied) * r.uniform(0, 0.5))
            progress = 20 * (finished - late) / finished if finished else 0
            online_score = 4 * r.uniform(0.6, 1) + 4 * min(1.0, online / received / 0.5) if received else 0
            dislike = unsatisfied / ratings if ratings else 0
            satisfaction = 6 * r.uniform(0.7, 1) + 6 * min(1.0, max(0.0, 1 - late / finished - dislike) / 0.9)
            fee_requests = int(received * r.uniform(0.25, 0.35))
            paid = int(fee_requests * r.uniform(0.9, 1.0))
            paid_online = int(paid * min(1.0, 0.2 + 0.5 * t + r.uniform(-0.05, 0.05)))
            payment = 6 * paid_online / fee_requests if fee_requests else 0
            for element, value in (
                ("DOSSIER_RECEIVED", received), ("DOSSIER_ONLINE", online), ("DOSSIER_FINISHED", finished),
                ("DOSSIER_ON_TIME", finished - late), ("DOSSIER_LATE", late), ("RATING_TOTAL", ratings),
                ("RATING_SATISFIED", satisfied), ("D766_PROGRESS", round(progress, 3)),
                ("D766_ONLINE", round(online_score, 3)), ("D766_SATISFACTION", round(satisfaction, 3)),
                ("D766_PAYMENT", round(payment, 3)), ("PAYMENT_REQUESTS", fee_requests),
                ("PAYMENT_PAID", paid), ("PAYMENT_PAID_ONLINE", paid_online),
                ("D766_SCORE", round(progress + online_score + payment + satisfaction, 3)),
                ("D766_MEASURED_MAX", 46),
                ("OUTREACH_ADOPT_VNEID", int(size * 5000 * (0.4 + 0.4 * t))),
                ("OUTREACH_ADOPT_CASHLESS", int(size * 5000 * (0.3 + 0.3 * t))),
            ):  # fmt: skip
                out.append((element, code, m.key, "", float(value)))
        for q in quarters:
            r, t = _rng(code, q.key), _progress(periods.month(q.year, q.start.month), months)
            if q == quarters[-1] and r.random() < 0.2:
                continue  # some communes have not reported the last quarter yet (completeness)
            adults = int(size * 22000)
            eid = adults * min(0.97, 0.7 + 0.15 * t + r.uniform(-0.03, 0.03))
            enterprises = int(size * r.randint(40, 70))
            for element, option, value in (
                ("ADULTS", "", adults), ("EID_ADULTS", "M", int(eid * 0.49)),
                ("EID_ADULTS", "F", int(eid * 0.51)),
                ("ENTERPRISES", "", enterprises), ("ENTERPRISES_EINVOICE", "", enterprises),
                ("ENTERPRISES_ETAX", "", int(enterprises * r.uniform(0.95, 1.0))),
                ("HH_BUSINESS_ECOMMERCE", "", int((60 + 40 * t) * r.uniform(0.8, 1.2))),
                ("ECOMMERCE_PRODUCTS", "", int((7 + 5 * t) * r.uniform(0.8, 1.2))),
            ):  # fmt: skip
                out.append((element, code, q.key, option, float(value)))
    for code in hamlets:
        households = _rng(code).randint(350, 900)
        for m in months:
            r, t = _rng(code, m.key), _progress(m, months)
            coverage = min(0.98, 0.35 + 0.4 * t + r.uniform(-0.03, 0.03))
            visited = int(households * min(1.0, 0.4 + 0.55 * t))
            for element, value in (
                ("OUTREACH_HH_OFFICIAL", households),
                ("OUTREACH_HH_VISITED", visited), ("OUTREACH_HH_DIGITAL", int(households * coverage)),
                ("OUTREACH_VISITS", r.randint(10, 60)),
            ):  # fmt: skip
                out.append((element, code, m.key, "", float(value)))
    for index, q in enumerate(quarters):
        out.append(("PLAN_TASKS_TOTAL", province_code, q.key, "", 20.0))
        out.append(("PLAN_TASKS_DONE", province_code, q.key, "", float(min(18, 4 + 2 * index))))
    return out


@transaction.atomic
def demo_values_load(province_code: str) -> int:
    elements = {e.code: e for e in DataElement.objects.select_related("form")}
    units = dict(AdministrativeUnit.objects.current().values_list("code", "pk"))
    parsed: dict = {}
    rows, completions = [], set()
    now = timezone.now()
    for element_code, unit_code, key, option, value in demo_values(province_code):
        element = elements[element_code]
        period = parsed.get(key) or parsed.setdefault(key, periods.parse(key))
        rows.append(
            (element.pk, units[unit_code], key, period.start, period.end, option, value, DEMO_SOURCE,
             "demo", "", now, now)
        )  # fmt: skip
        if not element.form.is_computed:
            completions.add((element.form_id, units[unit_code], key))
    existing = set(DataValue.objects.values_list("element_id", "unit_id", "period", "option"))
    columns = ["element_id", "unit_id", "period", "period_start", "period_end", "option", "value", "source",
               "stored_by", "comment", "created_at", "updated_at"]  # fmt: skip
    created = insert_rows(DataValue, columns, (r for r in rows if (r[0], r[1], r[2], r[5]) not in existing))
    FormCompletion.objects.bulk_create(
        [FormCompletion(form_id=f, unit_id=u, period=p, stored_by="demo") for f, u, p in completions],
        batch_size=5000, ignore_conflicts=True,
    )  # fmt: skip
    return created


def load_demo() -> str:
    """Create the demo rows that are missing; return a one-line summary for the console."""
    counts = starter_load()
    if DataValue.objects.filter(source=DEMO_SOURCE).exists():
        return f"{counts['indicators']} indicators; demo values already there"
    created = demo_values_load(settings.CONGSO_PROVINCE_CODE)
    rolled = rollup_refresh()
    return f"{counts['indicators']} indicators, {created:,} demo values, {rolled:,} roll-up rows"

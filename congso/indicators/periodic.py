"""Work for indicators that runs on a clock: `manage.py periodic` calls tick() every minute.

tick() must be cheap when there is nothing to do and safe to call again (idempotent); daily work keeps its
own "last done" marker. Every hour: the computed sources for this month and the last one; every day: the
roll-up of this year and the last one rebuilt (a safety net; imports refresh what they touch) and the alert
rules. A full rebuild is `manage.py indicators_refresh`.
"""

from django.utils import timezone

from congso.core.periodic import once
from congso.indicators import periods
from congso.indicators.alerts import alerts_evaluate
from congso.indicators.computed import computed_run
from congso.indicators.constants import PeriodType
from congso.indicators.models import DataElement
from congso.indicators.rollup import rollup_refresh


def _due(key: str, stamp: str) -> bool:
    return once(f"indicators:{key}", stamp)


def tick() -> str | None:
    """Do what is due now; return a one-line summary, or None when nothing was done."""
    now = timezone.localtime()
    done = []
    if _due("computed-hourly", now.strftime("%Y-%m-%dT%H")):
        this_month = periods.containing(now.date(), PeriodType.MONTHLY)
        stored = sum(computed_run(period=p) for p in (periods.previous(this_month), this_month))
        done.append(f"{stored} computed values")
    if _due("daily", now.date().isoformat()):
        years = {now.year, now.year - 1}
        touched = dict.fromkeys(DataElement.objects.values_list("pk", flat=True), years)
        done.append(f"{rollup_refresh(touched=touched):,} roll-up rows")
        done.append(f"{alerts_evaluate(today=now.date())} new alerts")
    return ", ".join(done) or None

"""Work for outreach that runs on a clock: `manage.py periodic` calls tick() every minute.

tick() must be cheap when there is nothing to do and safe to call again (idempotent); daily work keeps its own
"last done" marker.
"""

import datetime

from django.utils import timezone

from congso.core.periodic import mark, marker
from congso.outreach.rollup import rollup_store, snapshot_exists

ROLLUP_MARKER = "outreach:rollup_nightly"
ROLLUP_AFTER = datetime.time(1, 0)  # at night, when the teams are not syncing


def tick(*, now: datetime.datetime | None = None) -> str | None:
    """Each day: a first snapshot of the day's figures (which the writes of the day then keep up to date), and
    after 01:00 the final figures of the day that just ended. Two small queries when both are done."""
    now = timezone.localtime(now)
    if not snapshot_exists(now.date()):
        rows = rollup_store(as_of=now.date())
        return f"outreach figures of {now.date():%d/%m/%Y}: {rows} values"
    if now.time() < ROLLUP_AFTER:
        return None
    day = now.date() - datetime.timedelta(days=1)
    if marker(ROLLUP_MARKER) == day.isoformat():
        return None
    rows = rollup_store(as_of=day)
    mark(ROLLUP_MARKER, day.isoformat())  # only once the figures are stored: a failed night is done again
    return f"outreach roll-up for {day:%d/%m/%Y}: {rows} values"

"""Work for indicators that runs on a clock: `manage.py periodic` calls tick() every minute.

tick() must be cheap when there is nothing to do and safe to call again (idempotent); daily work keeps its own
"last done" marker.
"""


def tick() -> str | None:
    """Do what is due now; return a one-line summary, or None when nothing was done."""
    return None

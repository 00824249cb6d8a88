"""Work for payments that runs on a clock: `manage.py periodic` calls tick() every minute.

Callbacks get lost: online payments silent for a while are asked about through the gateway client, and
requests past their expiry time expire. Both are cheap indexed queries when there is nothing to do.
"""

from congso.payments.reconciliation import gateway_recheck
from congso.payments.services import fee_requests_expire


def tick() -> str | None:
    """Do what is due now; return a one-line summary, or None when nothing was done."""
    settled = gateway_recheck()
    expired = fee_requests_expire()
    if not settled and not expired:
        return None
    return f"{settled} paid after a gateway re-check, {expired} expired"

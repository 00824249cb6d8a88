"""Clock-driven work of the audit app: `manage.py periodic` calls tick() every minute.

Once a day (local time) the personal-data retention rules run (``congso.core.retention``) and the audit
chain is verified (a broken chain makes the command fail, so cron reports it). The marker of the last run
is the run's own entry in the hash-chained audit log (action ``retention.run``), so the record of what was
deleted and when cannot be edited afterwards either."""

import logging

from django.utils import timezone

from congso.audit.chain import audit_record, chain_verify
from congso.audit.models import AuditEvent

logger = logging.getLogger(__name__)

RETENTION_TARGET = ("job", "retention")


def retention_last_run():
    return (
        AuditEvent.objects.filter(target_type=RETENTION_TARGET[0], target_id=RETENTION_TARGET[1])
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )


def tick(*, now=None) -> str | None:
    from congso.core.retention import retention_apply

    now = now or timezone.now()
    last = retention_last_run()
    if last is not None and timezone.localdate(last) >= timezone.localdate(now):
        return None
    result = retention_apply(now=now)
    audit_record(action="retention.run", target=RETENTION_TARGET, data=result.__dict__)
    verification = chain_verify()
    if not verification.ok:
        link = verification.broken
        logger.critical("audit chain broken at event %s (%s)", link.event_id, link.field)
        raise RuntimeError(f"audit chain broken at event id={link.event_id} ({link.field}): run audit_verify")
    return f"retention: {result.summary()}; audit chain OK ({verification.checked} events)"

"""Retention of personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: keep personal data no longer than
its purpose needs). Run once a day by ``congso.audit.periodic``; each run is recorded in the audit log.

What goes, and after how long (days; settings, from the environment):

- drafts of online dossiers never submitted, untouched for ``CONGSO_RETENTION_DRAFT_DAYS`` (90), with their
  uploaded files;
- expired sessions (Django keeps them until someone clears them);
- the per-view personal-data access log (``audit.PersonalDataAccess``) older than
  ``CONGSO_RETENTION_ACCESS_LOG_DAYS`` (730);
- quarantined uploads older than ``CONGSO_QUARANTINE_DAYS`` (90).

The hash-chained audit log (``audit.AuditEvent``) is never pruned here: it is the record of what was done,
and it holds no unmasked personal data.
"""

import dataclasses
import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
BATCH = 500


@dataclasses.dataclass
class RetentionResult:
    drafts: int = 0
    draft_files: int = 0
    sessions: int = 0
    access_log: int = 0
    quarantined: int = 0

    def total(self) -> int:
        return self.drafts + self.sessions + self.access_log + self.quarantined

    def summary(self) -> str:
        return (
            f"{self.drafts} abandoned drafts ({self.draft_files} files), {self.sessions} expired sessions, "
            f"{self.access_log} access-log rows, {self.quarantined} quarantined files removed"
        )


def _days(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, name, default)))


def drafts_purge(*, now: datetime.datetime) -> tuple[int, int]:
    """Drafts that never became a dossier and were not touched for the retention period, and their files."""
    from congso.dossiers.models import DossierDraft, DraftDocument

    cutoff = now - _days("CONGSO_RETENTION_DRAFT_DAYS", 90)
    drafts = files = 0
    while True:
        ids = list(
            DossierDraft.objects.filter(dossier__isnull=True, updated_at__lt=cutoff).values_list(
                "pk", flat=True
            )[:BATCH]
        )
        if not ids:
            break
        documents = list(DraftDocument.objects.filter(draft_id__in=ids))
        with transaction.atomic():
            DraftDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
            drafts += DossierDraft.objects.filter(pk__in=ids).delete()[1].get("dossiers.DossierDraft", 0)
        for document in documents:  # after the commit: a file removed for a rolled-back delete is lost
            if document.file:
                document.file.delete(save=False)
                files += 1
    return drafts, files


def sessions_purge(*, now: datetime.datetime) -> int:
    return Session.objects.filter(expire_date__lt=now).delete()[0]


def access_log_purge(*, now: datetime.datetime) -> int:
    from congso.audit.models import PersonalDataAccess

    cutoff = now - _days("CONGSO_RETENTION_ACCESS_LOG_DAYS", 730)
    deleted = 0
    while True:
        ids = list(
            PersonalDataAccess.objects.filter(viewed_at__lt=cutoff).values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return deleted
        deleted += PersonalDataAccess.objects.filter(pk__in=ids).delete()[0]


def quarantine_purge(*, now: datetime.datetime) -> int:
    folder = Path(getattr(settings, "CONGSO_QUARANTINE_DIR", "") or Path(settings.VAR_DIR) / "quarantine")
    if not folder.is_dir():
        return 0
    cutoff = (now - _days("CONGSO_QUARANTINE_DAYS", 90)).timestamp()
    removed = 0
    for path in folder.glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                path.with_suffix(".json").unlink(missing_ok=True)
                removed += 1
        except OSError:
            logger.exception("could not remove quarantined file %s", path.name)
    return removed


def retention_apply(*, now: datetime.datetime | None = None) -> RetentionResult:
    """Apply every retention rule once; idempotent. Returns what was removed."""
    now = now or timezone.now()
    result = RetentionResult()
    result.drafts, result.draft_files = drafts_purge(now=now)
    result.sessions = sessions_purge(now=now)
    result.access_log = access_log_purge(now=now)
    result.quarantined = quarantine_purge(now=now)
    return result

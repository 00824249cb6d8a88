import datetime
import os
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from congso.audit import periodic
from congso.audit.chain import audit_record, chain_verify
from congso.audit.models import AuditEvent, PersonalDataAccess
from congso.audit.services import personal_data_viewed
from congso.core.retention import retention_apply
from congso.dossiers.models import DossierDraft, DraftDocument
from congso.dossiers.tests.factories import make_office, make_version, submit

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONGSO_QUARANTINE_DIR = tmp_path / "quarantine"


def draft(user, version, *, age_days: int, dossier=None):
    created = DossierDraft.objects.create(token=uuid.uuid4(), user=user, version=version, dossier=dossier)
    DossierDraft.objects.filter(pk=created.pk).update(updated_at=timezone.now() - age_days * DAY)
    return created


def test_abandoned_drafts_go_with_their_files_submitted_and_recent_ones_stay(citizen, settings):
    settings.CONGSO_RETENTION_DRAFT_DAYS = 90
    version = make_version()
    office = make_office("32002", "000.00.26.H12")
    old = draft(citizen, version, age_days=91)
    document = DraftDocument(
        draft=old, field_name="proof", label="Giấy", content_type="application/pdf", size=8, sha256="0" * 64
    )
    document.file.save("giay.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    path = document.file.path
    recent = draft(citizen, version, age_days=30)
    submitted = draft(citizen, version, age_days=400, dossier=submit(version, office))

    result = retention_apply()

    assert (result.drafts, result.draft_files) == (1, 1)
    assert not os.path.exists(path)
    assert set(DossierDraft.objects.values_list("pk", flat=True)) == {recent.pk, submitted.pk}
    assert retention_apply().total() == 0  # idempotent


def test_expired_sessions_go():
    live, dead = SessionStore(), SessionStore()
    live.create()
    dead.set_expiry(-10)
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(expire_date=timezone.now() - DAY)
    assert retention_apply().sessions == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_old_access_log_rows_go_but_the_chained_audit_log_stays(official, settings):
    settings.CONGSO_RETENTION_ACCESS_LOG_DAYS = 730
    dossier = submit(make_version(), make_office("32002", "000.00.26.H12"))
    old = personal_data_viewed(user=official, dossier=dossier, what="dossier_detail")
    recent = personal_data_viewed(user=official, dossier=dossier, what="receipt")
    PersonalDataAccess.objects.filter(pk=old.pk).update(viewed_at=timezone.now() - 731 * DAY)
    events = AuditEvent.objects.count()

    assert retention_apply().access_log == 1

    assert list(PersonalDataAccess.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.count() == events  # both views are still in the audit log
    assert chain_verify().ok


def test_old_quarantined_files_go(settings):
    folder = settings.CONGSO_QUARANTINE_DIR
    folder.mkdir()
    (folder / "old.bin").write_bytes(b"MZ")
    (folder / "old.json").write_text("{}")
    (folder / "new.bin").write_bytes(b"MZ")
    old_time = (timezone.now() - 91 * DAY).timestamp()
    os.utime(folder / "old.bin", (old_time, old_time))
    assert retention_apply().quarantined == 1
    assert sorted(p.name for p in folder.iterdir()) == ["new.bin"]


def test_the_periodic_tick_runs_once_a_day_and_records_it(citizen):
    version = make_version()
    draft(citizen, version, age_days=100)
    summary = periodic.tick()
    assert summary.startswith("retention: 1 abandoned drafts")
    assert periodic.tick() is None  # same day: nothing
    run = AuditEvent.objects.get(action="retention.run")
    assert run.data["drafts"] == 1
    assert periodic.tick(now=timezone.now() + DAY) is not None  # the next day it runs again
    audit_record(action="test.other")
    assert chain_verify().ok


def test_the_daily_tick_fails_loudly_when_the_chain_is_broken():
    from django.db import connection

    event = audit_record(action="test.x", data={"i": 1})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'test.y' WHERE id = %s", [event.pk])
    with pytest.raises(RuntimeError, match=f"id={event.pk}"):
        periodic.tick()

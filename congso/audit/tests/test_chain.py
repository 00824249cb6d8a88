import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from congso.audit.chain import GENESIS, audit_record, chain_verify, event_hash
from congso.audit.models import AuditChainHead, AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_events_form_a_chain(citizen, official):
    first = audit_record(
        actor=official, action="test.first", target=citizen, data={"n": 1, "word": "Đất Mũi"}
    )
    second = audit_record(actor=None, action="test.second", target=("dossier", "H12.01"), data=None)
    assert first.seq + 1 == second.seq
    assert second.prev_hash == first.hash
    assert (first.target_type, first.target_id) == ("accounts.user", str(citizen.pk))
    assert first.actor_id == official.pk and second.actor_id is None
    reloaded = AuditEvent.objects.get(pk=first.pk)
    assert event_hash(reloaded) == first.hash
    assert AuditChainHead.objects.get().hash == second.hash
    assert chain_verify().ok
    code, out, _ = verify()
    assert code == 0 and "OK" in out


def test_first_event_starts_from_genesis():
    event = audit_record(action="test.only")
    assert AuditEvent.objects.count() == 1
    assert event.prev_hash == GENESIS


def test_data_with_dates_hashes_as_stored(citizen):
    event = audit_record(action="test.dates", data={"when": citizen.date_joined, "codes": ("a", "b")})
    assert event_hash(AuditEvent.objects.get(pk=event.pk)) == event.hash
    assert chain_verify().ok


def test_the_orm_refuses_to_change_or_delete(citizen):
    event = audit_record(action="test.x")
    event.action = "test.y"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.z")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.x"


def test_an_edit_by_raw_sql_is_found_by_audit_verify(citizen):
    events = [audit_record(action="test.step", data={"i": i}) for i in range(5)]
    target = events[2]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the trigger must be switched off first, as an intruder would
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"i": 99}', target.pk])
    code, _, err = verify()
    assert code == 1
    assert f"id={target.pk}" in err
    assert target.hash in err  # found: the stored hash, which no longer matches the row
    result = chain_verify()
    assert result.broken.event_id == target.pk
    assert result.broken.field == "hash"
    assert result.broken.found == target.hash
    assert result.broken.expected != target.hash


def test_a_row_recomputed_by_hand_breaks_the_next_link():
    events = [audit_record(action="test.step", data={"i": i}) for i in range(3)]
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.data = {"i": 42}
    new_hash = event_hash(forged)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s, hash = %s WHERE id = %s",
            ['{"i": 42}', new_hash, forged.pk],
        )
    result = chain_verify()
    assert result.broken.event_id == events[2].pk
    assert result.broken.field == "prev_hash"
    assert (result.broken.expected, result.broken.found) == (new_hash, events[1].hash)


def test_a_deleted_row_or_tail_is_found():
    events = [audit_record(action="test.step", data={"i": i}) for i in range(4)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[3].pk])
    assert chain_verify().broken.field == "head"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    broken = chain_verify().broken
    assert (broken.event_id, broken.field) == (events[2].pk, "seq")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_raw_updates_and_deletes():
    from django.db import DatabaseError, transaction

    event = audit_record(action="test.x")
    for sql in (
        "UPDATE audit_auditevent SET action = 'y' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.x"


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite has one writer at a time; its shared-cache test DB refuses",
)
def test_concurrent_writers_do_not_fork_the_chain(committing_db):
    errors = []

    def write(n):
        try:
            for i in range(10):
                audit_record(action="test.concurrent", data={"writer": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 40
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert chain_verify().ok


def test_logins_and_mfa_changes_are_recorded(client, citizen):
    from congso.conftest import PASSWORD

    response = client.post("/accounts/login/", {"login": citizen.email, "password": "wrong-password-123"})
    assert response.status_code == 200
    client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.login_failed" in actions
    assert "auth.login" in actions
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert citizen.email not in str(failed.data)  # masked
    assert AuditEvent.objects.get(action="auth.login").actor_id == citizen.pk
    assert chain_verify().ok


def test_nul_characters_in_data_do_not_lose_the_event():
    event = audit_record(action="test.nul", data={"login": "a\0b"})
    assert AuditEvent.objects.get(pk=event.pk).data == {"login": "ab"}
    assert chain_verify().ok

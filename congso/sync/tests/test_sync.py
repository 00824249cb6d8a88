import base64
import datetime
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congso.dossiers import transitions
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import DossierEvent
from congso.dossiers.tests.factories import at, make_office, make_version, submit
from congso.sync import payloads
from congso.sync.constants import MAX_ATTEMPTS, RETRY_DELAYS, SyncKind, SyncStatus
from congso.sync.models import SyncMessage
from congso.sync.services import sync_dossier, sync_event, sync_retry_due
from congso.sync.tasks import send_sync_message

pytestmark = pytest.mark.django_db

START = at("2026-03-10 08:00")  # a Tuesday
STEP = timedelta(minutes=10)


@pytest.fixture
def dossier():
    version = make_version(days=5)
    office = make_office("32002", "000.00.26.H12")  # the official's commune
    dossier = submit(version, office, channel=2, when=START)
    # The submission's own hook queued a row; the tests below call the hooks themselves, from a clean outbox.
    SyncMessage.objects.all().delete()
    return dossier


def last_event(dossier):
    return DossierEvent.objects.filter(dossier=dossier).order_by("-at", "-id").first()


def drive(dossier, official):
    """Submission, then acceptance, processing, a supplement and approval, synced as the hooks will do."""
    sync_dossier(dossier)
    when = START
    for move in (
        lambda d, w: transitions.dossier_accept(dossier=d, actor=official, at=w),
        lambda d, w: transitions.dossier_start_processing(dossier=d, actor=official, at=w),
        lambda d, w: transitions.dossier_request_supplement(
            dossier=d, actor=official, items=["Bản sao giấy chứng sinh"], reason="Thiếu giấy tờ", at=w
        ),
        lambda d, w: transitions.dossier_supplement_received(dossier=d, actor=official, at=w),
        lambda d, w: transitions.dossier_approve(dossier=d, actor=official, at=w),
    ):
        when += STEP
        dossier = move(dossier, when)
        sync_event(last_event(dossier))
    return dossier


def send(message: SyncMessage) -> str:
    outcome = send_sync_message.call(message_id=message.pk)
    message.refresh_from_db()
    return outcome


# Off by default


def test_without_a_url_nothing_is_written(settings, dossier, official):
    settings.CONGSO_DVCQG_URL = ""
    assert sync_dossier(dossier) is None
    drive(dossier, official)
    assert not SyncMessage.objects.exists()


def test_the_url_is_empty_in_the_default_settings():
    from django.conf import settings

    assert not getattr(settings, "CONGSO_DVCQG_URL", "")


# Contract


def test_every_push_has_the_national_shape(portal, dossier, official):
    dossier = drive(dossier, official)
    rows = list(SyncMessage.objects.order_by("pk"))
    # 1 dossier row at submission, then per move: a progress row and a dossier row for the new status.
    assert [row.kind for row in rows].count(SyncKind.PROGRESS) == 5
    assert [row.kind for row in rows].count(SyncKind.DOSSIER) == 6
    for row in rows:
        assert send(row) == SyncStatus.SENT, row.last_error
    assert len(portal.requests) == len(rows)
    assert [r["errors"] for r in portal.requests] == [[]] * len(rows)
    assert {r["path"] for r in portal.requests} == {"/DongBoHoSoMC", "/CapNhatTienDoHoSoMC"}
    assert all(r["headers"]["Authorization"] == "Bearer test-token" for r in portal.requests)
    assert [r["headers"]["Idempotency-Key"] for r in portal.requests] == [row.idempotency_key for row in rows]


def test_dates_are_vietnam_local_time(portal, dossier, official):
    dossier = drive(dossier, official)
    first = SyncMessage.objects.get(idempotency_key=f"dossier:{dossier.pk}:submitted")
    send(first)
    record = portal.requests[0]["body"]["data"][0]
    assert record["NgayNopHoSo"] == "20260310080000"  # 08:00 in Cà Mau, 01:00 UTC
    assert record["TrangThaiHoSo"] == 1
    assert record["KenhThucHien"] == 2
    assert record["MaHoSo"] == dossier.code
    assert record["MaTTHC"] == "1.001193"
    assert record["DinhDanhCHS"] == "096190000123"
    assert record["NgayTiepNhan"] is None

    last = SyncMessage.objects.filter(kind=SyncKind.DOSSIER).latest("pk")
    assert last.idempotency_key == f"dossier:{dossier.pk}:{DossierStatus.RESULT_READY}:event:{last.event_id}"
    send(last)
    record = portal.requests[1]["body"]["data"][0]
    assert record["TrangThaiHoSo"] == 9
    assert record["NgayTiepNhan"] == "20260310081000"
    assert record["NgayKetThucXuLy"] == "20260310085000"
    (supplement,) = record["DanhSachHoSoBoSung"]
    assert supplement["NgayYeuCauBoSung"] == "20260310083000"
    assert supplement["NgayTiepNhanBoSung"] == "20260310084000"
    assert supplement["DanhSachGiayToYeuCau"] == ["Bản sao giấy chứng sinh"]
    assert record["DanhSachLePhi"][0]["TenPhiLePhi"] == "Lệ phí"


def test_a_step_carries_who_when_and_the_status(portal, dossier, official):
    drive(dossier, official)
    accepted = SyncMessage.objects.filter(kind=SyncKind.PROGRESS).order_by("pk").first()
    send(accepted)
    (record,) = portal.requests[0]["body"]["data"]
    (step,) = record["QuaTrinhXuLy"]
    assert step["NguoiXuLy"] == "Trần Thị B"
    assert step["ChucDanh"] == "Cán bộ một cửa"
    assert step["ThoiDiemXuLy"] == "20260310081000"
    assert step["TrangThai"] == record["TrangThaiHoSo"] == 2


def test_a_utc_datetime_is_written_in_vietnam_time():
    value = datetime.datetime(2026, 3, 9, 18, 30, tzinfo=datetime.UTC)
    assert payloads.national_date(value) == "20260310013000"
    assert payloads.national_date(None) is None
    with pytest.raises(ValueError):
        payloads.national_date(datetime.datetime(2026, 3, 9, 18, 30))


def test_basic_auth_when_the_token_is_a_user_and_password(portal, settings, dossier):
    settings.CONGSO_DVCQG_TOKEN = "congso:mat-khau"
    send(sync_dossier(dossier))
    expected = "Basic " + base64.b64encode(b"congso:mat-khau").decode()
    assert portal.requests[0]["headers"]["Authorization"] == expected


# Idempotency


def test_the_same_status_is_queued_once(portal, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = sync_dossier(dossier)
        second = sync_dossier(dossier)
    assert first.pk == second.pk
    assert SyncMessage.objects.count() == 1
    assert len(callbacks) == 1  # one task
    event = last_event(dossier)
    assert sync_event(event).pk == sync_event(event).pk
    assert SyncMessage.objects.filter(kind=SyncKind.PROGRESS).count() == 1


def test_sending_a_row_again_repeats_its_idempotency_key(portal, dossier):
    message = sync_dossier(dossier)
    assert send(message) == SyncStatus.SENT
    assert send(message) == "skipped"  # a duplicate task finds it sent
    SyncMessage.objects.filter(pk=message.pk).update(
        status=SyncStatus.PENDING
    )  # e.g. a worker lost its claim
    assert send(message) == SyncStatus.SENT
    keys = [r["headers"]["Idempotency-Key"] for r in portal.requests]
    assert keys == [f"dossier:{dossier.pk}:submitted"] * 2
    assert portal.requests[0]["body"] == portal.requests[1]["body"]


def test_the_payload_is_the_one_built_when_queued(portal, dossier):
    message = sync_dossier(dossier)
    dossier.applicant_name = "Tên đã đổi"
    dossier.save()
    send(message)
    assert portal.requests[0]["body"]["data"][0]["ChuHoSo"] == "Nguyễn Thị Hoa"


def test_the_task_is_enqueued_on_commit(portal, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = sync_dossier(dossier)
    (result,) = DBTaskResult.objects.filter(task_path__endswith="send_sync_message")
    assert result.args_kwargs["kwargs"] == {"message_id": message.pk}


# Retries


def test_a_server_error_is_retried_with_backoff_and_the_sweep_sends_it_again(
    portal, dossier, django_capture_on_commit_callbacks
):
    portal.replies = [(500, {"message": "bảo trì"})]
    message = sync_dossier(dossier)
    before = timezone.now()
    assert send(message) == SyncStatus.FAILED
    assert message.attempts == 1
    assert "HTTP 500" in message.last_error
    assert "bảo trì" in message.response
    assert before + RETRY_DELAYS[0] <= message.next_attempt_at <= timezone.now() + RETRY_DELAYS[0]

    assert sync_retry_due() == 0  # not due yet
    SyncMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sync_sweep", verbosity=0)
    message.refresh_from_db()
    assert message.status == SyncStatus.PENDING
    assert DBTaskResult.objects.filter(task_path__endswith="send_sync_message").count() == 1
    assert send(message) == SyncStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(portal.requests) == 2
    assert (
        portal.requests[0]["headers"]["Idempotency-Key"] == portal.requests[1]["headers"]["Idempotency-Key"]
    )


def test_the_backoff_grows_then_gives_up(portal, dossier):
    message = sync_dossier(dossier)
    portal.replies = [(503, {})] * MAX_ATTEMPTS
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        now = timezone.now()
        outcome = send(message)
        if outcome == SyncStatus.FAILED:
            waits.append(message.next_attempt_at - now)
            SyncMessage.objects.filter(pk=message.pk).update(status=SyncStatus.PENDING)
    assert outcome == SyncStatus.GIVEN_UP
    assert message.attempts == MAX_ATTEMPTS
    assert waits == sorted(waits) and len(waits) == len(RETRY_DELAYS)


def test_a_timeout_is_retried(portal, settings, dossier):
    settings.CONGSO_DVCQG_TIMEOUT = 0.2
    portal.delay = 0.5
    message = sync_dossier(dossier)
    assert send(message) == SyncStatus.FAILED
    assert "no answer" in message.last_error


def test_a_refused_connection_is_retried(settings, dossier):
    from congso.sync.tests.portal import FakePortal

    with FakePortal() as fake:
        url = fake.url  # the port is free again once the server is closed
    settings.CONGSO_DVCQG_URL = url
    message = sync_dossier(dossier)
    assert send(message) == SyncStatus.FAILED


def test_a_client_error_is_given_up_with_the_answer_kept(portal, dossier):
    portal.replies = [(400, {"message": "MaTTHC không tồn tại"})]
    message = sync_dossier(dossier)
    assert send(message) == SyncStatus.GIVEN_UP
    assert message.attempts == 1
    assert message.next_attempt_at is None
    assert "HTTP 400" in message.last_error
    assert "MaTTHC không tồn tại" in message.response
    assert sync_retry_due(now=timezone.now() + timedelta(days=7)) == 0


def test_the_sweep_queues_a_row_whose_task_was_lost(portal, dossier, django_capture_on_commit_callbacks):
    message = sync_dossier(dossier)  # its on-commit task never runs in this test
    assert sync_retry_due() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sync_retry_due(now=timezone.now() + timedelta(hours=1)) == 1
    assert send(message) == SyncStatus.SENT


def test_admin_lists_the_outbox(admin_client, portal, dossier):
    message = sync_dossier(dossier)
    response = admin_client.get("/quan-tri/sync/syncmessage/")
    assert response.status_code == 200
    assert admin_client.get(f"/quan-tri/sync/syncmessage/{message.pk}/change/").status_code == 200


def test_the_dossier_hooks_queue_by_themselves(portal, official):
    """Wired in dossier_submit and in every workflow move: nobody has to remember to call them."""
    from congso.dossiers import transitions

    dossier = submit(make_version(days=5), make_office("32002", "000.00.26.H12"), channel=2, when=START)
    assert list(SyncMessage.objects.values_list("kind", flat=True)) == [SyncKind.DOSSIER]
    transitions.dossier_accept(dossier=dossier, actor=official, at=START)
    kinds = sorted(SyncMessage.objects.values_list("kind", flat=True))
    assert kinds == sorted([SyncKind.DOSSIER, SyncKind.DOSSIER, SyncKind.PROGRESS])

import pytest

from congso.dossiers.constants import NATIONAL_CODE, DossierStatus
from congso.dossiers.models import Dossier, DossierEvent
from congso.dossiers.tests.factories import at, make_office, make_version, submit

pytestmark = pytest.mark.django_db


def test_code_is_office_date_and_a_daily_sequence():
    version, office = make_version(), make_office()
    first = submit(version, office, when=at("2026-03-10 09:00"))
    second = submit(version, office, when=at("2026-03-10 16:59"))
    next_day = submit(version, office, when=at("2026-03-11 08:00"))
    assert first.code == "000.00.64.H12-260310-0001"
    assert second.code == "000.00.64.H12-260310-0002"
    assert next_day.code == "000.00.64.H12-260311-0001"
    assert len(first.lookup_key) == 6
    assert first.lookup_key != second.lookup_key


def test_each_office_has_its_own_sequence():
    version = make_version()
    a, b = make_office("32248", "000.00.64.H12"), make_office("32002", "000.00.26.H12")
    assert submit(version, a, when=at("2026-03-10 09:00")).code.endswith("-0001")
    assert submit(version, b, when=at("2026-03-10 09:00")).code == "000.00.26.H12-260310-0001"


def test_counter_submission_is_received_with_a_deadline_in_working_days():
    version, office = make_version(days=3), make_office()
    dossier = submit(version, office, channel=1, when=at("2026-03-13 16:00"))  # Friday afternoon
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.national_status == NATIONAL_CODE[DossierStatus.RECEIVED] == 2
    assert dossier.received_at == at("2026-03-13 16:00")
    # 1 h on Friday + 8 h Monday + 8 h Tuesday + 7 h Wednesday: due Wednesday 16:00.
    assert dossier.due_at == at("2026-03-18 16:00")
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.status_to == DossierStatus.RECEIVED
    assert event.step_due_at == dossier.due_at


def test_after_hours_online_submission_counts_from_the_next_morning():
    version, office = make_version(days=1), make_office()
    dossier = submit(version, office, channel=2, when=at("2026-03-13 18:30"))  # Friday evening
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.national_status == 1
    assert dossier.received_at is None
    assert dossier.due_at == at("2026-03-16 17:00")  # from Monday 07:00, 8 working hours: Monday 17:00


def test_no_unit_no_invented_deadline():
    version = make_version(unit="")
    dossier = submit(version, make_office(), when=at("2026-03-10 09:00"))
    assert dossier.due_at is None


def test_retry_with_the_same_idempotency_key_creates_one_dossier(citizen):
    version, office = make_version(), make_office()
    first = submit(version, office, submitted_by=citizen, idempotency_key="abc")
    again = submit(version, office, submitted_by=citizen, idempotency_key="abc")
    assert first.pk == again.pk
    assert Dossier.objects.count() == 1


def test_retired_procedure_refuses_with_a_vietnamese_message():
    from congso.core.exceptions import ApplicationError

    version = make_version()
    version.procedure.is_active = False
    version.procedure.save()
    with pytest.raises(ApplicationError) as excinfo:
        submit(version, make_office())
    assert "không còn" in excinfo.value.message
    assert not Dossier.objects.exists()


def test_applicant_is_notified_once_per_channel_after_commit(django_capture_on_commit_callbacks):
    from congso.dossiers.services import notify_applicant
    from congso.notifications.models import Message

    version, office = make_version(), make_office()
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = submit(version, office, channel=1)
    (sms,) = Message.objects.filter(subject_type="dossier", subject_id=dossier.pk)
    assert sms.channel == "sms"
    assert sms.recipient == "0912345678"
    assert dossier.code in sms.body
    assert sms.body.isascii()  # SMS without diacritics
    assert len(callbacks) == 1  # the send task is queued only once the dossier is committed
    notify_applicant(dossier=dossier, template="dossier_received")  # a retry of the same event
    assert Message.objects.filter(subject_id=dossier.pk).count() == 1

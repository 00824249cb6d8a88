import pytest
from django.core.management import call_command

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.audit.selectors import leader_digest_figures
from congso.audit.services import leader_digest_send
from congso.conftest import make_user, unit
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import at, make_office, make_version, submit
from congso.notifications.models import Message

pytestmark = pytest.mark.django_db
NOW = at("2026-03-11 09:00")  # a Wednesday


def digests(user=None):
    messages = Message.objects.filter(template="leader_digest")
    return messages.filter(recipient=user.email) if user else messages


@pytest.fixture
def dossiers(official):
    """A hand-built set: two offices of the province of Cà Mau (96)."""
    version = make_version()
    an_xuyen, dat_mui = make_office("32002", "000.00.26.H12"), make_office("32248", "000.00.64.H12")
    other = make_user("officer.two@example.vn", full_name="Đỗ Văn F")

    def dossier(office, **fields):
        created = submit(version, office, when=at("2026-02-02 08:00"))
        Dossier.objects.filter(pk=created.pk).update(**fields)
        return created

    received, processing = DossierStatus.RECEIVED, DossierStatus.PROCESSING
    ready, returned = DossierStatus.RESULT_READY, DossierStatus.RETURNED
    return {
        "received_today": dossier(
            an_xuyen, status=received, received_at=at("2026-03-11 08:00"), due_at=at("2026-03-16 17:00")
        ),
        "received_today_dat_mui": dossier(
            dat_mui, status=received, received_at=at("2026-03-11 08:30"), due_at=at("2026-03-16 17:00")
        ),
        "received_yesterday": dossier(
            an_xuyen, status=received, received_at=at("2026-03-10 16:00"), due_at=at("2026-03-16 17:00")
        ),
        "overdue": dossier(
            an_xuyen, status=processing, received_at=at("2026-03-02 08:00"), due_at=at("2026-03-10 17:00")
        ),
        "due_soon": dossier(
            an_xuyen, status=processing, received_at=at("2026-03-05 08:00"), due_at=at("2026-03-11 16:00")
        ),
        # Finished: never overdue, whatever the deadline.
        "on_time": dossier(
            an_xuyen,
            status=ready,
            received_at=at("2026-03-02 08:00"),
            due_at=at("2026-03-06 17:00"),
            processing_ended_at=at("2026-03-05 10:00"),
            assigned_to=official,
        ),
        "late": dossier(
            an_xuyen,
            status=returned,
            received_at=at("2026-03-02 08:00"),
            due_at=at("2026-03-06 17:00"),
            processing_ended_at=at("2026-03-09 10:00"),
            assigned_to=official,
        ),
        "on_time_dat_mui": dossier(
            dat_mui,
            status=returned,
            received_at=at("2026-03-02 08:00"),
            due_at=at("2026-03-06 17:00"),
            processing_ended_at=at("2026-03-06 17:00"),  # at the deadline exactly: on time
            assigned_to=other,
        ),
        "last_month": dossier(
            an_xuyen,
            status=returned,
            received_at=at("2026-02-02 08:00"),
            due_at=at("2026-02-06 17:00"),
            processing_ended_at=at("2026-02-27 10:00"),
            assigned_to=official,
        ),
    }


def test_figures_for_the_province_leader(leader, dossiers, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        figures = leader_digest_figures(user=leader, now=NOW)

    assert (figures.received_today, figures.overdue, figures.due_soon) == (2, 1, 1)
    assert (figures.on_time_this_month, figures.finished_this_month, figures.on_time_rate) == (2, 3, 66)
    assert {(o.name, o.on_time, o.finished, o.rate) for o in figures.officers} == {
        ("Trần Thị B", 1, 2, 50),
        ("Đỗ Văn F", 1, 1, 100),
    }
    assert {(u.name, u.on_time, u.finished) for u in figures.units} == {
        (unit("32002").full_name, 1, 2),
        (unit("32248").full_name, 1, 1),
    }


def test_figures_only_count_the_leaders_units(dossiers):
    commune_leader = make_user("leader.datmui@example.vn")
    role_grant(user=commune_leader, role=StaffRole.UNIT_LEADER, unit=unit("32248"))
    figures = leader_digest_figures(user=commune_leader, now=NOW)
    assert (figures.received_today, figures.overdue, figures.due_soon) == (1, 0, 0)
    assert [(o.name, o.on_time, o.finished) for o in figures.officers] == [("Đỗ Văn F", 1, 1)]


def test_the_digest_text(leader, dossiers):
    message = leader_digest_send(leader=leader, now=NOW)
    assert message.subject == "Báo cáo hồ sơ ngày 11/03/2026"
    assert "Hồ sơ tiếp nhận trong ngày: 2" in message.body
    assert "Hồ sơ đang giải quyết đã quá hạn: 1" in message.body
    assert "Hồ sơ đến hạn trong một ngày làm việc: 1" in message.body
    assert "Tỷ lệ giải quyết đúng hạn trong tháng: 2/3 (66%)" in message.body
    assert "- Trần Thị B: 1/2 đúng hạn (50%)" in message.body


def test_one_email_per_leader_per_day(leader, official, dossiers):
    second_leader = make_user("leader.anxuyen@example.vn")
    role_grant(user=second_leader, role=StaffRole.UNIT_LEADER, unit=unit("32002"))

    call_command("leader_digest", verbosity=0)
    call_command("leader_digest", verbosity=0)

    assert digests(leader).count() == 1
    assert digests(second_leader).count() == 1
    assert not digests(official).exists()
    assert digests().count() == 2


def test_a_new_day_brings_a_new_email(leader):
    leader_digest_send(leader=leader, now=NOW)
    leader_digest_send(leader=leader, now=at("2026-03-11 23:59"))
    leader_digest_send(leader=leader, now=at("2026-03-12 07:30"))
    assert digests(leader).count() == 2

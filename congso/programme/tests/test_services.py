import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.conftest import make_user, unit
from congso.core.exceptions import ApplicationError
from congso.programme import services
from congso.programme.constants import TaskStatus
from congso.programme.models import ProjectYear, TaskUpdate
from congso.programme.tests.conftest import make_task


def test_task_takes_the_values_of_its_latest_update(leader, plan):
    task = make_task(plan, "01")
    services.task_update_add(task=task, actor=leader, date=datetime.date(2026, 3, 1), percent=40,
                             status=TaskStatus.IN_PROGRESS, note="Đã khảo sát")  # fmt: skip
    task.refresh_from_db()
    assert (task.percent_done, task.status) == (40, TaskStatus.IN_PROGRESS)
    # A report dated earlier, recorded later, does not become the current state.
    services.task_update_add(task=task, actor=leader, date=datetime.date(2026, 2, 1), percent=10,
                             status=TaskStatus.IN_PROGRESS)  # fmt: skip
    task.refresh_from_db()
    assert task.percent_done == 40 and task.last_update_on == datetime.date(2026, 3, 1)
    services.task_update_add(task=task, actor=leader, date=datetime.date(2026, 3, 1), percent=100,
                             status=TaskStatus.DONE, evidence_url="https://example.vn/bc.pdf")  # fmt: skip
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.evidence_url == "https://example.vn/bc.pdf"


@pytest.mark.parametrize(
    "percent, status, message",
    [
        (101, TaskStatus.IN_PROGRESS, "từ 0 đến 100"),
        (90, TaskStatus.DONE, "phải đạt 100%"),
        (100, TaskStatus.IN_PROGRESS, "chuyển trạng thái"),
        (10, "bogus", "Vui lòng chọn trạng thái"),
    ],
)
def test_bad_updates_change_nothing(leader, plan, percent, status, message):
    task = make_task(plan, "01")
    with pytest.raises(ApplicationError, match=message):
        services.task_update_add(task=task, actor=leader, date=datetime.date(2026, 3, 1), percent=percent,
                                 status=status)  # fmt: skip
    assert not TaskUpdate.objects.exists()


def test_no_update_in_the_future(leader, plan):
    task = make_task(plan, "01")
    with pytest.raises(ApplicationError, match="tương lai"):
        later = datetime.date.today() + datetime.timedelta(days=2)
        services.task_update_add(
            task=task, actor=leader, date=later, percent=10, status=TaskStatus.IN_PROGRESS
        )


def test_evidence_file_is_checked(leader, plan):
    task = make_task(plan, "01")
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        services.task_update_add(task=task, actor=leader, date=datetime.date(2026, 3, 1), percent=10,
                                 status=TaskStatus.IN_PROGRESS, evidence_file=fake)  # fmt: skip
    assert not TaskUpdate.objects.exists()


def test_commune_official_updates_only_tasks_of_their_commune(plan):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant

    commune_leader = make_user("lanhdao.xa@example.vn")
    role_grant(user=commune_leader, role=StaffRole.UNIT_LEADER, unit=unit("32002"))
    theirs = make_task(plan, "01", lead_unit=unit("32002"))
    province_only = make_task(plan, "02")
    services.task_update_add(task=theirs, actor=commune_leader, date=datetime.date(2026, 3, 1), percent=5,
                             status=TaskStatus.IN_PROGRESS)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.task_update_add(task=province_only, actor=commune_leader, date=datetime.date(2026, 3, 1),
                                 percent=5, status=TaskStatus.IN_PROGRESS)  # fmt: skip


def test_one_stop_officer_cannot_report_progress(official, plan):
    task = make_task(plan, "01", lead_unit=unit("32002"))
    with pytest.raises(PermissionDenied):
        services.task_update_add(task=task, actor=official, date=datetime.date(2026, 3, 1), percent=5,
                                 status=TaskStatus.IN_PROGRESS)  # fmt: skip


def test_project_year_rules(leader, project):
    row = services.project_year_set(
        project=project, actor=leader, year=2026, allocated=40_000, committed=25_000, disbursed=20_000
    )
    assert row.disbursed == 20_000 and ProjectYear.objects.filter(project=project).count() == 2
    with pytest.raises(ApplicationError, match="vượt kế hoạch vốn"):
        services.project_year_set(project=project, actor=leader, year=2026, allocated=10, committed=0,
                                  disbursed=20)  # fmt: skip
    with pytest.raises(ApplicationError, match="tổng mức đầu tư"):
        services.project_year_set(project=project, actor=leader, year=2027, allocated=50_000, committed=0,
                                  disbursed=0)  # fmt: skip
    with pytest.raises(ApplicationError, match="2025 đến 2027"):
        services.project_year_set(project=project, actor=leader, year=2030, allocated=1, committed=0,
                                  disbursed=0)  # fmt: skip

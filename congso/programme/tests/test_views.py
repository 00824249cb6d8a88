import pytest
from django.urls import reverse

from congso.conftest import PASSWORD, make_user, unit
from congso.programme.constants import TaskStatus
from congso.programme.models import TaskUpdate
from congso.programme.tests.conftest import make_task


def login(client, user):
    client.login(email=user.email, password=PASSWORD)


def test_summary_page_and_exports(client, leader, plan, project):
    make_task(plan, "01", status=TaskStatus.DONE, percent_done=100)
    login(client, leader)
    response = client.get(reverse("programme:summary"), {"nam": 2026})
    assert response.status_code == 200
    assert "40.000" in response.text and 'id="programme-tasks"' in response.text
    csv = client.get(reverse("programme:summary"), {"nam": 2026, "dinh-dang": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "40000" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("programme:summary"), {"nam": 2026, "dinh-dang": "xlsx"})
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("count", [3, 40])
def test_task_list_constant_queries(client, leader, plan, count, django_assert_max_num_queries):
    for n in range(count):
        make_task(plan, f"{n:03d}", lead_unit=unit("32002") if n % 2 else None)
    login(client, leader)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("programme:task_list"))
    assert response.status_code == 200


def test_task_page_adds_an_update(client, leader, plan):
    task = make_task(plan, "01")
    login(client, leader)
    url = reverse("programme:task_detail", args=[task.pk])
    response = client.post(
        url, {"date": "2026-03-01", "percent": 60, "status": "in_progress", "note": "Đang làm"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.percent_done == 60
    response = client.post(url, {"date": "2026-03-02", "percent": 90, "status": "done"})
    assert response.status_code == 200 and "phải đạt 100%" in response.text
    assert TaskUpdate.objects.count() == 1


def test_scoping_other_commune_gets_404(client, plan, project):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant

    commune_leader = make_user("lanhdao.datmui@example.vn")
    role_grant(user=commune_leader, role=StaffRole.UNIT_LEADER, unit=unit("32248"))
    task = make_task(plan, "01", lead_unit=unit("32002"))
    login(client, commune_leader)
    assert client.get(reverse("programme:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("programme:project_detail", args=[project.pk])).status_code == 404
    assert "Nhiệm vụ 01" not in client.get(reverse("programme:task_list")).text


def test_citizen_and_one_stop_officer_are_refused(client, citizen, official):
    login(client, citizen)
    assert client.get(reverse("programme:summary")).status_code == 403
    login(client, official)
    assert client.get(reverse("programme:summary")).status_code == 403


def test_project_pages(client, leader, project):
    login(client, leader)
    assert "Trung tâm dữ liệu" in client.get(reverse("programme:project_list"), {"nam": 2026}).text
    url = reverse("programme:project_detail", args=[project.pk])
    response = client.post(url, {"year": 2026, "allocated": 40000, "committed": 30000, "disbursed": 35000})
    assert response.status_code == 302


def test_demo_loads_once(db):
    from congso.programme.demo import load_demo

    first = load_demo()
    assert "8 tasks" in first
    assert load_demo() == "demo plan already there"


def test_bad_query_values_are_not_errors(client, leader, plan, project):
    login(client, leader)
    for params in ({"nam": "99999999999999999999"}, {"nam": "abc"}, {"trang": "x"}, {"trang-thai": "bogus"}):
        assert client.get(reverse("programme:task_list"), params).status_code == 200
        assert client.get(reverse("programme:summary"), params).status_code == 200
        assert client.get(reverse("programme:project_list"), params).status_code == 200
    url = reverse("programme:project_detail", args=[project.pk])
    response = client.post(url, {"year": 2026, "allocated": 10**30, "committed": 0, "disbursed": 0})
    assert response.status_code == 200

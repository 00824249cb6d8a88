import io
import uuid

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from congso.outreach.constants import ConflictStatus
from congso.outreach.models import Household, HouseholdConflict, Visit
from congso.outreach.services import hamlet_official_set, sync_batch
from congso.outreach.tests.factories import event_item, hamlet, make_household, visit_item

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_app_shell_is_for_team_members(team_member, citizen, leader):
    response = logged_in(team_member).get("/to-cong-nghe/")
    assert response.status_code == 200
    assert b"outreach/app.js" in response.content
    assert b'rel="manifest"' in response.content
    assert logged_in(citizen).get("/to-cong-nghe/").status_code == 403
    assert logged_in(leader).get("/to-cong-nghe/").status_code == 302  # to the supervisor's pages
    assert Client().get("/to-cong-nghe/").status_code == 302  # to sign in


def test_service_worker_and_manifest_are_served_in_scope(client):
    worker = client.get("/to-cong-nghe/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/to-cong-nghe/"
    assert b"caches.open" in worker.content
    manifest = client.get("/to-cong-nghe/manifest.webmanifest")
    assert manifest.json()["scope"] == "/to-cong-nghe/"
    assert manifest.json()["start_url"] == "/to-cong-nghe/"


def test_the_household_list_searches_without_accents_and_masks_phones(team_member):
    make_household(head_name="Nguyễn Văn Tám", house_number="12", phone="0912345678")
    make_household(head_name="Lê Thị Hoa", house_number="30")
    client = logged_in(team_member)
    page = client.get("/to-cong-nghe/ap/32248-01/", {"q": "nguyen van"}).content.decode()
    assert "Nguyễn Văn Tám" in page and "Lê Thị Hoa" not in page
    assert "0912345678" not in page and "09******78" in page
    assert "Chưa thăm" in page
    assert "Lê Thị Hoa" in client.get("/to-cong-nghe/ap/32248-01/", {"q": "30"}).content.decode()
    assert client.get("/to-cong-nghe/ap/32248-02/").status_code == 404


def test_the_household_list_runs_a_constant_number_of_queries(team_member, django_assert_max_num_queries):
    client = logged_in(team_member)
    for size in (3, 30):
        Household.objects.all().delete()
        for n in range(size):
            household = make_household(house_number=str(n), head_name=f"Hộ {n}")
            if n % 2:
                sync_batch(user=team_member, visits=[visit_item(household)])
        with django_assert_max_num_queries(12):
            assert client.get("/to-cong-nghe/ap/32248-01/").status_code == 200


def test_the_no_js_visit_form_records_a_visit_and_platforms(team_member):
    household = make_household()
    client = logged_in(team_member)
    url = f"/to-cong-nghe/ho/{household.pk}/tham/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"outcome": "met", "platforms": ["VNEID", "CASHLESS"], "follow_up": ["EHEALTH"], "persons": 2,
         "members_present": 3, "note": "Đã cài VNeID"},
    )  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.members_present == 3 and visit.visited_by == team_member
    assert sorted(visit.events.values_list("platform__code", "status")) == [
        ("CASHLESS", "adopted"), ("EHEALTH", "follow_up"), ("VNEID", "adopted")
    ]  # fmt: skip
    bad = client.post(url, {"outcome": "party", "persons": 1, "members_present": 1})
    assert bad.status_code == 200
    assert Visit.objects.count() == 1


def test_a_member_cannot_visit_a_household_of_another_hamlet(team_member):
    elsewhere = make_household("32248-02")
    assert logged_in(team_member).get(f"/to-cong-nghe/ho/{elsewhere.pk}/tham/").status_code == 404


def coverage_fixture(team_member):
    """Hamlet 32248-01: 10 official households, 4 registered; 2 with a platform (one of them also has one
    declined); hamlet 32248-02: 5 official, 1 registered with a platform."""
    hamlet_official_set(hamlet=hamlet("32248-01"), households=10)
    hamlet_official_set(hamlet=hamlet("32248-02"), households=5)
    a, b, c, _d = (make_household(house_number=str(n)) for n in range(4))
    sync_batch(
        user=team_member,
        visits=[visit_item(a), visit_item(b), visit_item(c)],
        events=[event_item(a, "VNEID"), event_item(a, "INTERNET", "already"), event_item(b, "CASHLESS"),
                event_item(c, "DVC", "declined")],
    )  # fmt: skip
    other = make_household("32248-02")
    from congso.outreach.models import AdoptionEvent, Platform
    from congso.outreach.rollup import rollup_refresh
    from congso.outreach.services import events_mark_current

    AdoptionEvent.objects.create(
        household=other,
        platform=Platform.objects.get(code="VNEID"),
        status="adopted",
        recorded_at=a.created_at,
    )
    events_mark_current(household_ids=[other.pk])
    rollup_refresh(
        hamlet_ids=[other.hamlet_id]
    )  # written around the services: the figures are refreshed here
    return a


def test_coverage_numbers_for_the_commune(team_member, leader):
    coverage_fixture(team_member)
    data = logged_in(leader).get("/api/v1/outreach/coverage", {"unit": "32248"}).json()
    rows = {row["code"]: row for row in data["children"]}
    assert rows["32248-01"]["OUTREACH_HH_DIGITAL"] == 2
    assert rows["32248-01"]["OUTREACH_HH_REGISTERED"] == 4
    assert rows["32248-01"]["OUTREACH_HH_VISITED"] == 3
    assert rows["32248-01"]["coverage"] == 20.0
    assert rows["32248-02"]["coverage"] == 20.0
    assert data["total"]["OUTREACH_HH_DIGITAL"] == 3
    assert data["total"]["OUTREACH_HH_OFFICIAL"] == 15
    assert data["total"]["coverage"] == 20.0
    assert data["total"]["OUTREACH_ADOPT_VNEID"] == 2
    assert data["total"]["OUTREACH_ADOPT_DVC"] == 0


def test_supervisor_pages_are_scoped(team_member, leader, official, citizen):
    coverage_fixture(team_member)
    page = logged_in(leader).get("/to-cong-nghe/giam-sat/don-vi/32248/")
    assert page.status_code == 200
    assert "20,0" in page.content.decode()
    assert logged_in(leader).get("/to-cong-nghe/giam-sat/").status_code == 302
    # An official of commune 32002 sees nothing of commune 32248.
    assert logged_in(official).get("/to-cong-nghe/giam-sat/don-vi/32248/").status_code == 404
    assert logged_in(official).get("/api/v1/outreach/coverage", {"unit": "32248"}).status_code == 404
    assert logged_in(official).get("/to-cong-nghe/giam-sat/don-vi/32002/").status_code == 200
    assert logged_in(citizen).get("/to-cong-nghe/giam-sat/").status_code == 403
    assert logged_in(team_member).get("/to-cong-nghe/giam-sat/don-vi/32248/").status_code == 403


def test_chart_json_and_excel_export_mask_phones(team_member, leader):
    coverage_fixture(team_member)
    make_household(house_number="77", phone="0912345678")
    from congso.outreach.models import Household as H

    follow = H.objects.get(house_number="77")
    sync_batch(user=team_member, events=[event_item(follow, "EHEALTH", "follow_up")])
    client = logged_in(leader)
    chart = client.get("/to-cong-nghe/giam-sat/don-vi/32248/bieu-do.json").json()
    assert chart["series"][-1]["coverage"] == 20.0
    response = client.get("/to-cong-nghe/giam-sat/don-vi/32248/xuat-excel/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "0912345678" not in cells
    assert "09******78" in cells


def test_conflicts_are_resolved_by_a_supervisor(team_member, leader, official):
    household = make_household()
    stale = {"id": str(household.pk), "hamlet": "32248-01", "head_name": "Nguyễn Văn Tám",
             "house_number": "12",
             "members": 6, "adults": 2, "base_version": 0}  # fmt: skip
    sync_batch(user=team_member, households=[stale])
    conflict = HouseholdConflict.objects.get()
    assert (
        logged_in(official)
        .post(f"/to-cong-nghe/giam-sat/xung-dot/{conflict.pk}/", {"decision": "apply"})
        .status_code
        == 404
    )
    client = logged_in(leader)
    assert "Nguyễn Văn Tám" in client.get("/to-cong-nghe/giam-sat/xung-dot/").content.decode()
    client.post(f"/to-cong-nghe/giam-sat/xung-dot/{conflict.pk}/", {"decision": "apply"})
    household.refresh_from_db()
    conflict.refresh_from_db()
    assert (household.members, household.version, conflict.status) == (6, 2, ConflictStatus.APPLIED)
    again = client.post(f"/to-cong-nghe/giam-sat/xung-dot/{conflict.pk}/", {"decision": "apply"})
    assert again.status_code == 404


def test_merge_through_the_page(team_member, leader):
    first = make_household(head_name="Đặng Văn Bé", house_number="3")
    second = make_household(head_name="Dang Van Be", house_number="3")
    client = logged_in(leader)
    assert "Đặng Văn Bé" in client.get("/to-cong-nghe/giam-sat/trung-lap/").content.decode()
    assert (
        client.post("/to-cong-nghe/giam-sat/trung-lap/gop/", {"survivor": "x", "duplicate": "y"}).status_code
        == 404
    )
    client.post("/to-cong-nghe/giam-sat/trung-lap/gop/", {"survivor": first.pk, "duplicate": second.pk})
    second.refresh_from_db()
    assert second.merged_into == first


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "ho-gia-dinh.xlsx"
    return buffer


def test_import_preview_errors_duplicates_and_confirm(leader):
    make_household(head_name="Nguyễn Văn Tám", house_number="12")
    client = logged_in(leader)
    upload = xlsx([
        ["Số nhà", "Họ tên chủ hộ", "Số điện thoại", "Số nhân khẩu", "Số người trưởng thành"],
        ["1", "Trần Văn Một", "0911111111", 4, 2],
        ["2", "", "", 3, 1],
        ["12", "nguyen van tam", "", 2, 2],
        ["5", "Lê Thị Năm", "0911111111", 2, 5],
        ["6", "Võ Văn Sáu", "0911111111", 2, 1],
    ])  # fmt: skip
    page = client.post(
        "/to-cong-nghe/giam-sat/nhap-ho/", {"hamlet": "32248-01", "file": upload}
    ).content.decode()
    assert "1 dòng hợp lệ" in page or "1 dòng" in page
    assert "bắt buộc" in page  # row 2: no name
    assert "Nguyễn Văn Tám" in page  # row 4 warns of the household already registered
    assert "dòng 2" in page  # row 6: same phone as row 2 of the file
    assert Household.objects.count() == 1  # nothing stored before confirming
    client.post("/to-cong-nghe/giam-sat/nhap-ho/", {"step": "confirm"})
    assert sorted(Household.objects.values_list("head_name", flat=True)) == ["Nguyễn Văn Tám", "Trần Văn Một"]


def test_import_of_a_csv_and_bad_files(leader):
    client = logged_in(leader)
    csv_file = io.BytesIO("Số nhà;Họ tên chủ hộ;Số nhân khẩu\n7;Huỳnh Văn Bảy;3\n".encode())
    csv_file.name = "ap1.csv"
    client.post("/to-cong-nghe/giam-sat/nhap-ho/", {"hamlet": "32248-01", "file": csv_file})
    client.post("/to-cong-nghe/giam-sat/nhap-ho/", {"step": "confirm"})
    assert Household.objects.get().members == 3
    junk = io.BytesIO(b"\x00\x01binary")
    junk.name = "x.pdf"
    page = client.post(
        "/to-cong-nghe/giam-sat/nhap-ho/", {"hamlet": "32248-01", "file": junk}
    ).content.decode()
    assert "CSV" in page
    no_header = io.BytesIO(b"a,b\n1,2\n")
    no_header.name = "x.csv"
    page = client.post(
        "/to-cong-nghe/giam-sat/nhap-ho/", {"hamlet": "32248-01", "file": no_header}
    ).content.decode()
    assert "Họ tên chủ hộ" in page
    assert Household.objects.count() == 1


def test_an_official_cannot_import_into_another_commune(official):
    upload = xlsx([["Họ tên chủ hộ"], ["Trần Văn Một"]])
    response = logged_in(official).post(
        "/to-cong-nghe/giam-sat/nhap-ho/", {"hamlet": "32248-01", "file": upload}
    )
    assert response.status_code == 200  # the form refuses the hamlet
    assert not Household.objects.exists()


def test_unknown_household_uuid_is_404(team_member):
    assert logged_in(team_member).get(f"/to-cong-nghe/ho/{uuid.uuid4()}/tham/").status_code == 404


def test_the_supervisor_page_runs_a_constant_number_of_queries(
    team_member, leader, django_assert_max_num_queries
):
    client = logged_in(leader)
    for size in (2, 20):
        for n in range(size):
            household = make_household(house_number=f"{size}-{n}")
            sync_batch(
                user=team_member,
                visits=[visit_item(household)],
                events=[event_item(household, "VNEID", "follow_up")],
            )
        with django_assert_max_num_queries(30):
            assert client.get("/to-cong-nghe/giam-sat/don-vi/32248/").status_code == 200


def test_merges_are_audited(leader):
    from congso.audit.models import AuditEvent

    first = make_household(head_name="Hồ Văn Ba", house_number="9")
    second = make_household(head_name="Ho Van Ba", house_number="9")
    logged_in(leader).post(
        "/to-cong-nghe/giam-sat/trung-lap/gop/", {"survivor": first.pk, "duplicate": second.pk}
    )
    assert AuditEvent.objects.filter(action="outreach.household_merged", actor=leader).exists()


def test_the_api_lists_duplicate_candidates_before_registering(team_member):
    import json

    make_household(head_name="Lê Văn Út", house_number="7", phone="0987654321")
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    token = client.get("/api/v1/outreach/me").json()["csrf_token"]
    response = client.post(
        "/api/v1/outreach/households/candidates",
        json.dumps({"hamlet": "32248-01", "head_name": "le van ut", "house_number": "7"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert [c["head_name"] for c in response.json()] == ["Lê Văn Út"]
    assert response.json()[0]["phone"] == "09******21"
    other = client.post(
        "/api/v1/outreach/households/candidates",
        json.dumps({"hamlet": "32248-02", "head_name": "x"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert other.status_code == 404


def test_the_commune_page_shows_only_its_own_teams(team_member, leader):
    from congso.outreach import selectors
    from congso.outreach.tests.factories import hamlet as unit

    sync_batch(user=team_member, visits=[visit_item(make_household())])
    elsewhere = make_household("32002-01")
    from congso.outreach.models import Visit as V

    V.objects.create(household=elsewhere, visited_at=elsewhere.created_at, outcome="met")
    today = elsewhere.created_at.date()
    weeks = selectors.visits_per_week(user=leader, within=unit("32248"), today=today)
    assert {row["household__hamlet__code"] for row in weeks} == {"32248-01"}
    follow = selectors.follow_ups_due(user=leader, within=unit("32002"))
    assert list(follow) == []

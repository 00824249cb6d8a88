import json
import uuid

import pytest
from django.test import Client

from congso.outreach import selectors
from congso.outreach.constants import ConflictStatus
from congso.outreach.models import AdoptionEvent, Household, HouseholdConflict, Visit
from congso.outreach.services import households_merge, sync_batch
from congso.outreach.tests.factories import event_item, make_household, visit_item

pytestmark = pytest.mark.django_db


def new_household(**fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "hamlet": "32248-01",
        "house_number": "5A",
        "head_name": "Trần Thị Lệ",
        "phone": "0912 345 678",
        "members": 4,
        "adults": 2,
        **fields,
    }


def test_replaying_a_batch_three_times_keeps_one_copy(team_member):
    household = new_household()
    visit = visit_item(type("H", (), {"pk": household["id"]}))
    events = [
        event_item(type("H", (), {"pk": household["id"]}), "VNEID", visit=visit["id"]),
        event_item(type("H", (), {"pk": household["id"]}), "CASHLESS", "follow_up", visit=visit["id"]),
    ]
    first = sync_batch(user=team_member, households=[household], visits=[visit], events=events)
    assert [r["status"] for r in first["households"]] == ["created"]
    assert [r["status"] for r in first["visits"]] == ["created"]
    assert [r["status"] for r in first["events"]] == ["created", "created"]
    for _replay in range(2):
        again = sync_batch(user=team_member, households=[household], visits=[visit], events=events)
        assert again["households"][0]["status"] == "unchanged"
        assert again["visits"][0]["status"] == "exists"
        assert {r["status"] for r in again["events"]} == {"exists"}
    assert Household.objects.count() == 1
    assert Visit.objects.count() == 1
    assert AdoptionEvent.objects.count() == 2
    stored = Household.objects.get()
    assert stored.phone == "0912345678"
    assert stored.version == 1
    assert selectors.current_platforms(household_ids=[stored.pk]) == {stored.pk: ["VNEID"]}


def test_an_update_from_an_old_version_becomes_a_conflict(team_member):
    household = make_household(phone="0912345678")
    update = {
        "id": str(household.pk),
        "hamlet": "32248-01",
        "house_number": "12",
        "head_name": "Nguyễn Văn Tám",
        "members": 5,
        "adults": 3,
        "base_version": 1,
    }
    assert sync_batch(user=team_member, households=[update])["households"][0]["status"] == "updated"
    household.refresh_from_db()
    assert (household.version, household.members) == (2, 5)

    stale = {**update, "members": 7, "base_version": 1}  # another phone, edited from version 1
    for _replay in range(2):
        result = sync_batch(user=team_member, households=[stale])["households"][0]
        assert result["status"] == "conflict"
        assert "tổ trưởng" not in result["message"]  # a real message, not a code
    household.refresh_from_db()
    assert household.members == 5  # not applied
    conflict = HouseholdConflict.objects.get()
    assert conflict.status == ConflictStatus.OPEN
    assert conflict.data["members"] == 7
    assert conflict.server_version == 2


def test_an_update_keeps_the_fields_it_does_not_send(team_member):
    household = make_household(phone="0912345678", members=3, adults=2)
    update = {"id": str(household.pk), "members": 4, "base_version": 1}
    assert sync_batch(user=team_member, households=[update])["households"][0]["status"] == "updated"
    household.refresh_from_db()
    assert (household.phone, household.members, household.adults, household.hamlet.code) == (
        "0912345678", 4, 2, "32248-01"
    )  # fmt: skip


def test_items_of_another_hamlet_are_refused_and_nothing_is_stored(team_member):
    elsewhere = make_household("32248-02")
    results = sync_batch(
        user=team_member,
        households=[new_household(hamlet="32248-02")],
        visits=[visit_item(elsewhere)],
        events=[event_item(elsewhere)],
    )
    assert results["households"][0]["status"] == "error"
    assert results["visits"][0]["status"] == "error"
    assert results["events"][0]["status"] == "error"
    assert "không thuộc" in results["visits"][0]["message"]
    assert Household.objects.count() == 1
    assert not Visit.objects.exists() and not AdoptionEvent.objects.exists()


def test_bad_items_get_vietnamese_errors_and_the_good_ones_go_through(team_member):
    household = make_household()
    good = visit_item(household)
    results = sync_batch(
        user=team_member,
        households=[
            new_household(head_name=""),
            new_household(phone="12"),
            new_household(adults=9, members=2),
        ],
        visits=[
            good,
            visit_item(household, outcome="party"),
            {"id": "x"},
            visit_item(household, visited_at="hôm qua"),
        ],
    )
    messages = [r["message"] for r in results["households"]]
    assert "bắt buộc" in messages[0]
    assert "số điện thoại" in messages[1].lower()
    assert [r["status"] for r in results["visits"]] == ["created", "error", "error", "error"]
    assert results["visits"][1]["message"] == "Kết quả có giá trị không hợp lệ."
    assert results["visits"][3]["message"] == "Thời điểm thăm: ngày giờ không hợp lệ."
    assert Visit.objects.get().pk == uuid.UUID(good["id"])
    assert Household.objects.count() == 1


def test_a_likely_duplicate_comes_back_with_candidates_unless_confirmed(team_member):
    make_household(head_name="Lê Văn Út", house_number="7", phone="0987654321")
    twin = new_household(head_name="le van ut", house_number="7", phone="")
    result = sync_batch(user=team_member, households=[twin])["households"][0]
    assert result["status"] == "duplicate"
    assert result["candidates"][0]["phone"] == "09******21"
    assert Household.objects.count() == 1
    by_phone = new_household(head_name="Khác", house_number="99", phone="0987654321")
    assert sync_batch(user=team_member, households=[by_phone])["households"][0]["status"] == "duplicate"
    confirmed = {**twin, "confirm_new": True}
    assert sync_batch(user=team_member, households=[confirmed])["households"][0]["status"] == "created"


def test_merge_moves_visits_and_events_to_the_survivor(team_member, leader):
    survivor = make_household(head_name="Phạm Văn Hai")
    duplicate = make_household(head_name="Pham Van Hai")
    sync_batch(user=team_member, visits=[visit_item(duplicate)], events=[event_item(duplicate, "INTERNET")])
    assert len(selectors.duplicate_groups(user=leader)) == 1
    households_merge(actor=leader, survivor=survivor, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert survivor.visits.count() == 1
    assert selectors.current_platforms(household_ids=[survivor.pk])[survivor.pk] == ["INTERNET"]
    survivor.refresh_from_db()
    assert (survivor.platforms_in_use, duplicate.platforms_in_use) == (1, 0)
    assert selectors.duplicate_groups(user=leader) == []
    # A phone still holding the merged household: its next visit lands on the survivor.
    sync_batch(user=team_member, visits=[visit_item(duplicate)])
    assert survivor.visits.count() == 2


def test_download_is_scoped_paginated_and_incremental(team_member):
    mine = [make_household(house_number=str(n)) for n in range(5)]
    make_household("32248-02")
    sync_batch(user=team_member, visits=[visit_item(mine[0])])  # bumps only mine[0]
    seen, cursor = [], ""
    while True:
        page = selectors.households_changed_since(user=team_member, cursor=cursor, limit=2)
        seen += [h.pk for h in page.households]
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert sorted(seen) == sorted(h.pk for h in mine)
    assert selectors.households_changed_since(user=team_member, cursor=cursor).households == []
    sync_batch(user=team_member, events=[event_item(mine[3])])
    changed = selectors.households_changed_since(user=team_member, cursor=cursor)
    assert [h.pk for h in changed.households] == [mine[3].pk]
    assert changed.platforms[mine[3].pk] == ["VNEID"]


def api(client: Client, method: str, path: str, data=None):
    url = "/api/v1/outreach" + path
    if method == "get":
        return client.get(url, data or {})
    token = client.get("/api/v1/outreach/me").json()["csrf_token"]
    return client.post(url, json.dumps(data), content_type="application/json", headers={"X-CSRFToken": token})


def test_api_sync_roundtrip_with_session_and_csrf(team_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    household = make_household()
    me = client.get("/api/v1/outreach/me").json()
    assert [h["code"] for h in me["hamlets"]] == ["32248-01"]
    assert len(me["platforms"]) == 8
    batch = {"visits": [visit_item(household)], "events": [event_item(household)]}
    no_token = client.post("/api/v1/outreach/sync", json.dumps(batch), content_type="application/json")
    assert no_token.status_code == 403
    assert not Visit.objects.exists()
    for expected in ("created", "exists", "exists"):
        response = api(client, "post", "/sync", batch)
        assert response.status_code == 200
        assert response.json()["visits"][0]["status"] == expected
    listed = api(client, "get", "/households").json()
    assert listed["items"][0]["platforms"] == ["VNEID"]
    assert listed["items"][0]["last_outcome"] == "met"
    assert api(client, "get", "/households", {"cursor": "%%%"}).status_code == 400


def test_api_refuses_citizens_and_strangers(citizen, official):
    anonymous = Client()
    assert anonymous.get("/api/v1/outreach/households").status_code == 401
    for user in (citizen, official):
        client = Client()
        client.force_login(user)
        assert client.get("/api/v1/outreach/households").status_code == 403
        assert client.get("/api/v1/outreach/me").status_code == 403
    client = Client()
    client.force_login(citizen)
    assert client.get("/api/v1/outreach/coverage", {"unit": "96"}).status_code == 404


def test_a_member_of_another_hamlet_downloads_nothing_of_ours(team_member, django_user_model):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.outreach.tests.factories import hamlet

    make_household()
    other = django_user_model.objects.create_user("other.team@example.vn", "x-password-2026")
    role_grant(user=other, role=StaffRole.TEAM_MEMBER, unit=hamlet("32248-02"))
    assert selectors.households_changed_since(user=other).households == []

"""The main menu opens the parts of congso each person's roles give them, and nothing else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu(client, user=None) -> str:
    if user is not None:
        client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    return body.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_anonymous_and_citizen_menus(client, citizen):
    anonymous = menu(client)
    assert "Đặt lịch hẹn" in anonymous and "Hồ sơ cần xử lý" not in anonymous
    mine = menu(client, citizen)
    assert "Lịch hẹn của tôi" in mine and "Hồ sơ của tôi" in mine
    for staff_only in ("Hồ sơ cần xử lý", "Phí, lệ phí", "Tổ công nghệ số", "Trung tâm điều hành"):
        assert staff_only not in mine


def test_official_menu(client, official):
    body = menu(client, official)
    assert "Hồ sơ cần xử lý" in body and reverse("dossiers:counter_start") in body
    assert reverse("appointments:office_list") in body and reverse("payments:office_list") in body
    assert "Tổ công nghệ số" not in body and "Trung tâm điều hành" not in body


def test_team_member_menu(client, team_member):
    body = menu(client, team_member)
    assert reverse("outreach:app") in body
    assert "Hồ sơ cần xử lý" not in body and "Trung tâm điều hành" not in body


def test_leader_menu(client, leader):
    body = menu(client, leader)
    for name in ("indicators:overview", "outreach:overview", "programme:summary", "dossiers:queue"):
        assert reverse(name) in body
    assert reverse("dossiers:counter_start") not in body  # the counter is the one-stop officers'

import datetime

import pytest
from django.urls import reverse

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.audit.models import PersonalDataAccess
from congso.audit.services import personal_data_viewed
from congso.conftest import make_user, unit
from congso.dossiers.tests.factories import at, make_office, make_version, submit

pytestmark = pytest.mark.django_db
URL = reverse("audit:access_log")


@pytest.fixture
def viewed(official):
    """Two views of a dossier of Phường An Xuyên (32002), in the province the ``leader`` leads."""
    dossier = submit(make_version(), make_office("32002", "000.00.26.H12"))
    first = personal_data_viewed(user=official, dossier=dossier, what="dossier_detail")
    second = personal_data_viewed(user=official, dossier=dossier, what="receipt")
    PersonalDataAccess.objects.filter(pk=first.pk).update(viewed_at=at("2026-03-02 09:00"))
    PersonalDataAccess.objects.filter(pk=second.pk).update(viewed_at=at("2026-03-05 09:00"))
    return dossier


def leader_of(code: str, email: str):
    user = make_user(email, full_name="Phạm Văn E")
    role_grant(user=user, role=StaffRole.UNIT_LEADER, unit=unit(code))
    return user


def test_the_leader_sees_the_accesses_to_dossiers_of_their_units(client, leader, official, viewed):
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.context["page"]
    assert [a.what for a in page.object_list] == ["receipt", "dossier_detail"]
    assert viewed.code in response.content.decode()
    assert "096190000123" not in response.content.decode()


def test_filters_by_official_and_date(client, leader, official, viewed):
    other = make_user("other.official@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32002"))
    personal_data_viewed(user=other, dossier=viewed, what="dossier_detail")
    client.force_login(leader)

    by_official = client.get(URL, {"can_bo": official.pk}).context["page"]
    assert {a.viewer for a in by_official.object_list} == {official}
    by_date = client.get(URL, {"tu_ngay": "2026-03-03", "den_ngay": "2026-03-05"}).context["page"]
    assert [a.what for a in by_date.object_list] == ["receipt"]
    assert by_date.object_list[0].viewed_at == at("2026-03-05 09:00")


def test_a_leader_of_another_unit_sees_nothing(client, viewed):
    client.force_login(leader_of("32248", "leader.datmui@example.vn"))  # Xã Đất Mũi, not An Xuyên
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert viewed.code not in response.content.decode()


def test_a_leader_of_the_commune_sees_it(client, viewed):
    client.force_login(leader_of("32002", "leader.anxuyen@example.vn"))
    assert len(client.get(URL).context["page"].object_list) == 2


def test_officials_who_are_not_leaders_get_403(client, official, viewed):
    client.force_login(official)
    assert client.get(URL).status_code == 403


def test_citizens_get_403_and_visitors_sign_in(client, citizen):
    assert client.get(URL).status_code == 302
    client.force_login(citizen)
    assert client.get(URL).status_code == 403


def test_the_log_is_paginated(client, leader, official, viewed):
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            viewer=official,
            dossier=viewed,
            unit=unit("32002"),
            applicant="x",
            what="dossier_detail",
            viewed_at=at("2026-03-01 08:00") - datetime.timedelta(minutes=i),
        )
        for i in range(60)
    )
    client.force_login(leader)
    first = client.get(URL).context["page"]
    assert (len(first.object_list), first.paginator.count) == (50, 62)
    assert len(client.get(URL, {"trang": 2}).context["page"].object_list) == 12

"""The officer walks a dossier from intake to the returned result on its page; the citizen sees each step."""

import pytest
from django.urls import reverse

from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import make_office, make_version, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(citizen):
    return submit(make_version(), make_office("32002", "000.00.26.H12"), channel=2, applicant_user=citizen)


def act(client, dossier, name, **data):
    return client.post(reverse("dossiers:act", args=[dossier.code, name]), data)


def test_intake_supplement_processing_approval_and_return(client, official, citizen, online):
    client.force_login(official)
    page = client.get(reverse("dossiers:office_detail", args=[online.code])).content.decode()
    assert "Tiếp nhận hồ sơ" in page
    assert act(client, online, "accept").status_code == 302
    act(client, online, "start_processing")
    act(client, online, "request_supplement", items="Bản sao CCCD\nẢnh 4x6", text="Thiếu giấy tờ")
    online.refresh_from_db()
    assert online.status == DossierStatus.SUPPLEMENT_REQUESTED
    act(client, online, "supplement_received")
    act(client, online, "approve", text="Đủ điều kiện")
    act(client, online, "return_result", method="in_person")
    online.refresh_from_db()
    assert online.status == DossierStatus.RETURNED
    assert online.returned_at is not None

    client.force_login(citizen)
    history = client.get(reverse("dossiers:detail", args=[online.code])).content.decode().lower()
    for step in ("yêu cầu bổ sung giấy tờ", "đã xử lý xong", "đã trả kết quả"):
        assert step in history, step


def test_a_forbidden_move_is_explained_and_changes_nothing(client, official, online):
    client.force_login(official)
    response = act(client, online, "approve")
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.status == DossierStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "không thể thực hiện" in page


def test_reasons_are_required_to_refuse(client, official, online):
    client.force_login(official)
    act(client, online, "refuse_at_intake", text="")
    online.refresh_from_db()
    assert online.status == DossierStatus.SUBMITTED


def test_another_commune_cannot_act(client, online):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.conftest import make_user, unit

    other = make_user("motcua.datmui@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    client.force_login(other)
    assert act(client, online, "accept").status_code == 404
    assert Dossier.objects.get(pk=online.pk).status == DossierStatus.SUBMITTED


def test_unknown_move_is_not_found(client, official, online):
    client.force_login(official)
    assert act(client, online, "withdraw").status_code == 404
    assert act(client, online, "delete_everything").status_code == 404

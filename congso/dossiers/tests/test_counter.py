"""At the counter: an officer receives a walk-in dossier for the applicant and prints the receipt."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import make_office, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(client, official):
    """The officer of Phường An Xuyên (32002) at their office, and a birth-registration procedure."""
    client.force_login(official)
    return make_version(), make_office("32002", "000.00.26.H12"), make_office("32248", "000.00.64.H12")


def scan() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("L", (60, 80), 255).save(buffer, format="JPEG")
    return SimpleUploadedFile("scan.jpg", buffer.getvalue(), content_type="image/jpeg")


def post(client, version, office, **overrides):
    data = {
        "office": office.pk,
        "channel": 1,
        "applicant_kind": "person",
        "applicant_name": "Trần Văn Bình",
        "applicant_id_number": "096080000456",
        "applicant_phone": "0987654321",
        "token": str(uuid.uuid4()),
        "applicant_id": "096080000456",
        "child_name": "Trần Thị Cúc",
        "proof": scan(),
    }
    data.update(overrides)
    return client.post(reverse("dossiers:counter_new", args=[version.procedure.code]), data)


def test_officer_receives_a_walk_in_dossier(client, counter):
    version, own, _ = counter
    response = post(client, version, own)
    dossier = Dossier.objects.get()
    assert response.url == reverse("dossiers:office_detail", args=[dossier.code])
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.received_at is not None
    assert dossier.code.startswith("000.00.26.H12-")
    assert dossier.documents.get().content_type == "image/jpeg"
    receipt = client.get(reverse("dossiers:counter_receipt", args=[dossier.code]))
    assert receipt.content.startswith(b"%PDF")


def test_the_same_form_sent_twice_makes_one_dossier(client, counter):
    version, own, _ = counter
    token = str(uuid.uuid4())
    post(client, version, own, token=token)
    post(client, version, own, token=token)
    assert Dossier.objects.count() == 1


def test_officer_cannot_receive_for_another_commune(client, counter):
    version, _, other = counter
    response = post(client, version, other)
    assert response.status_code == 200
    assert "Hãy chọn" in response.content.decode()
    assert not Dossier.objects.exists()


def test_bad_id_is_refused_and_nothing_stored(client, counter):
    version, own, _ = counter
    response = post(client, version, own, applicant_id_number="123")
    assert response.status_code == 200
    assert "12 chữ số" in response.content.decode()
    assert not Dossier.objects.exists()


def test_citizens_cannot_use_the_counter(client, citizen, counter):
    version, _, _ = counter
    client.force_login(citizen)
    assert client.get(reverse("dossiers:counter_start")).status_code == 403
    assert client.get(reverse("dossiers:counter_new", args=[version.procedure.code])).status_code == 403


def test_team_member_is_an_official_but_not_at_the_counter(client, team_member, counter):
    client.force_login(team_member)
    assert client.get(reverse("dossiers:counter_start")).status_code == 403


def test_another_office_dossier_is_invisible(client, counter, leader):
    version, own, _ = counter
    post(client, version, own)
    dossier = Dossier.objects.get()
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.conftest import make_user, unit

    other = make_user("officer.datmui@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    client.force_login(other)
    assert client.get(reverse("dossiers:office_detail", args=[dossier.code])).status_code == 404
    assert client.get(reverse("dossiers:counter_receipt", args=[dossier.code])).status_code == 404


def test_an_organisation_is_identified_by_its_tax_code(client, counter):
    version, own, _ = counter
    refused = post(client, version, own, applicant_kind="organisation", applicant_id_number="096080000456")
    assert "mã số thuế" in refused.content.decode()
    assert not Dossier.objects.exists()
    post(client, version, own, applicant_kind="organisation", applicant_name="HTX Tôm Đất Mũi",
         applicant_id_number="2000123456")  # fmt: skip
    dossier = Dossier.objects.get()
    assert (dossier.applicant_kind, dossier.applicant_id_number) == ("organisation", "2000123456")

"""The citizen's way: e-form → check your answers → submit → receipt; tracking; nobody sees another's
dossier."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from congso.conftest import make_user
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier, DossierDraft
from congso.dossiers.tests.factories import make_office, make_version

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def setup():
    return make_version(), make_office()


def answers(chosen_office, **overrides):
    data = {
        "office": chosen_office.pk,
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_id": "096190000123",
        "applicant_phone": "0912345678",
        "child_name": "Nguyễn Văn An",
        "proof": SimpleUploadedFile("giay chung sinh.png", png_bytes(), content_type="image/png"),
    }
    data.update(overrides)
    return data


def url(version):
    return reverse("catalog:procedure_submit", args=[version.procedure.code])


def test_anonymous_sees_the_form_and_is_asked_to_sign_in(client, setup):
    version, office = setup
    body = client.get(url(version)).content.decode()
    assert "Họ, chữ đệm, tên của trẻ" in body
    assert reverse("account_login") in body
    response = client.post(url(version), answers(office))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not DossierDraft.objects.exists()


def test_whole_way_to_the_receipt(client, citizen, setup, django_capture_on_commit_callbacks):
    version, office = setup
    client.force_login(citizen)
    response = client.post(url(version), answers(office))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = DossierDraft.objects.get()
    assert response.url == reverse("dossiers:check", args=[draft.token])
    check = client.get(response.url).content.decode()
    assert "Nguyễn Văn An" in check
    assert "Giấy chứng sinh" in check
    assert not Dossier.objects.exists()  # nothing is submitted before the citizen confirms

    submit_url = reverse("dossiers:submit", args=[draft.token])
    draft_file = draft.documents.get().file
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(submit_url)
    second = client.post(submit_url)  # a double click
    assert not draft.documents.exists()  # the dossier has its copy; the draft's file is gone
    assert not draft_file.storage.exists(draft_file.name)
    dossier = Dossier.objects.get()
    assert first.url == second.url == reverse("dossiers:confirmation", args=[dossier.code])
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.applicant_user == citizen
    assert dossier.form_data["child_name"] == "Nguyễn Văn An"
    (document,) = dossier.documents.all()
    assert document.content_type == "image/png"
    assert document.file.read()[:8] == b"\x89PNG\r\n\x1a\n"

    confirmation = client.get(first.url).content.decode()
    assert dossier.code in confirmation
    assert dossier.lookup_key in confirmation
    receipt = client.get(reverse("dossiers:receipt", args=[dossier.code]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert dossier.code in client.get(reverse("dossiers:mine")).content.decode()


@pytest.mark.parametrize(
    ("override", "field_message"),
    [
        ({"applicant_id": "12345"}, "12 chữ số"),
        ({"child_name": ""}, "bắt buộc"),
        ({"proof": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200)}, "không"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, citizen, setup, override, field_message):
    version, office = setup
    client.force_login(citizen)
    response = client.post(url(version), answers(office, **override))
    assert response.status_code == 200
    body = response.content.decode()
    assert field_message in body
    assert "cần bạn xem lại" in body
    assert not DossierDraft.objects.exists()
    assert not Dossier.objects.exists()


def test_office_is_required(client, citizen, setup):
    version, office = setup
    client.force_login(citizen)
    response = client.post(url(version), answers(office, office=""))
    assert response.status_code == 200
    assert not DossierDraft.objects.exists()


def test_nobody_sees_another_citizens_dossier(client, citizen, setup):
    version, office = setup
    client.force_login(citizen)
    client.post(url(version), answers(office))
    draft = DossierDraft.objects.get()
    client.post(reverse("dossiers:submit", args=[draft.token]))
    dossier = Dossier.objects.get()
    client.force_login(make_user("other@example.vn"))
    for name in ("detail", "confirmation", "receipt"):
        assert client.get(reverse(f"dossiers:{name}", args=[dossier.code])).status_code == 404
    assert client.get(reverse("dossiers:check", args=[draft.token])).status_code == 404
    assert client.post(reverse("dossiers:submit", args=[draft.token])).status_code == 404
    assert dossier.code not in client.get(reverse("dossiers:mine")).content.decode()


def test_public_lookup_needs_code_and_key(client, citizen, setup):
    version, office = setup
    from congso.dossiers.tests.factories import submit

    dossier = submit(version, office, channel=2)
    lookup = reverse("dossiers:lookup")
    found = client.get(lookup, {"ma": dossier.code, "khoa": dossier.lookup_key.lower()})
    assert found.status_code == 200
    body = found.content.decode()
    assert dossier.code in body
    assert "Nguyễn Thị Hoa" not in body  # no personal data without signing in
    wrong = client.get(lookup, {"ma": dossier.code, "khoa": "ZZZZZZ"})
    assert wrong.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong.content.decode()


def test_lookup_is_rate_limited(client, setup):
    lookup = reverse("dossiers:lookup")
    statuses = [client.get(lookup, {"ma": f"X-{i}", "khoa": "ABCDEF"}).status_code for i in range(22)]
    assert statuses[:20] == [404] * 20
    assert statuses[20:] == [429, 429]
    assert "Quá nhiều lượt tra cứu" in client.get(lookup, {"ma": "X", "khoa": "Y"}).content.decode()

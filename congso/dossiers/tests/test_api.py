"""The dossier API: submission by a token-authenticated client, its own dossiers, the public status lookup."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from congso.api.auth import api_token_issue
from congso.api.models import ApiClient
from congso.catalog.models import ProcedureVersion
from congso.conftest import make_user
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier, DossierDocument, DossierSequence
from congso.dossiers.tests.factories import make_office, make_version, submit
from congso.dossiers.views.lookup import LOOKUPS_PER_WINDOW

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers"
CITIZEN_ID_MESSAGE = "Số định danh cá nhân gồm đúng 12 chữ số."
REQUIRED_MESSAGE = "Trường này là bắt buộc."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def new_token(email: str) -> str:
    return api_token_issue(client=ApiClient.objects.create(name=email, user=make_user(email)))


@pytest.fixture
def token():
    return new_token("app@example.vn")


@pytest.fixture
def setup():
    return make_version(), make_office()


def payload(version, receiving_office, **overrides) -> dict:
    data = {
        "procedure": version.procedure.code,
        "office": receiving_office.code,
        "applicant": {
            "name": "Nguyễn Thị Hoa",
            "id_number": "096190000123",
            "phone": "0912345678",
            "email": "hoa@example.vn",
            "address": "Ấp Mũi, Xã Đất Mũi",
        },
        "answers": {
            "applicant_name": "Nguyễn Thị Hoa",
            "applicant_id": "096190000123",
            "applicant_phone": "0912345678",
            "child_name": "Nguyễn Văn An",
        },
    }
    data.update(overrides)
    return data


def proof(name="giay chung sinh.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)


def post(client, token, body: dict, *, files=None, key=""):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    data = {"payload": json.dumps(body)}
    data.update({"proof": proof()} if files is None else files)
    return client.post(URL, data, headers=headers)


def assert_nothing_stored(media):
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()
    assert not DossierSequence.objects.exists()
    assert stored_files(media) == []


def test_submit_creates_an_online_dossier(client, token, setup, media):
    version, office = setup
    response = post(client, token, payload(version, office))
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"000\.00\.64\.H12-\d{6}-0001", body["code"])
    assert body["status"] == DossierStatus.SUBMITTED == "submitted"
    assert body["national_status"] == 1
    assert body["procedure"] == {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"}
    assert body["office"]["code"] == office.code
    assert body["received_at"] is None
    assert body["documents"] == [
        {"label": "Giấy chứng sinh", "content_type": "image/png", "size": body["documents"][0]["size"]}
    ]
    assert [event["kind"] for event in body["events"]] == ["submitted"]

    dossier = Dossier.objects.get()
    assert dossier.code == body["code"]
    assert dossier.lookup_key == body["lookup_key"]
    assert dossier.channel == 2
    assert dossier.submitted_by.email == "app@example.vn"
    assert dossier.applicant_user is None
    assert dossier.applicant_id_number == "096190000123"
    assert dossier.form_data["child_name"] == "Nguyễn Văn An"
    assert "proof" not in dossier.form_data
    (document,) = dossier.documents.all()
    assert document.field_name == "proof"
    assert document.component.position == 1
    assert document.file.read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_same_idempotency_key_returns_the_same_dossier(client, token, setup, media):
    version, office = setup
    first = post(client, token, payload(version, office), key="lan-gui-1")
    again = post(client, token, payload(version, office), key="lan-gui-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1
    assert DossierDocument.objects.count() == 1
    assert len(stored_files(media)) == 1

    other = post(client, token, payload(version, office), key="lan-gui-2")
    assert other.status_code == 201
    assert other.json()["code"].endswith("-0002")


def test_idempotency_keys_belong_to_the_acting_account(client, token, setup):
    version, office = setup
    mine = post(client, token, payload(version, office), key="k-1")
    theirs = post(client, new_token("portal@example.vn"), payload(version, office), key="k-1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert Dossier.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(client, token, setup, media):
    version, office = setup
    response = post(client, token, payload(version, office), key="k" * 65)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert_nothing_stored(media)


def test_bad_citizen_id_is_refused_in_vietnamese(client, token, setup, media):
    version, office = setup
    body = payload(version, office)
    body["applicant"]["id_number"] = "12345"
    body["answers"]["applicant_id"] = "09619000012A"
    response = post(client, token, body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["message"] == _("The dossier was not accepted: correct the fields listed in “errors”.")
    assert error["errors"] == {
        "applicant.id_number": [CITIZEN_ID_MESSAGE],
        "answers.applicant_id": [CITIZEN_ID_MESSAGE],
    }
    assert_nothing_stored(media)


def test_missing_required_fields_are_refused(client, token, setup, media):
    version, office = setup
    body = payload(version, office)
    del body["answers"]["child_name"]
    del body["applicant"]["name"]
    response = post(client, token, body, files={})
    assert response.status_code == 400
    assert response.json()["errors"] == {"applicant.name": [REQUIRED_MESSAGE]}  # the shape first
    body["applicant"]["name"] = "  "
    response = post(client, token, body, files={})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "applicant.name": [REQUIRED_MESSAGE],
        "answers.child_name": [REQUIRED_MESSAGE],
        "proof": [REQUIRED_MESSAGE],
    }
    assert_nothing_stored(media)


@pytest.mark.parametrize("raw", ["", "{not json", "[]", '{"procedure": 1, "office": "x", "applicant": {}}'])
def test_a_malformed_payload_is_refused(client, token, setup, raw):
    response = client.post(URL, {"payload": raw}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["errors"]
    assert not Dossier.objects.exists()


def test_unknown_procedure_or_office_is_404(client, token, setup, media):
    version, office = setup
    response = post(client, token, payload(version, office, procedure="9.999999"))
    assert response.status_code == 404
    assert response.json()["message"] == "Mã thủ tục không có hoặc không còn áp dụng: 9.999999."
    response = post(client, token, payload(version, office, office="000.00.00.X99"))
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": _("Unknown receiving office: %(code)s.") % {"code": "000.00.00.X99"},
        "errors": {},
    }
    assert_nothing_stored(media)


def test_procedure_without_eform_cannot_be_submitted(client, token, setup):
    version, office = setup
    ProcedureVersion.objects.filter(pk=version.pk).update(form_schema=[])
    response = post(client, token, payload(version, office))
    assert response.status_code == 400
    assert response.json()["code"] == "not_online"
    assert response.json()["message"].startswith("Thủ tục này chưa nộp trực tuyến được.")


def test_an_executable_renamed_pdf_is_refused(client, token, setup, media):
    version, office = setup
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"
    files = {"proof": proof("giay chung sinh.pdf", executable, "application/pdf")}
    response = post(client, token, payload(version, office), files=files)
    assert response.status_code == 400
    (message,) = response.json()["errors"]["proof"]
    assert message.startswith("Nội dung tệp không thuộc loại được chấp nhận.")
    assert_nothing_stored(media)


@pytest.fixture
def address_version(setup):
    """A procedure whose e-form has an address and no upload, submitted as plain JSON."""
    version, office = setup
    schema = [
        {"name": "applicant_name", "type": "text", "label": "Họ, chữ đệm, tên"},
        {"name": "residence", "type": "address", "label": "Nơi cư trú"},
        {"name": "birth_date", "type": "date", "label": "Ngày sinh", "required": False},
    ]
    procedure = version.procedure
    procedure.pk, procedure.code = None, "1.000001"
    procedure.save()
    return ProcedureVersion.objects.create(procedure=procedure, number=1, form_schema=schema), office


def post_json(client, token, body):
    return client.post(
        URL, json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def test_json_body_with_an_address(client, token, address_version):
    version, office = address_version
    address = {"commune_code": "32248", "hamlet_code": "32248-01", "street": " 12 Đường Mũi "}
    body = payload(
        version, office, answers={"applicant_name": "Hoa", "residence": address, "birth_date": "1990-05-01"}
    )
    response = post_json(client, token, body)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    assert dossier.form_data["residence"] == {
        "commune_code": "32248",
        "hamlet_code": "32248-01",
        "street": "12 Đường Mũi",
    }
    assert dossier.form_data["birth_date"] == "1990-05-01"


def test_address_errors(client, token, address_version):
    version, office = address_version
    wrong_hamlet = {"commune_code": "32002", "hamlet_code": "32248-01", "street": "12 Đường Mũi"}
    body = payload(version, office, answers={"applicant_name": "Hoa", "residence": wrong_hamlet})
    response = post_json(client, token, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers.residence": ["Ấp, khóm đã chọn không thuộc xã, phường đã chọn."]
    }
    body = payload(version, office, answers={"applicant_name": "Hoa", "residence": "12 Đường Mũi"})
    assert post_json(client, token, body).json()["errors"] == {
        "answers.residence": ["Nhập một giá trị hợp lệ."]
    }
    assert not Dossier.objects.exists()


def test_a_client_sees_only_its_own_dossiers(client, token, setup):
    version, office = setup
    code = post(client, token, payload(version, office)).json()["code"]
    mine = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    assert mine.json()["code"] == code
    assert mine.json()["documents"][0]["label"] == "Giấy chứng sinh"

    other = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {new_token('portal@example.vn')}"})
    at_counter = submit(version, office)  # submitted by nobody through the API
    for response in (
        other,
        client.get(f"{URL}/{at_counter.code}", headers={"Authorization": f"Bearer {token}"}),
        client.get(f"{URL}/khong-co", headers={"Authorization": f"Bearer {token}"}),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client.get(f"{URL}/{code}").status_code == 401


def test_public_status_shows_no_personal_data(client, setup):
    version, office = setup
    dossier = submit(version, office)
    response = client.get(f"{URL}/status", {"code": dossier.code, "key": dossier.lookup_key.lower()})
    assert response.status_code == 200
    assert response.json() == {"code": dossier.code, "status": "received", "national_status": 2}
    text = response.content.decode()
    for personal in ("Nguyễn Thị Hoa", "096190000123", "0912345678", "Nguyễn Văn An", dossier.lookup_key):
        assert personal not in text

    wrong = client.get(f"{URL}/status", {"code": dossier.code, "key": "ZZZZZZ"})
    assert wrong.status_code == 404
    assert wrong.json()["message"].startswith("Không tìm thấy hồ sơ")
    assert client.get(f"{URL}/status").status_code == 404


def test_public_status_is_rate_limited(client, setup):
    version, office = setup
    dossier = submit(version, office)
    query = {"code": dossier.code, "key": "ZZZZZZ"}
    for _attempt in range(LOOKUPS_PER_WINDOW):
        assert client.get(f"{URL}/status", query).status_code == 404
    response = client.get(f"{URL}/status", {"code": dossier.code, "key": dossier.lookup_key})
    assert response.status_code == 429
    assert response.json()["message"].startswith("Quá nhiều lượt tra cứu")


def test_openapi_schema_lists_the_dossier_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{code}", "/api/v1/dossiers/status"} <= set(paths)
    body = paths["/api/v1/dossiers"]["post"]["requestBody"]["content"]
    assert "payload" in body["multipart/form-data"]["schema"]["properties"]

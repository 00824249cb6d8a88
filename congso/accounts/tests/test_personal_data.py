"""Consent at sign-up and the download of one's own data (Law on Personal Data Protection 91/2025/QH15)."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from congso.accounts.consent import SIGNUP_VERSION
from congso.accounts.models import Consent, User
from congso.audit.models import AuditEvent
from congso.dossiers.models import DossierDocument
from congso.dossiers.tests.factories import make_office, make_version, submit
from congso.feedback.services import feedback_submit

pytestmark = pytest.mark.django_db
SIGNUP = {"email": "moi@example.vn", "password1": "Hoa-sen-2026!x", "password2": "Hoa-sen-2026!x"}


def test_signup_without_consent_is_refused_in_vietnamese(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "Bạn cần đồng ý" in response.content.decode()
    assert not User.objects.filter(email="moi@example.vn").exists()


def test_the_signup_page_shows_the_consent_text(client):
    body = client.get("/accounts/signup/").content.decode()
    assert "91/2025/QH15" in body
    assert 'name="consent"' in body
    assert body.index('name="password2"') < body.index('name="consent"')  # read last, just before signing up


def test_consent_is_recorded_with_time_version_and_address(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "consent": "on"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    consent = Consent.objects.get(user__email="moi@example.vn")
    assert (consent.purpose, consent.text_version, consent.given) == ("signup", SIGNUP_VERSION, True)
    assert consent.at is not None
    assert consent.ip_address == "203.0.113.9"
    assert AuditEvent.objects.filter(action="consent.given", actor=consent.user).exists()


@pytest.fixture
def dossiers(citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = make_version()
    office = make_office("32002", "000.00.26.H12")
    mine = submit(version, office, applicant_user=citizen)
    DossierDocument.objects.create(
        dossier=mine,
        label="Giấy chứng sinh",
        file=ContentFile(b"%PDF-1.7 giay chung sinh", name="giay-chung-sinh.pdf"),
        content_type="application/pdf",
        size=24,
        sha256="0" * 64,
    )
    other_user = User.objects.create_user("khac@example.vn", "x-Mat-khau-2026")
    other = submit(version, office, applicant_user=other_user)
    feedback_submit(author=citizen, kind="report", text="Chưa nhận được kết quả.", dossier=mine)
    return mine, other


def download(client):
    response = client.post("/tai-khoan/du-lieu-cua-toi/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_a_person_downloads_their_own_data_and_nobody_elses(client, citizen, dossiers):
    mine, other = dossiers
    client.force_login(citizen)
    archive = download(client)
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == citizen.email
    assert [d["code"] for d in data["dossiers"]] == [mine.code]
    assert other.code not in archive.read("data.json").decode()
    assert data["feedback"][0]["text"] == "Chưa nhận được kết quả."
    assert data["dossier_events"]
    (document,) = [name for name in archive.namelist() if name.startswith("documents/")]
    assert document.startswith(f"documents/{mine.code}/")
    assert archive.read(document) == b"%PDF-1.7 giay chung sinh"
    assert "password" not in json.dumps(data)
    assert AuditEvent.objects.filter(action="personal_data.exported", actor=citizen).exists()


def test_the_download_needs_a_signed_in_post(client, citizen):
    assert client.post("/tai-khoan/du-lieu-cua-toi/")["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.get("/tai-khoan/du-lieu-cua-toi/").status_code == 405


def test_the_download_is_rate_limited(client, citizen):
    client.force_login(citizen)
    for _ in range(5):
        assert client.post("/tai-khoan/du-lieu-cua-toi/").status_code == 200
    assert client.post("/tai-khoan/du-lieu-cua-toi/").status_code == 429


def test_the_account_page_offers_the_download(client, citizen):
    client.force_login(citizen)
    body = client.get("/tai-khoan/").content.decode()
    assert 'action="/tai-khoan/du-lieu-cua-toi/"' in body

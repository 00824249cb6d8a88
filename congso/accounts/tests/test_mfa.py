"""Two-factor authentication is required of every official; citizens are free to use it."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from congso.audit.models import AuditEvent
from congso.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.CONGSO_STAFF_MFA_REQUIRED = True


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def password_login(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


@pytest.fixture
def units_committed(committing_db):
    """Real commits, and the unit list present whatever transactional test flushed the tables before."""
    from congso.conftest import load_units
    from congso.geo.models import AdministrativeUnit

    if not AdministrativeUnit.objects.filter(code="32002").exists():
        load_units()


def test_an_official_without_mfa_is_sent_to_set_it_up_and_then_works(units_committed, client, official):
    password_login(client, official)
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before adding an authenticator; those pages stay reachable.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # Real commits: allauth announces the new authenticator on commit, inside the request.
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="mfa.added", actor=official).exists()
    # Typing a valid code of the new authenticator counts as passing it in this session.
    assert client.get("/tai-khoan/").status_code == 200


@pytest.mark.parametrize("persona", ["leader", "team_member"])
def test_every_staff_role_is_held_to_it(client, persona, request):
    user = request.getfixturevalue(persona)
    password_login(client, user)
    assert client.get("/tai-khoan/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_citizen_is_not_asked(client, citizen):
    password_login(client, citizen)
    assert client.get("/tai-khoan/").status_code == 200


def test_the_switch_turns_it_off(client, official, settings):
    settings.CONGSO_STAFF_MFA_REQUIRED = False
    password_login(client, official)
    assert client.get("/tai-khoan/").status_code == 200


def test_an_official_with_mfa_passes_it_at_sign_in_then_works(client, official):
    secret = generate_totp_secret()
    TOTP.activate(official, secret)
    response = password_login(client, official)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/tai-khoan/").status_code == 302  # not signed in yet: back to sign-in
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/tai-khoan/").status_code == 200


def test_a_session_that_skipped_mfa_is_sent_to_pass_it(client, official):
    TOTP.activate(official, generate_totp_secret())
    client.force_login(official)  # e.g. a session from before MFA was activated
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")


def test_recovery_codes_are_enabled_and_work_once(client, official):
    TOTP.activate(official, generate_totp_secret())
    codes = RecoveryCodes.activate(official).get_unused_codes()
    assert len(codes) == 10
    password_login(client, official)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/tai-khoan/").status_code == 200
    client.logout()
    password_login(client, official)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200  # used up


def test_staff_sessions_are_shorter(client, official, citizen, settings):
    settings.CONGSO_STAFF_MFA_REQUIRED = False
    client.force_login(official)
    client.get("/tai-khoan/")
    assert client.session.get_expiry_age() == settings.CONGSO_STAFF_SESSION_AGE
    other = type(client)()
    other.force_login(citizen)
    other.get("/tai-khoan/")
    assert other.session.get_expiry_age() == settings.SESSION_COOKIE_AGE > settings.CONGSO_STAFF_SESSION_AGE


def test_login_is_locked_after_repeated_failures(client, citizen, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
    for _ in range(5):
        client.post("/accounts/login/", {"login": citizen.email, "password": "sai-mat-khau-123"})
    response = password_login(client, citizen)  # even the right password is refused now
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


def test_password_reset_is_rate_limited(client, citizen, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "5/h/ip,3/h/key"}
    statuses = [
        client.post("/accounts/password/reset/", {"email": citizen.email}).status_code for _ in range(5)
    ]
    assert statuses[:3] == [302, 302, 302]
    assert 429 in statuses[3:]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan1234", "quá ngắn"),
        ("password1234", "quá phổ biến"),
        ("9876543210123", "chỉ gồm chữ số"),
        ("citizen.moi.2026", "quá giống"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, password, message):
    response = client.post(
        "/accounts/signup/",
        {"email": "citizen.moi.2026@example.vn", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_cookies_are_httponly_and_samesite(client, citizen):
    response = password_login(client, citizen)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_program_calling_the_api_gets_json_not_a_sign_in_page(client, team_member):
    """The team's phone app calls /api/ with the session: without two-factor it must read a 401 it
    understands (and keep its queue), not follow a redirect to an HTML page."""
    client.force_login(team_member)
    response = client.get("/api/v1/outreach/households")
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    secret = generate_totp_secret()
    TOTP.activate(team_member, secret)
    client.logout()
    password_login(client, team_member)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    after = client.get("/api/v1/outreach/households")
    assert after.status_code != 401, after.content

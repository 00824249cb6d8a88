"""Security headers on every page, and the production configuration."""

import pytest

from congso.core.tests.test_settings import run_python

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/tra-cuu/", "/accounts/login/", "/api/v1/units/communes", "/khong-co/"]
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("microphone=()", "usb=()", "payment=()", "interest-cohort=()"):
        assert feature in policy


def test_production_turns_on_https_only_settings(tmp_path):
    result = run_python(
        "import config.settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.CONGSO_STAFF_MFA_REQUIRED,"
        " s.CONGSO_STAFF_SESSION_AGE < s.SESSION_COOKIE_AGE)",
        {"CONGSO_VAR_DIR": str(tmp_path), "CONGSO_HTTPS": "1", "CONGSO_SECRET_KEY": "x" * 60},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
    ]


def test_development_keeps_plain_http_cookies(tmp_path):
    result = run_python(
        "import config.settings as s;"
        " print(s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, getattr(s, 'SESSION_COOKIE_NAME', '-'))",
        {"CONGSO_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.split() == ["False", "0", "-"]


DEPLOY = (
    "from django.core.management import execute_from_command_line;"
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)
PRODUCTION = {
    "CONGSO_SECRET_KEY": "k" * 20 + "Zq8#x!vB2@pL9$wR4%tY7^uI1&oP3*aS6(dF0)gH5",
    "CONGSO_ALLOWED_HOSTS": "dichvucong.camau.gov.vn",
    "CONGSO_HTTPS": "1",
    "CONGSO_SMS_BACKEND": "congso.notifications.tests.fakes.RefusingGateway",
    "CONGSO_CACHE_URL": "redis://127.0.0.1:6379/1",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def test_check_deploy_wants_the_secret_key_from_the_environment(tmp_path):
    env = {**PRODUCTION, "CONGSO_VAR_DIR": str(tmp_path)}
    del env["CONGSO_SECRET_KEY"]
    result = run_python(DEPLOY, env)
    assert result.returncode != 0
    assert "congso.E001" in result.stdout + result.stderr


def test_check_deploy_wants_the_oidc_secret_and_https(tmp_path):
    env = {**PRODUCTION, "CONGSO_VAR_DIR": str(tmp_path), "CONGSO_OIDC_SERVER_URL": "http://vneid.example"}
    output = run_python(DEPLOY, env)
    assert "congso.E002" in output.stdout + output.stderr
    assert "congso.W001" in output.stdout + output.stderr
    env.update(
        CONGSO_OIDC_SERVER_URL="https://vneid.example", CONGSO_OIDC_CLIENT_ID="camau", CONGSO_OIDC_SECRET="s"
    )
    result = run_python(DEPLOY, env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_staff_mfa_is_off(tmp_path):
    env = {**PRODUCTION, "CONGSO_VAR_DIR": str(tmp_path), "CONGSO_STAFF_MFA_REQUIRED": "0"}
    result = run_python(DEPLOY, env)
    assert result.returncode != 0
    assert "congso.W002" in result.stdout + result.stderr


def test_check_deploy_wants_a_shared_cache(tmp_path):
    env = {**PRODUCTION, "CONGSO_VAR_DIR": str(tmp_path)}
    del env["CONGSO_CACHE_URL"]
    result = run_python(DEPLOY, env)
    assert result.returncode != 0
    assert "congso.W003" in result.stdout + result.stderr

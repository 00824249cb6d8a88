"""Schemathesis over the whole OpenAPI schema, in-process through the WSGI app: whatever a client sends, the
API answers with a 4xx, never a 5xx. Bounded: a few examples per operation (about a minute in all).
Requests carry no token, then a bearer token; the outreach operations (session cookie) answer 401 to both:
their input is fuzzed as a signed-in team member in test_outreach_input_as_a_team_member."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application
from congso.security.tests.authz import GATEWAY

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request through the WSGI app must not close the test's connection
    (it is inside the test's transaction; on PostgreSQL closing it would end the test)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _gateway_configured(settings):
    """A payment gateway with a secret, so that its callback checks the signature of whatever comes in (not
    configured, it answers 503 by design)."""
    settings.CONGSO_PAYMENT_GATEWAY_SECRETS = {GATEWAY: "bi-mat-cong-thanh-toan-thu-nghiem"}


@pytest.fixture
def token(db):
    from congso.accounts.models import User
    from congso.api.auth import api_token_issue
    from congso.api.models import ApiClient
    from congso.dossiers.tests.factories import make_office, make_version
    from congso.indicators.models import FormGrant
    from congso.indicators.tests.factories import make_element, make_form

    make_version()
    make_office("32002", "000.00.26.H12")
    user = User.objects.create_user("app@example.vn", "mat-khau-ung-dung-2026")
    client = ApiClient.objects.create(name="Fuzz", user=user)
    form = make_form("F_FUZZ")  # the client may write a form, so that imports go past the grant check
    make_element("E_FUZZ", form)
    FormGrant.objects.create(client=client, form=form)
    return api_token_issue(client=client)


@pytest.fixture
def member_cookies(db):
    """The session of a team member of a hamlet of 32002 (with one household) and a CSRF pair: the outreach
    operations are used by the site's own app, signed in."""
    from django.conf import settings
    from django.test import Client

    from congso.accounts.constants import StaffRole
    from congso.accounts.models import User
    from congso.accounts.services import role_grant
    from congso.geo.models import AdministrativeUnit
    from congso.outreach.models import Household

    hamlet = AdministrativeUnit.objects.filter(parent__code="32002", level="hamlet").order_by("code").first()
    Household.objects.create(hamlet=hamlet, house_number="1", head_name="Phạm Văn Út", phone="0911000111")
    member = User.objects.create_user("to-cong-nghe@example.vn", "mat-khau-thanh-vien-2026")
    role_grant(user=member, role=StaffRole.TEAM_MEMBER, unit=hamlet)
    client = Client()
    client.force_login(member)
    csrf = "x" * 32
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.CSRF_COOKIE_NAME] = csrf
    return cookies, {"X-CSRFToken": csrf}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_the_api_fail(case, token):
    if case.path.startswith("/api/v1/payments/callbacks/"):
        # An unknown gateway answers 503 by design (payments/api.py): fuzz the configured one's input.
        case.path_parameters = {**(case.path_parameters or {}), "name": GATEWAY}
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"


@schema.include(path_regex="^/api/v1/outreach/").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_outreach_input_as_a_team_member(case, member_cookies):
    cookies, headers = member_cookies
    response = case.call(headers=headers, cookies=cookies)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
    assert response.status_code not in {401, 403}, "the member's session was not taken"


def test_the_outreach_coverage_answers_nul_characters(client, member_cookies):
    """Found by the fuzz above on PostgreSQL (a 500: the unit code reached the query with its NUL); refused
    with 400 by congso.core.middleware.RejectNulMiddleware since."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="to-cong-nghe@example.vn"))
    assert client.get("/api/v1/outreach/coverage", {"unit": "3200\0"}).status_code in {400, 404}

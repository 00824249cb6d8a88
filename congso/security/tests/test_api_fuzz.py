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

    make_version()
    make_office("32002", "000.00.26.H12")
    user = User.objects.create_user("app@example.vn", "mat-khau-ung-dung-2026")
    return api_token_issue(client=ApiClient.objects.create(name="Fuzz", user=user))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_the_api_fail(case, token):
    if case.path.startswith("/api/v1/payments/callbacks/"):
        # An unknown gateway answers 503 by design (payments/api.py): fuzz the configured one's input.
        case.path_parameters = {**(case.path_parameters or {}), "name": GATEWAY}
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"

"""API tokens: issued once, stored as a hash, refused when revoked, expired or their client is off."""

import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from congso.api.auth import api_token_issue
from congso.api.models import ApiClient, ApiToken
from congso.conftest import make_user

pytestmark = pytest.mark.django_db

# Any route behind the token: an unknown dossier is 404 once authenticated, 401 before.
URL = "/api/v1/dossiers/000.00.64.H12-260101-0001"


@pytest.fixture
def app_client():
    return ApiClient.objects.create(name="Ứng dụng di động", user=make_user("app@example.vn"))


def get(client, token):
    return client.get(URL, headers={"Authorization": f"Bearer {token}"})


def test_a_token_is_shown_once_and_stored_only_as_its_hash(app_client):
    token = api_token_issue(client=app_client)
    assert token.startswith("cs_")
    assert len(token) > 40
    stored = ApiToken.objects.get()
    assert stored.prefix == token[:8]
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert not any(token in str(value) for value in row.values())
    assert api_token_issue(client=app_client) != token


def test_a_valid_token_authenticates_as_the_acting_account(client, app_client):
    token = api_token_issue(client=app_client)
    assert get(client, token).status_code == 404
    app_client.refresh_from_db()
    assert app_client.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer cs_not-a-token", "Token {token}", "Bearer {token}x", "Bearer " + "x" * 5000],
)
def test_missing_or_wrong_tokens_are_refused(client, app_client, header):
    token = api_token_issue(client=app_client)
    headers = {"Authorization": header.format(token=token)} if header else {}
    assert client.get(URL, headers=headers).status_code == 401


def test_inactive_client_is_refused(client, app_client):
    token = api_token_issue(client=app_client)
    ApiClient.objects.filter(pk=app_client.pk).update(is_active=False)
    assert get(client, token).status_code == 401


def test_inactive_acting_account_is_refused(client, app_client):
    token = api_token_issue(client=app_client)
    app_client.user.is_active = False
    app_client.user.save(update_fields=["is_active"])
    assert get(client, token).status_code == 401


def test_revoked_token_is_refused(client, app_client):
    token = api_token_issue(client=app_client)
    other = api_token_issue(client=app_client)
    ApiToken.objects.filter(prefix=token[:8]).update(revoked_at=timezone.now())
    assert get(client, token).status_code == 401
    assert get(client, other).status_code == 404  # the client's other tokens still work


def test_expired_token_is_refused(client, app_client):
    now = timezone.now()
    expired = api_token_issue(client=app_client, expires_at=now - datetime.timedelta(seconds=1))
    valid = api_token_issue(client=app_client, expires_at=now + datetime.timedelta(days=1))
    assert get(client, expired).status_code == 401
    assert get(client, valid).status_code == 404


def test_last_used_is_written_at_most_once_a_minute(client, app_client):
    token = api_token_issue(client=app_client)
    recent = timezone.now() - datetime.timedelta(seconds=30)
    ApiClient.objects.filter(pk=app_client.pk).update(last_used_at=recent)
    get(client, token)
    app_client.refresh_from_db()
    assert app_client.last_used_at == recent
    old = timezone.now() - datetime.timedelta(minutes=2)
    ApiClient.objects.filter(pk=app_client.pk).update(last_used_at=old)
    get(client, token)
    app_client.refresh_from_db()
    assert app_client.last_used_at > old


@pytest.fixture
def superuser():
    return make_user("admin@example.vn", is_staff=True, is_superuser=True)


def test_admin_action_shows_a_new_token_once(client, superuser, app_client):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "issue_token", "_selected_action": [app_client.pk]},
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    token = next(word for word in message.split() if word.startswith("cs_"))
    assert ApiToken.objects.get(client=app_client).prefix == token[:8]
    client.logout()
    assert get(client, token).status_code == 404
    # The client's page shows the prefix, never the token.
    client.force_login(superuser)
    page = client.get(reverse("admin:api_apiclient_change", args=[app_client.pk])).content.decode()
    assert token[:8] in page
    assert token not in page


def test_admin_action_revokes_tokens(client, superuser, app_client):
    token = api_token_issue(client=app_client)
    client.force_login(superuser)
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
    )
    client.logout()
    assert ApiToken.objects.get().revoked_at is not None
    assert get(client, token).status_code == 401

"""Bearer tokens of API clients: issued once, stored as their SHA-256 only, checked in one query."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from congso.api.models import ApiClient, ApiToken

TOKEN_PREFIX = "cs_"  # noqa: S105 -- not a secret; makes a leaked token recognisable (secret scanners, logs)
PREFIX_LENGTH = 8
MAX_TOKEN_LENGTH = 200  # an issued token has 46 characters; anything much longer is not worth hashing
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    # A token has 256 random bits: a fast hash is enough, and an equality lookup on the hash leaks nothing
    # of the stored value through timing.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, client: ApiClient, expires_at: datetime.datetime | None = None) -> str:
    """Create a token for ``client`` and return it in clear, the only time it exists outside the caller."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        client=client, prefix=token[:PREFIX_LENGTH], token_hash=token_hash(token), expires_at=expires_at
    )
    return token


def api_token_find(token: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The usable token matching ``token``: not revoked, not expired, its client and account active."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now or timezone.now()
    return (
        ApiToken.objects.select_related("client__user")
        .filter(
            token_hash=token_hash(token),
            revoked_at__isnull=True,
            client__is_active=True,
            client__user__is_active=True,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer cs_…``. Sets ``request.api_client``; ``request.auth`` is the acting account."""

    def authenticate(self, request: HttpRequest, token: str):
        now = timezone.now()
        found = api_token_find(token, now=now)
        if found is None:
            return None
        client = found.client
        # At most one write a minute per client, not one per request.
        if client.last_used_at is None or now - client.last_used_at >= LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        request.api_client = client
        return client.user


token_auth = ApiTokenAuth()

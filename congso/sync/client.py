"""The HTTP side of the national portal: POST one JSON body, classify the answer. No Django models here."""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from congso.sync.constants import DEFAULT_TIMEOUT

MAX_KEPT = 2000  # characters of a response body kept on the outbox row


class SyncError(Exception):
    """The push did not go through. ``response`` is what the portal answered, if it answered."""

    def __init__(self, message: str, *, response: str = ""):
        super().__init__(message)
        self.response = response


class TemporaryError(SyncError):
    """Try again later: 5xx, 408, 429, a timeout, a refused or dropped connection."""


class PermanentError(SyncError):
    """Trying again will not help: 4xx (the payload or the credentials are wrong)."""


@dataclass(frozen=True)
class Response:
    status: int
    body: str


def auth_header(token: str) -> str:
    """``CONGSO_DVCQG_TOKEN`` is a bearer token, or ``user:password`` for basic authentication."""
    if not token:
        return ""
    if ":" in token:
        return "Basic " + base64.b64encode(token.encode()).decode("ascii")
    return f"Bearer {token}"


def post(path: str, payload: dict, *, idempotency_key: str) -> Response:
    """POST ``payload`` to ``CONGSO_DVCQG_URL`` + ``path``. Returns the response on 2xx; raises
    TemporaryError or PermanentError otherwise."""
    url = settings.CONGSO_DVCQG_URL.rstrip("/") + path
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "Idempotency-Key": idempotency_key,
    }
    if authorization := auth_header(getattr(settings, "CONGSO_DVCQG_TOKEN", "")):
        headers["Authorization"] = authorization
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (from settings)
    timeout = getattr(settings, "CONGSO_DVCQG_TIMEOUT", DEFAULT_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (URL from settings)
            return Response(status=answer.status, body=_text(answer.read()))
    except urllib.error.HTTPError as exc:
        text = _text(exc.read())
        message = f"HTTP {exc.code} from {path}: {text[:300]}"
        if exc.code >= 500 or exc.code in (408, 429):
            raise TemporaryError(message, response=text) from None
        raise PermanentError(message, response=text) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TemporaryError(f"no answer from {path}: {reason}") from None


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:MAX_KEPT]

"""Payment gateways: callback signatures, and the client used to ask about a transaction whose callback never
came. No network call is made here; a real gateway's client is configured by its dotted path
(``CONGSO_PAYMENT_GATEWAY_CLIENT``) and the tests use :class:`FakeGatewayClient`.

A callback is ``POST /api/v1/payments/callbacks/<gateway>`` with a JSON body, the header
``X-Congso-Timestamp`` (Unix seconds) and ``X-Congso-Signature`` = hex HMAC-SHA256 with the gateway's secret
over ``<timestamp>.<raw body>``. Secrets: ``settings.CONGSO_PAYMENT_GATEWAY_SECRETS`` ({name: secret}) or the
environment variable ``CONGSO_PAYMENT_GATEWAY_SECRET_<NAME>``.
"""

import datetime
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from congso.payments.constants import NOT_CONFIGURED

TIMESTAMP_HEADER = "X-Congso-Timestamp"
SIGNATURE_HEADER = "X-Congso-Signature"


def gateway_secret(gateway: str) -> str:
    """The gateway's secret, or NOT_CONFIGURED."""
    secrets = getattr(settings, "CONGSO_PAYMENT_GATEWAY_SECRETS", None) or {}
    secret = secrets.get(gateway) or os.environ.get(f"CONGSO_PAYMENT_GATEWAY_SECRET_{gateway.upper()}", "")
    return secret or NOT_CONFIGURED


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(*, secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret=secret, timestamp=timestamp, body=body), (signature or "").lower())


@dataclass(frozen=True)
class GatewayStatus:
    """What a gateway says of one transaction."""

    state: str  # "paid", "failed" or "pending"
    amount_vnd: int = 0
    paid_at: datetime.datetime | None = None


class GatewayClient(Protocol):
    name: str

    def transaction_status(self, transaction_id: str) -> GatewayStatus: ...


class FakeGatewayClient:
    """An in-memory gateway for tests and the demo: ``states`` maps transaction ids to their status."""

    name = "fake"

    def __init__(self, states: dict[str, GatewayStatus] | None = None):
        self.states = states or {}
        self.asked: list[str] = []

    def transaction_status(self, transaction_id: str) -> GatewayStatus:
        self.asked.append(transaction_id)
        return self.states.get(transaction_id, GatewayStatus("pending"))


_override: GatewayClient | None = None


def gateway_client() -> GatewayClient | None:
    """The configured client, or None (then nothing is re-checked)."""
    if _override is not None:
        return _override
    path = getattr(settings, "CONGSO_PAYMENT_GATEWAY_CLIENT", "")
    return import_string(path)() if path else None


def use_client(client: GatewayClient | None) -> None:
    """Install a client in this process (tests, the demo); None goes back to the settings."""
    global _override
    _override = client

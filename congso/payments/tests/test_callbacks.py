import datetime
import json
import time

import pytest
from django.utils import timezone

from congso.dossiers.constants import DossierStatus
from congso.payments import gateway, periodic
from congso.payments.constants import FeeRequestStatus
from congso.payments.gateway import FakeGatewayClient, GatewayStatus, sign
from congso.payments.models import FeeRequest, GatewayCallback, Payment
from congso.payments.services import fee_request_gateway_start
from congso.payments.tests.factories import issue, processing_dossier

pytestmark = pytest.mark.django_db
SECRET = "bi-mat-cong-thanh-toan"
URL = "/api/v1/payments/callbacks/fake"


@pytest.fixture
def secret(settings):
    settings.CONGSO_PAYMENT_GATEWAY_SECRETS = {"fake": SECRET}


@pytest.fixture
def fee(official):
    return issue(processing_dossier(official), official)


def post(client, body: dict, *, secret=SECRET, timestamp=None, signature=None):
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature or sign(secret=secret, timestamp=timestamp, body=raw)
    return client.post(
        URL,
        raw,
        content_type="application/json",
        headers={"X-Congso-Timestamp": timestamp, "X-Congso-Signature": signature},
    )


def paid_body(fee, txn="GW-1", amount=None):
    return {
        "transaction_id": txn,
        "reference": fee.reference,
        "amount_vnd": amount or fee.amount_vnd,
        "status": "paid",
    }


def test_unconfigured_gateway_answers_503(client, fee, settings, monkeypatch):
    settings.CONGSO_PAYMENT_GATEWAY_SECRETS = {}
    monkeypatch.delenv("CONGSO_PAYMENT_GATEWAY_SECRET_FAKE", raising=False)
    assert post(client, paid_body(fee)).status_code == 503
    assert not Payment.objects.exists()


def test_secret_from_the_environment(client, fee, settings, monkeypatch):
    settings.CONGSO_PAYMENT_GATEWAY_SECRETS = {}
    monkeypatch.setenv("CONGSO_PAYMENT_GATEWAY_SECRET_FAKE", "tu-moi-truong")
    assert post(client, paid_body(fee), secret="tu-moi-truong").status_code == 200


def test_a_signed_callback_pays_and_a_duplicate_changes_nothing(client, fee, secret):
    response = post(client, paid_body(fee))
    assert response.status_code == 200 and response.json()["outcome"] == "paid"
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.PAID and fee.paid_source == "gateway"
    fee.dossier.refresh_from_db()
    assert fee.dossier.status == DossierStatus.PROCESSING  # moved by the system (actor=None)
    assert fee.dossier.events.get(kind="fees_paid").actor is None
    state = (fee.receipt_number, Payment.objects.count(), GatewayCallback.objects.count())
    again = post(client, paid_body(fee))
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    fee.refresh_from_db()
    assert (fee.receipt_number, Payment.objects.count(), GatewayCallback.objects.count()) == state


@pytest.mark.parametrize(
    "tamper",
    [
        {"signature": "0" * 64},
        {"secret": "sai-bi-mat"},
        {"timestamp": -6 * 60},  # seconds from now, taken when the test runs
        {"timestamp": +6 * 60},
    ],
)
def test_bad_signature_or_old_timestamp_is_refused(client, fee, secret, tamper):
    if "timestamp" in tamper:
        tamper = {"timestamp": int(time.time()) + tamper["timestamp"]}
    response = post(client, paid_body(fee), **tamper)
    assert response.status_code == 401
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.PENDING and not GatewayCallback.objects.exists()


def test_malformed_body_is_400_not_500(client, secret):
    timestamp = str(int(time.time()))
    raw = b"{not json"
    response = client.post(
        URL,
        raw,
        content_type="application/json",
        headers={
            "X-Congso-Timestamp": timestamp,
            "X-Congso-Signature": sign(secret=SECRET, timestamp=timestamp, body=raw),
        },
    )
    assert response.status_code == 400


def test_a_failed_payment_stays_payable(client, fee, secret):
    response = post(client, {**paid_body(fee), "status": "failed"})
    assert response.json()["outcome"] == "failed"
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.FAILED and fee.is_open


def test_periodic_recheck_settles_a_lost_callback_and_expires(official, fee):
    fee = fee_request_gateway_start(request=fee, gateway="fake", transaction_id="GW-LOST")
    client = FakeGatewayClient({"GW-LOST": GatewayStatus("paid", amount_vnd=fee.amount_vnd)})
    gateway.use_client(client)
    try:
        assert periodic.tick() is None  # too recent to ask about
        assert client.asked == []
        FeeRequest.objects.filter(pk=fee.pk).update(
            gateway_started_at=timezone.now() - datetime.timedelta(minutes=20)
        )
        old = issue(processing_dossier(official), official)
        FeeRequest.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        summary = periodic.tick()
        assert summary == "1 paid after a gateway re-check, 1 expired"
        assert client.asked == ["GW-LOST"]
        fee.refresh_from_db()
        old.refresh_from_db()
        assert fee.status == FeeRequestStatus.PAID and old.status == FeeRequestStatus.EXPIRED
        fee.dossier.refresh_from_db()
        assert fee.dossier.status == DossierStatus.PROCESSING
        assert periodic.tick() is None  # idempotent
    finally:
        gateway.use_client(None)


def test_failed_then_paid_for_the_same_transaction_is_taken(client, fee, secret):
    assert post(client, {**paid_body(fee), "status": "failed"}).json()["outcome"] == "failed"
    assert post(client, {**paid_body(fee), "status": "failed"}).json()["outcome"] == "duplicate"
    assert post(client, paid_body(fee)).json()["outcome"] == "paid"
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.PAID


def test_money_for_an_expired_request_is_recorded_for_a_person(client, fee, secret):
    FeeRequest.objects.filter(pk=fee.pk).update(status=FeeRequestStatus.EXPIRED)
    assert post(client, paid_body(fee)).json()["outcome"] == "recorded"
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.EXPIRED and fee.payments.count() == 1

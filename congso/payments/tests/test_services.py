import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.conftest import make_user, unit
from congso.core.exceptions import ApplicationError
from congso.dossiers.constants import DossierStatus, EventKind
from congso.notifications.models import Message
from congso.payments import services
from congso.payments.constants import FeeRequestStatus, PaymentSource
from congso.payments.models import FeeRequest
from congso.payments.references import reference_is_valid
from congso.payments.selectors import payments_paid_by_unit
from congso.payments.tests.factories import OTHER_UNIT, issue, make_account, processing_dossier

pytestmark = pytest.mark.django_db


def test_issue_during_processing_moves_the_dossier_to_fees_due_and_tells_the_applicant(official):
    dossier = processing_dossier(official)
    fee = issue(dossier, official)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FEES_DUE
    event = dossier.events.get(kind=EventKind.FEES_REQUESTED)
    assert event.data == {"amount_vnd": 58000}
    assert fee.amount_vnd == 58000  # 8,000 + 50,000; the postal fee is for another channel
    assert [line.name for line in fee.lines.all()] == ["Lệ phí cấp bản sao", "Phí thẩm định"]
    assert reference_is_valid(fee.reference)
    assert (fee.bank_bin, fee.account_number) == ("970405", "999932002")
    sms = Message.objects.get(subject_type="fee_request", subject_id=fee.pk, channel="sms")
    assert fee.reference in sms.body and "58.000" in sms.body and f"/thanh-toan/{fee.reference}/" in sms.body


def test_a_waiver_needs_a_reason_and_lowers_the_total(official):
    dossier = processing_dossier(official)
    make_account()
    lines = services.fee_lines_proposed(dossier)
    waived = [
        services.LineInput(**{**line.__dict__, "amount_vnd": 0}) if line.amount_vnd == 8000 else line
        for line in lines
    ]
    with pytest.raises(ApplicationError, match="lý do"):
        services.fee_request_issue(dossier=dossier, actor=official, lines=waived)
    assert not FeeRequest.objects.exists()
    waived = [
        services.LineInput(**{**line.__dict__, "reason": "Hộ nghèo"}) if line.amount_vnd == 0 else line
        for line in waived
    ]
    fee = services.fee_request_issue(dossier=dossier, actor=official, lines=waived)
    assert fee.amount_vnd == 50000
    assert fee.lines.get(amount_vnd=0).adjustment_reason == "Hộ nghèo"


def test_everything_waived_is_refused(official):
    dossier = processing_dossier(official)
    make_account()
    lines = [services.LineInput(name="Lệ phí", amount_vnd=0, listed_amount_vnd=8000, reason="Miễn")]
    with pytest.raises(ApplicationError):
        services.fee_request_issue(dossier=dossier, actor=official, lines=lines)


def test_one_open_request_per_dossier(official):
    dossier = processing_dossier(official)
    issue(dossier, official)
    with pytest.raises(ApplicationError):
        issue(dossier, official)
    assert FeeRequest.objects.count() == 1


def test_an_official_of_another_commune_cannot_issue(official):
    other = make_user("other@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit(OTHER_UNIT))
    dossier = processing_dossier(official)
    with pytest.raises(PermissionDenied):
        issue(dossier, other)
    assert not FeeRequest.objects.exists()


def test_before_processing_the_request_is_payable_and_the_status_stays(official):
    dossier = processing_dossier(official, accept=False)
    assert dossier.status == DossierStatus.RECEIVED
    fee = issue(dossier, official, collect_when="before")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED
    services.payment_record(
        request=fee,
        source=PaymentSource.STATEMENT,
        transaction_id="T1",
        amount_vnd=fee.amount_vnd,
        paid_at=timezone.now(),
        actor=official,
    )
    fee.refresh_from_db()
    dossier.refresh_from_db()
    assert fee.status == FeeRequestStatus.PAID and dossier.status == DossierStatus.RECEIVED


def test_no_collecting_account_is_a_clear_error(official):
    dossier = processing_dossier(official)
    with pytest.raises(ApplicationError, match="tài khoản"):
        services.fee_request_issue(
            dossier=dossier, actor=official, lines=services.fee_lines_proposed(dossier)
        )


def test_paid_in_full_settles_numbers_the_receipt_and_resumes_processing(official):
    dossier = processing_dossier(official)
    fee = issue(dossier, official)
    services.payment_record(
        request=fee,
        source=PaymentSource.STATEMENT,
        transaction_id="T1",
        amount_vnd=8000,
        paid_at=timezone.now(),
        actor=official,
    )
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.PENDING  # partial so far
    services.payment_record(
        request=fee,
        source=PaymentSource.STATEMENT,
        transaction_id="T2",
        amount_vnd=50000,
        paid_at=timezone.now(),
        actor=official,
    )
    fee.refresh_from_db()
    dossier.refresh_from_db()
    assert fee.status == FeeRequestStatus.PAID
    assert fee.receipt_number == 1 and fee.receipt_year == timezone.localtime().year
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.events.filter(kind=EventKind.FEES_PAID).count() == 1
    # the same transaction again changes nothing
    _, created = services.payment_record(
        request=fee,
        source=PaymentSource.STATEMENT,
        transaction_id="T2",
        amount_vnd=50000,
        paid_at=timezone.now(),
        actor=official,
    )
    assert not created and fee.payments.count() == 2


def test_receipt_numbers_count_per_unit(official):
    first = issue(processing_dossier(official), official)
    second = issue(processing_dossier(official), official)
    for n, fee in enumerate((first, second)):
        services.payment_record(
            request=fee,
            source=PaymentSource.COUNTER,
            transaction_id=f"c{n}",
            amount_vnd=fee.amount_vnd,
            paid_at=timezone.now(),
            actor=official,
        )
    assert sorted(FeeRequest.objects.values_list("receipt_number", flat=True)) == [1, 2]


def test_expiry_and_refund(official):
    fee = issue(processing_dossier(official), official)
    assert services.fee_requests_expire(now=fee.expires_at - datetime.timedelta(seconds=1)) == 0
    assert services.fee_requests_expire(now=fee.expires_at + datetime.timedelta(seconds=1)) == 1
    fee.refresh_from_db()
    assert fee.status == FeeRequestStatus.EXPIRED
    paid = issue(processing_dossier(official), official)
    services.fee_request_pay_at_counter(request=paid, actor=official)
    with pytest.raises(ApplicationError):
        services.fee_request_refund(request=paid, actor=official, reason="")
    services.fee_request_refund(request=paid, actor=official, reason="Nộp nhầm")
    paid.refresh_from_db()
    assert paid.status == FeeRequestStatus.REFUNDED


def test_payments_paid_by_unit(official):
    start = timezone.now() - datetime.timedelta(days=1)
    paid = issue(processing_dossier(official), official)
    issue(processing_dossier(official), official)
    services.payment_record(
        request=paid,
        source=PaymentSource.STATEMENT,
        transaction_id="T9",
        amount_vnd=paid.amount_vnd,
        paid_at=timezone.now(),
        actor=official,
    )
    end = timezone.now() + datetime.timedelta(days=1)
    assert payments_paid_by_unit(start=start, end=end) == {
        "32002": {"requests": 2, "paid": 1, "paid_online": 1}
    }
    assert payments_paid_by_unit(start=end, end=end + datetime.timedelta(days=1)) == {}


def test_demo_accounts_are_idempotent_and_marked():
    from congso.payments.demo import load_demo
    from congso.payments.models import CollectingAccount

    load_demo()
    count = CollectingAccount.objects.count()
    assert count >= 2
    load_demo()
    assert CollectingAccount.objects.count() == count
    assert not CollectingAccount.objects.filter(is_demo=False).exists()
    make_account()  # a real account for a unit keeps its own

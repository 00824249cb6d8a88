"""Every write of the payments app: issuing fee requests, recording money, settling, expiring, refunding.

Money arrives from three sides (a bank statement, a gateway's callback, the periodic re-check); each ends in
:func:`payment_record`, idempotent on the (source, transaction id) pair, which settles the request once the
money received covers it: status "paid", the e-receipt's number, and the dossier's move out of status 6.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.models import User
from congso.core.exceptions import ApplicationError
from congso.core.qr import public_base_url
from congso.dossiers import transitions, workflow
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.queues import office_dossiers
from congso.payments.constants import (
    DEFAULT_VALIDITY,
    OPEN,
    CollectWhen,
    FeeRequestStatus,
    PaymentSource,
)
from congso.payments.models import CollectingAccount, FeeLine, FeeRequest, Payment, ReceiptSequence
from congso.payments.references import reference_display, reference_new
from congso.payments.vietqr import VietQR, build_payload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineInput:
    """One line as the official confirms it: the listed amount, or another with a reason."""

    name: str
    amount_vnd: int
    listed_amount_vnd: int | None = None
    fee_item_id: int | None = None
    reason: str = ""
    exemptions: str = ""  # who is exempt or pays less, as the procedure publishes it (for the official)


def account_for(unit) -> CollectingAccount | None:
    """The collecting account of ``unit``, else of the nearest unit above it that has one."""
    seen = 0
    while unit is not None and seen < 4:
        account = CollectingAccount.objects.filter(unit=unit).first()
        if account:
            return account
        unit, seen = unit.parent, seen + 1
    return None


def fee_lines_proposed(dossier: Dossier) -> list[LineInput]:
    """The procedure version's fee items for the dossier's channel, as lines to confirm."""
    items = dossier.version.fees.all().order_by("position", "id")
    return [
        LineInput(
            name=item.name,
            amount_vnd=item.amount_vnd or 0,
            listed_amount_vnd=item.amount_vnd,
            fee_item_id=item.pk,
            exemptions=item.exemptions,
        )
        for item in items
        if item.channel in (None, dossier.channel) and item.amount_vnd != 0  # a free item has nothing to ask
    ]


def payment_url(request: FeeRequest) -> str:
    return f"{public_base_url()}/thanh-toan/{request.reference}/"


def verify_url(request: FeeRequest) -> str:
    return f"{public_base_url()}/thanh-toan/bien-lai/xac-minh/{request.verify_key}/"


def vietqr_payload(request: FeeRequest) -> str:
    """The dynamic VietQR of the request: its account, amount and reference (as purpose and bill number)."""
    return build_payload(
        VietQR(
            bank_bin=request.bank_bin,
            account_number=request.account_number,
            amount_vnd=request.amount_vnd,
            purpose=request.reference,
            bill_number=request.reference,
        )
    )


def _clean_lines(lines: list[LineInput]) -> list[LineInput]:
    if not lines:
        raise ApplicationError(_("A fee request needs at least one line."), code="no_lines")
    cleaned = []
    for line in lines:
        name = (line.name or "").strip()
        if not name:
            raise ApplicationError(_("Every fee line needs a name."), code="line_name")
        if not isinstance(line.amount_vnd, int) or line.amount_vnd < 0:
            raise ApplicationError(_("An amount is a whole number of đồng, not negative."), code="amount")
        reason = (line.reason or "").strip()
        if line.listed_amount_vnd is not None and line.amount_vnd != line.listed_amount_vnd and not reason:
            raise ApplicationError(
                _("Give the reason for waiving or changing “%(name)s”.") % {"name": name}, code="reason"
            )
        cleaned.append(
            LineInput(
                name=name[:255],
                amount_vnd=line.amount_vnd,
                listed_amount_vnd=line.listed_amount_vnd,
                fee_item_id=line.fee_item_id,
                reason=reason[:255],
            )
        )
    return cleaned


def _may_collect(user: User, dossier: Dossier) -> bool:
    return office_dossiers(user=user).filter(pk=dossier.pk).exists()


@transaction.atomic
def fee_request_issue(
    *,
    dossier: Dossier,
    actor: User,
    lines: list[LineInput],
    collect_when: str = CollectWhen.AFTER,
    note: str = "",
    validity: datetime.timedelta = DEFAULT_VALIDITY,
    at: datetime.datetime | None = None,
) -> FeeRequest:
    """Ask the applicant to pay: a request with its lines, a reference, the unit's account, and a notice.

    A dossier being processed moves to "fees due" (national status 6); in any other status the request is
    issued and payable all the same. Raises PermissionDenied for an official of another office and
    ApplicationError for a dossier with an open request, a total of nothing, or no collecting account.
    """
    dossier = (
        Dossier.objects.select_for_update().select_related("office__unit", "procedure").get(pk=dossier.pk)
    )
    if not _may_collect(actor, dossier):
        raise PermissionDenied(_("You may not act on this dossier."))
    if collect_when not in CollectWhen.values:
        raise ApplicationError(_("Choose when the fees are collected."), code="collect_when")
    lines = _clean_lines(lines)
    total = sum(line.amount_vnd for line in lines)
    if total <= 0:
        raise ApplicationError(_("Nothing is left to pay: every line is waived."), code="nothing_due")
    if FeeRequest.objects.filter(dossier=dossier, status__in=OPEN).exists():
        raise ApplicationError(_("This dossier already has a fee request awaiting payment."), code="open")
    account = account_for(dossier.office.unit)
    if account is None:
        raise ApplicationError(
            _("No collecting bank account is set for this unit: ask the administrator to add one."),
            code="no_account",
        )
    now = at or timezone.now()
    request = None
    for _attempt in range(5):  # 31^8 references: a collision is rare, but a unique constraint decides
        try:
            with transaction.atomic():
                request = FeeRequest.objects.create(
                    dossier=dossier,
                    reference=reference_new(),
                    verify_key=secrets.token_urlsafe(12)[:16],
                    collect_when=collect_when,
                    amount_vnd=total,
                    issued_by=actor,
                    issued_at=now,
                    expires_at=now + validity,
                    bank_bin=account.bank_bin,
                    bank_name=account.bank_name,
                    account_number=account.account_number,
                    account_name=account.account_name,
                    note=note.strip(),
                )
            break
        except IntegrityError:
            if FeeRequest.objects.filter(dossier=dossier, status__in=OPEN).exists():
                raise ApplicationError(
                    _("This dossier already has a fee request awaiting payment."), code="open"
                ) from None
    if request is None:
        raise RuntimeError("could not draw a unique payment reference")
    FeeLine.objects.bulk_create(
        FeeLine(
            request=request,
            position=i,
            name=line.name,
            amount_vnd=line.amount_vnd,
            listed_amount_vnd=line.listed_amount_vnd,
            fee_item_id=line.fee_item_id,
            adjustment_reason=line.reason,
        )
        for i, line in enumerate(lines)
    )
    if workflow.allowed(dossier, "request_fees"):
        _move(
            transitions.dossier_request_fees,
            dossier=dossier,
            actor=actor,
            amount_vnd=total,
            note=_("Payment reference %(reference)s") % {"reference": request.reference},
        )
    notify_fee_requested(request)
    return request


def _move(fn, *, dossier: Dossier, actor: User | None, **kwargs) -> bool:
    """Make the dossier's move (``actor=None``: the system, for a gateway's callback or the re-check); the
    fee request stands whether or not the move could be made, e.g. for a dossier no longer in status 6."""
    try:
        fn(dossier=dossier, actor=actor, **kwargs)  # refuses (raises) before it writes anything
    except (PermissionDenied, ApplicationError) as error:
        logger.warning("dossier %s: %s not recorded (%s)", dossier.code, fn.__name__, error)
        return False
    return True


def notify_fee_requested(request: FeeRequest) -> None:
    """E-mail and SMS to the applicant: the amount, the reference and the payment page."""
    from congso.notifications.constants import MessageChannel
    from congso.notifications.services import notification_send

    dossier = request.dossier
    context = {
        "code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "amount_vnd": request.amount_vnd,
        "reference": request.reference,
        "reference_display": reference_display(request.reference),
        "payment_url": payment_url(request),
        "expires_at": request.expires_at,
    }
    for channel, recipient in (
        (MessageChannel.EMAIL, dossier.applicant_email),
        (MessageChannel.SMS, dossier.applicant_phone),
    ):
        if not recipient:
            continue
        try:
            notification_send(
                channel=channel,
                recipient=recipient,
                template="fee_requested",
                context=context,
                dedup_key=f"fee-request:{request.pk}:{channel}",
                subject_type="fee_request",
                subject_id=request.pk,
            )
        except ApplicationError:
            logger.warning("fee request %s: no %s notification (recipient refused)", request.pk, channel)


@transaction.atomic(savepoint=False)  # part of the caller's batch: no savepoint per payment
def payment_record(
    *,
    request: FeeRequest,
    source: str,
    transaction_id: str,
    amount_vnd: int,
    paid_at: datetime.datetime,
    actor: User | None = None,
) -> tuple[Payment, bool]:
    """Record money received for ``request``; (payment, created). The same transaction twice records
    nothing the second time. Settles the request when what was received covers it."""
    transaction_id = (transaction_id or "").strip()[:100]
    if not transaction_id:
        raise ApplicationError(_("A payment needs the bank's transaction id."), code="transaction_id")
    if amount_vnd <= 0:
        raise ApplicationError(_("A payment is a positive amount."), code="amount")
    # The request's row lock orders every payment of one request (statement, callback, re-check, counter):
    # the check for the same transaction after it sees what a concurrent writer committed.
    request = (
        FeeRequest.objects.select_for_update(of=("self",))
        .select_related("dossier__office__unit")
        .defer("dossier__form_data")
        .get(pk=request.pk)
    )
    existing = Payment.objects.filter(source=source, transaction_id=transaction_id).first()
    if existing:
        return existing, False
    payment = Payment.objects.create(
        request=request,
        source=source,
        transaction_id=transaction_id,
        amount_vnd=amount_vnd,
        paid_at=paid_at,
        recorded_by=actor,
    )
    received = request.payments.aggregate(total=Sum("amount_vnd"))["total"] or 0
    if request.is_open and received >= request.amount_vnd:
        _settle(request, source=source, paid_at=paid_at, actor=actor)
    return payment, True


def _receipt_number(unit, year: int) -> int:
    """The next receipt number of the unit in the year: the UPDATE takes the row lock until commit, so two
    payments never get the same number, and a rollback gives it back."""
    sequences = ReceiptSequence.objects.filter(unit=unit, year=year)
    if not sequences.update(last=F("last") + 1):
        with transaction.atomic():
            ReceiptSequence.objects.get_or_create(unit=unit, year=year)
        sequences.update(last=F("last") + 1)
    return sequences.values_list("last", flat=True).get()


def _settle(request: FeeRequest, *, source: str, paid_at: datetime.datetime, actor: User | None) -> None:
    request.status = FeeRequestStatus.PAID
    request.paid_at = paid_at
    request.paid_source = source
    unit = request.dossier.office.unit
    year = timezone.localtime(paid_at).year
    request.receipt_unit, request.receipt_year, request.receipt_number = (
        unit,
        year,
        _receipt_number(unit, year),
    )
    request.save(
        update_fields=[
            "status",
            "paid_at",
            "paid_source",
            "receipt_unit",
            "receipt_year",
            "receipt_number",
            "updated_at",
        ]
    )
    dossier = request.dossier
    if dossier.status == DossierStatus.FEES_DUE:
        _move(
            transitions.dossier_fees_paid,
            dossier=dossier,
            actor=actor,
            note=_("Paid, receipt %(number)s") % {"number": request.receipt_label},
        )
    logger.info("fee request %s paid (%s), receipt %s", request.reference, source, request.receipt_label)


@transaction.atomic
def fee_request_pay_at_counter(*, request: FeeRequest, actor: User, note: str = "") -> FeeRequest:
    """Cash received at the counter for the whole amount still due."""
    if not _may_collect(actor, request.dossier):
        raise PermissionDenied(_("You may not act on this dossier."))
    request = FeeRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ApplicationError(_("This fee request is not awaiting payment."), code="not_open")
    received = request.payments.aggregate(total=Sum("amount_vnd"))["total"] or 0
    payment_record(
        request=request,
        source=PaymentSource.COUNTER,
        transaction_id=f"counter-{request.pk}",
        amount_vnd=request.amount_vnd - received,
        paid_at=timezone.now(),
        actor=actor,
    )
    request.refresh_from_db()
    return request


@transaction.atomic
def fee_request_refund(*, request: FeeRequest, actor: User, reason: str) -> FeeRequest:
    """Mark a paid request refunded (the money goes back by the bank, outside congso), with the reason."""
    if not _may_collect(actor, request.dossier):
        raise PermissionDenied(_("You may not act on this dossier."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the refund."), code="reason")
    request = FeeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != FeeRequestStatus.PAID:
        raise ApplicationError(_("Only a paid request can be refunded."), code="not_paid")
    request.status = FeeRequestStatus.REFUNDED
    request.refunded_at = timezone.now()
    label = _("Refunded")
    request.note = f"{request.note}\n{label}: {reason}".strip()
    request.save(update_fields=["status", "refunded_at", "note", "updated_at"])
    return request


@transaction.atomic
def fee_request_gateway_start(*, request: FeeRequest, gateway: str, transaction_id: str) -> FeeRequest:
    """An online payment was opened at ``gateway``: remember its transaction to ask about it later."""
    request = FeeRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ApplicationError(_("This fee request is not awaiting payment."), code="not_open")
    request.gateway, request.gateway_txn_id = gateway, transaction_id
    request.gateway_started_at = timezone.now()
    request.status = FeeRequestStatus.PENDING
    request.save(update_fields=["gateway", "gateway_txn_id", "gateway_started_at", "status", "updated_at"])
    return request


@transaction.atomic
def fee_request_mark_failed(*, request: FeeRequest) -> FeeRequest:
    """The gateway says the online payment failed: still payable by transfer, flagged for the applicant."""
    FeeRequest.objects.filter(pk=request.pk, status=FeeRequestStatus.PENDING).update(
        status=FeeRequestStatus.FAILED, updated_at=timezone.now()
    )
    request.refresh_from_db()
    return request


def fee_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every open request past its expiry time; the number expired."""
    now = now or timezone.now()
    return FeeRequest.objects.filter(status__in=OPEN, expires_at__lt=now).update(
        status=FeeRequestStatus.EXPIRED, updated_at=now
    )

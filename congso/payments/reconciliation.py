"""Reconciliation from three sides: a bank statement (preview, then apply), a gateway's signed callback, and
the periodic re-check of online payments whose callback never came. All end in services.payment_record."""

import datetime
import json
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.models import User
from congso.core.exceptions import ApplicationError
from congso.dossiers.models import ReceivingOffice
from congso.payments import gateway as gateways
from congso.payments.constants import (
    CALLBACK_WINDOW,
    GATEWAY_RECHECK_AFTER,
    NEEDS_REVIEW,
    NOT_CONFIGURED,
    FeeRequestStatus,
    LineOutcome,
    LineResolution,
    PaymentSource,
)
from congso.payments.models import FeeRequest, GatewayCallback, StatementImport, StatementLine
from congso.payments.references import normalise
from congso.payments.selectors import collecting_units, fee_requests_for_official
from congso.payments.services import fee_request_mark_failed, payment_record
from congso.payments.statements import ParsedLine, classify, statement_read

logger = logging.getLogger(__name__)


def _office_ids(unit) -> list[int]:
    """The offices whose requests a unit's statement pays: the unit's own and those of the units below."""
    return list(
        ReceivingOffice.objects.filter(
            Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)
        ).values_list("pk", flat=True)
    )


def _summary(outcomes: list[str]) -> dict[str, int]:
    return {value: outcomes.count(value) for value in LineOutcome.values if outcomes.count(value)}


@transaction.atomic
def statement_preview(*, actor: User, unit, filename: str, content: bytes) -> StatementImport:
    """Read and classify a statement of ``unit``'s account; nothing is paid until it is applied."""
    if not collecting_units(user=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not import statements for this unit."))
    lines = statement_read(filename=filename, content=content)
    results = classify(lines, office_ids=_office_ids(unit))
    statement = StatementImport.objects.create(
        unit=unit, uploaded_by=actor, filename=filename[:255], summary=_summary([r.outcome for r in results])
    )
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                row=r.line.row,
                booked_on=r.line.booked_on,
                amount_vnd=r.line.amount_vnd,
                description=r.line.description,
                transaction_id=r.line.transaction_id,
                outcome=r.outcome,
                request=r.request,
                references=" ".join(r.references)[:255],
            )
            for r in results
        ],
        batch_size=500,
    )
    return statement


APPLY_BATCH = (
    200  # lines per transaction: a long statement must not hold the database's write lock for minutes
)


def statement_apply(*, statement: StatementImport, actor: User) -> StatementImport:
    """Record the matched lines as payments (settling their requests) and keep the rest for review.

    Lines are classified again now: a payment may have arrived since the preview. Applying a statement twice,
    or a second file with the same transactions, records nothing new. The lines are written
    ``APPLY_BATCH`` at a time, each batch in its own transaction; every payment is idempotent on its bank
    transaction id, so an apply cut short can be run again.
    """
    statement = StatementImport.objects.get(pk=statement.pk)
    if not collecting_units(user=actor).filter(pk=statement.unit_id).exists():
        raise PermissionDenied(_("You may not import statements for this unit."))
    if statement.applied_at:
        return statement
    rows = list(statement.lines.order_by("row"))
    parsed = [ParsedLine(r.row, r.booked_on, r.amount_vnd, r.description, r.transaction_id) for r in rows]
    results = classify(parsed, office_ids=_office_ids(statement.unit))
    now = timezone.now()
    for start in range(0, len(rows), APPLY_BATCH):
        with transaction.atomic():
            changed = []
            for row, result in zip(
                rows[start : start + APPLY_BATCH], results[start : start + APPLY_BATCH], strict=True
            ):
                references = " ".join(result.references)[:255]
                new = (result.outcome, result.request.pk if result.request else None, references)
                if (
                    new != (row.outcome, row.request_id, row.references)
                    or result.outcome == LineOutcome.MATCHED
                ):
                    changed.append(row)
                row.outcome, row.request, row.references = result.outcome, result.request, references
                if result.outcome == LineOutcome.MATCHED:
                    payment_record(
                        request=result.request,
                        source=PaymentSource.STATEMENT,
                        transaction_id=row.transaction_id,
                        amount_vnd=row.amount_vnd,
                        paid_at=_paid_at(row.booked_on, now),
                        actor=actor,
                    )
                    row.resolution = LineResolution.APPLIED
            StatementLine.objects.bulk_update(changed, ["outcome", "request", "references", "resolution"])
    summary = _summary([r.outcome for r in results])
    StatementImport.objects.filter(pk=statement.pk, applied_at__isnull=True).update(
        applied_at=now, summary=summary, updated_at=now
    )
    statement.refresh_from_db()
    return statement


def _paid_at(booked_on: datetime.date | None, now: datetime.datetime) -> datetime.datetime:
    if booked_on is None:
        return now
    moment = timezone.make_aware(datetime.datetime.combine(booked_on, datetime.time(12, 0)))
    return min(moment, now)


@transaction.atomic
def statement_line_resolve(
    *, line: StatementLine, actor: User, action: str, reference: str = "", note: str = ""
) -> StatementLine:
    """A person settles a line the import could not: "accept" records it as a payment of a request (the
    line's own, or the one named by ``reference``); "dismiss" leaves it aside with a reason."""
    line = StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)
    if not collecting_units(user=actor).filter(pk=line.statement.unit_id).exists():
        raise PermissionDenied(_("You may not import statements for this unit."))
    if line.resolution or line.outcome not in NEEDS_REVIEW or not line.statement.applied_at:
        raise ApplicationError(_("This line has nothing left to resolve."), code="resolved")
    note = (note or "").strip()
    if action == "dismiss":
        if not note:
            raise ApplicationError(_("Say why the line is set aside."), code="note")
        line.resolution = LineResolution.DISMISSED
    elif action == "accept":
        request = line.request
        if reference:
            request = fee_requests_for_official(user=actor).filter(reference=normalise(reference)).first()
            if request is None:
                raise ApplicationError(
                    _("No fee request of your units has this reference."), code="reference"
                )
        if request is None:
            raise ApplicationError(_("Give the payment reference the money is for."), code="reference")
        if line.amount_vnd <= 0:
            raise ApplicationError(_("Only incoming money can pay a fee."), code="not_credit")
        payment_record(
            request=request,
            source=PaymentSource.STATEMENT,
            transaction_id=line.transaction_id,
            amount_vnd=line.amount_vnd,
            paid_at=_paid_at(line.booked_on, timezone.now()),
            actor=actor,
        )
        line.request, line.resolution = request, LineResolution.ASSIGNED
    else:
        raise ApplicationError(_("Unknown action."), code="action")
    line.resolved_by, line.resolution_note = actor, note[:255]
    line.save(update_fields=["request", "resolution", "resolved_by", "resolution_note"])
    return line


# Callbacks


class CallbackRefused(Exception):
    """(status, message) for the gateway; nothing was changed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def callback_handle(
    *, gateway: str, timestamp: str, signature: str, body: bytes, now: datetime.datetime | None = None
) -> str:
    """Check and apply one callback; the outcome as a short word. Raises CallbackRefused.

    The body: {"transaction_id", "reference", "amount_vnd", "status": "paid"|"failed", "paid_at"?}.
    """
    secret = gateways.gateway_secret(gateway)
    if secret == NOT_CONFIGURED:
        raise CallbackRefused(503, "gateway not configured")
    if not gateways.signature_valid(secret=secret, timestamp=timestamp or "", body=body, signature=signature):
        raise CallbackRefused(401, "bad signature")
    now = now or timezone.now()
    try:
        signed_at = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise CallbackRefused(400, "bad timestamp") from None
    if abs(now - signed_at) > CALLBACK_WINDOW:
        raise CallbackRefused(401, "timestamp outside the allowed window")
    try:
        data = json.loads(body)
        transaction_id = str(data["transaction_id"]).strip()[:100]
        reference = normalise(str(data["reference"]))
        amount = int(data["amount_vnd"])
        state = str(data["status"])
    except (ValueError, KeyError, TypeError):
        raise CallbackRefused(400, "malformed body") from None
    if not transaction_id or state not in ("paid", "failed") or amount < 0:
        raise CallbackRefused(400, "malformed body")
    with transaction.atomic():
        try:
            with transaction.atomic():
                callback = GatewayCallback.objects.create(
                    gateway=gateway,
                    transaction_id=transaction_id,
                    state=state,
                    signed_at=signed_at,
                    payload=data,
                )
        except IntegrityError:
            return "duplicate"  # a replay, or the gateway retrying: already handled
        request = FeeRequest.objects.filter(reference=reference).first()
        if request is None:
            outcome = "unknown_reference"
        elif state == "failed":
            fee_request_mark_failed(request=request)
            outcome = "failed"
        elif amount <= 0:
            outcome = "no_amount"
        else:
            payment_record(
                request=request,
                source=PaymentSource.GATEWAY,
                transaction_id=transaction_id,
                amount_vnd=amount,
                paid_at=now,
                actor=None,
            )
            request.refresh_from_db(fields=["status"])
            # "recorded": money for a request it does not (or no longer) settle, for a person to look at
            outcome = "paid" if request.status == FeeRequestStatus.PAID else "recorded"
        callback.outcome = outcome
        callback.save(update_fields=["outcome"])
    logger.info("callback %s/%s: %s", gateway, transaction_id, outcome)
    return outcome


def gateway_recheck(
    *, now: datetime.datetime | None = None, older_than=GATEWAY_RECHECK_AFTER, limit=200
) -> int:
    """Ask the gateway about pending online payments silent for ``older_than``; the number settled."""
    client = gateways.gateway_client()
    if client is None:
        return 0
    now = now or timezone.now()
    due = (
        FeeRequest.objects.filter(
            status="pending", gateway=client.name, gateway_started_at__lt=now - older_than
        )
        .filter(Q(gateway_checked_at__isnull=True) | Q(gateway_checked_at__lt=now - older_than))
        .exclude(gateway_txn_id="")
        .order_by(F("gateway_checked_at").asc(nulls_first=True), "gateway_started_at")[:limit]
    )
    settled = 0
    for request in list(due):
        try:
            status = client.transaction_status(request.gateway_txn_id)
        except Exception:  # a gateway that is down is asked again next time
            logger.warning("gateway %s: no answer for %s", client.name, request.gateway_txn_id, exc_info=True)
            continue
        with transaction.atomic():
            if status.state == "paid" and status.amount_vnd > 0:
                _, created = payment_record(
                    request=request,
                    source=PaymentSource.GATEWAY,
                    transaction_id=request.gateway_txn_id,
                    amount_vnd=status.amount_vnd,
                    paid_at=status.paid_at or now,
                    actor=None,
                )
                settled += created
            elif status.state == "failed":
                fee_request_mark_failed(request=request)
            FeeRequest.objects.filter(pk=request.pk).update(gateway_checked_at=now)
    return settled

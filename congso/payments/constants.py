import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeRequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting payment")
    PAID = "paid", _("paid")
    FAILED = "failed", _("payment failed")
    EXPIRED = "expired", _("expired")
    REFUNDED = "refunded", _("refunded")


# A request that can still be paid: a failed online attempt does not stop a bank transfer.
OPEN = (FeeRequestStatus.PENDING, FeeRequestStatus.FAILED)


class CollectWhen(models.TextChoices):
    BEFORE = "before", _("before processing")  # thu trước khi giải quyết
    AFTER = "after", _("during or after processing")


class PaymentSource(models.TextChoices):
    STATEMENT = "statement", _("bank statement")  # sao kê ngân hàng
    GATEWAY = "gateway", _("payment gateway")
    COUNTER = "counter", _("cash at the counter")


ONLINE_SOURCES = (PaymentSource.STATEMENT, PaymentSource.GATEWAY)


class LineOutcome(models.TextChoices):
    MATCHED = "matched", _("matched")
    PARTIAL = "partial", _("less than due")
    OVERPAID = "overpaid", _("more than due")
    AMBIGUOUS = "ambiguous", _("several references")
    UNMATCHED = "unmatched", _("no reference found")
    ALREADY_PAID = "already_paid", _("request already settled")
    DUPLICATE = "duplicate", _("already imported")
    NOT_CREDIT = "not_credit", _("not an incoming transfer")


# Outcomes a person must look at; the others are applied or skipped by themselves.
NEEDS_REVIEW = (
    LineOutcome.PARTIAL,
    LineOutcome.OVERPAID,
    LineOutcome.AMBIGUOUS,
    LineOutcome.UNMATCHED,
    LineOutcome.ALREADY_PAID,
)


class LineResolution(models.TextChoices):
    OPEN = "", _("to resolve")
    APPLIED = "applied", _("applied")
    ASSIGNED = "assigned", _("assigned by hand")
    DISMISSED = "dismissed", _("dismissed")


DEFAULT_VALIDITY = datetime.timedelta(days=30)  # a request not paid by then expires
GATEWAY_RECHECK_AFTER = datetime.timedelta(minutes=15)  # ask the gateway about a silent transaction
CALLBACK_WINDOW = datetime.timedelta(minutes=5)
NOT_CONFIGURED = "not configured"
STATEMENT_MAX_LINES = 20_000

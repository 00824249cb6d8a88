"""Every permission-scoped read of payments. A citizen sees only their own dossiers' requests; an official
only those of the offices of their units (congso.dossiers.queues.office_dossiers)."""

import datetime

from django.db.models import Count, Q, QuerySet

from congso.accounts.constants import StaffRole
from congso.accounts.selectors import user_units
from congso.dossiers.models import ReceivingOffice
from congso.dossiers.queues import OFFICE_ROLES
from congso.dossiers.selectors import dossiers_of_applicant
from congso.payments.constants import NEEDS_REVIEW, ONLINE_SOURCES, FeeRequestStatus
from congso.payments.models import FeeRequest, StatementImport, StatementLine

# Who imports statements and resolves their lines: the service centre's officers and the unit's leaders.
COLLECTING_ROLES = [StaffRole.ONE_STOP_OFFICER, StaffRole.UNIT_LEADER]


def _office_ids(user) -> list[int]:
    units = user_units(user=user, roles=OFFICE_ROLES)
    return list(ReceivingOffice.objects.filter(unit__in=units).values_list("pk", flat=True))


def fee_requests_for_official(*, user) -> QuerySet[FeeRequest]:
    """The requests of dossiers received by the official's offices, newest first."""
    return (
        FeeRequest.objects.filter(dossier__office_id__in=_office_ids(user))
        .select_related("dossier", "dossier__office")
        .order_by("-issued_at", "-id")
    )


def fee_requests_of_applicant(*, user) -> QuerySet[FeeRequest]:
    return FeeRequest.objects.filter(dossier__in=dossiers_of_applicant(user=user).values("pk")).order_by(
        "-issued_at"
    )


def fee_request_for_viewer(*, user, reference: str) -> FeeRequest:
    """The request if ``user`` is its dossier's applicant or an official of its office; else
    ``FeeRequest.DoesNotExist`` (nobody else learns that it exists)."""
    if not user.is_authenticated:
        raise FeeRequest.DoesNotExist
    scope = Q(dossier__in=dossiers_of_applicant(user=user).values("pk"))
    if user.is_official:
        scope |= Q(dossier__office_id__in=_office_ids(user))
    return (
        FeeRequest.objects.filter(scope)
        .select_related("dossier", "dossier__procedure", "dossier__office", "dossier__office__unit")
        .prefetch_related("lines")
        .get(reference=reference)
    )


def fee_requests_of_dossier(*, dossier) -> QuerySet[FeeRequest]:
    """A dossier's requests, newest first, for the dossier pages (the caller has already scoped the dossier):
    the open one links to its payment page, a paid one to its receipt."""
    return FeeRequest.objects.filter(dossier=dossier).order_by("-issued_at", "-id")


def fee_request_by_verify_key(*, key: str) -> FeeRequest | None:
    """For the public receipt check (the QR on the receipt): only a paid or refunded request."""
    return (
        FeeRequest.objects.filter(verify_key=key, receipt_number__isnull=False)
        .select_related("dossier__office", "receipt_unit")
        .first()
    )


def collecting_units(*, user):
    """The units whose bank statements the user may import."""
    return user_units(user=user, roles=COLLECTING_ROLES)


def statements_for_official(*, user) -> QuerySet[StatementImport]:
    return (
        StatementImport.objects.filter(unit__in=collecting_units(user=user))
        .select_related("unit", "uploaded_by")
        .order_by("-created_at", "-id")
    )


def lines_to_resolve(*, user) -> QuerySet[StatementLine]:
    """Applied statement lines still waiting for a person."""
    return (
        StatementLine.objects.filter(
            statement__unit__in=collecting_units(user=user),
            statement__applied_at__isnull=False,
            outcome__in=NEEDS_REVIEW,
            resolution="",
        )
        .select_related("statement", "request")
        .order_by("statement_id", "row")
    )


def payments_paid_by_unit(*, start: datetime.datetime, end: datetime.datetime) -> dict[str, dict]:
    """Per receiving office's unit code, for requests issued in [start, end): how many, how many paid (or
    later refunded), how many of those paid online (bank transfer or gateway). For the operations centre."""
    paid = Q(status__in=[FeeRequestStatus.PAID, FeeRequestStatus.REFUNDED])
    rows = (
        FeeRequest.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .values("dossier__office__unit__code")
        .annotate(
            requests=Count("id"),
            paid=Count("id", filter=paid),
            paid_online=Count("id", filter=paid & Q(paid_source__in=ONLINE_SOURCES)),
        )
    )
    return {
        row["dossier__office__unit__code"]: {
            "requests": row["requests"],
            "paid": row["paid"],
            "paid_online": row["paid_online"],
        }
        for row in rows
    }

"""The officers' queues: each one a queryset scoped to the units the official works in."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts.constants import OFFICE_ROLES
from congso.accounts.selectors import user_units
from congso.core import calendar
from congso.dossiers.constants import CLOSED, DossierStatus
from congso.dossiers.models import Dossier, ReceivingOffice

OPEN = ~Q(status__in=[*CLOSED, DossierStatus.RESULT_READY])


def _queues(now, soon) -> dict[str, tuple[str, Q]]:
    return {
        "cho-tiep-nhan": (_("Waiting for acceptance"), Q(status=DossierStatus.SUBMITTED)),
        "moi-tiep-nhan": (_("Newly accepted"), Q(status=DossierStatus.RECEIVED)),
        "dang-xu-ly": (_("Processing"), Q(status__in=[DossierStatus.PROCESSING, DossierStatus.FEES_DUE])),
        "cho-bo-sung": (_("Waiting for a supplement"), Q(status=DossierStatus.SUPPLEMENT_REQUESTED)),
        "sap-den-han": (_("Due within one working day"), OPEN & Q(due_at__gte=now, due_at__lte=soon)),
        "qua-han": (_("Overdue"), OPEN & Q(due_at__lt=now)),
        "cho-tra": (_("Waiting to return"), Q(status=DossierStatus.RESULT_READY)),
        "da-tra": (_("Returned"), Q(status=DossierStatus.RETURNED)),
    }


@dataclass(frozen=True)
class QueueFilters:
    procedure: str = ""
    channel: int | None = None
    date_from: object = None
    date_to: object = None


def _office_ids(*, user) -> list[int]:
    units = user_units(user=user, roles=OFFICE_ROLES)
    return sorted(ReceivingOffice.objects.filter(unit__in=units).values_list("pk", flat=True))


def office_dossiers(*, user, office_ids: list[int] | None = None) -> QuerySet[Dossier]:
    """Every dossier received by an office of a unit the official works in (never another commune's).

    The offices are looked up first (one small query) and the dossiers filtered by their ids: with a subquery
    PostgreSQL misjudges how many offices match and scans the whole dossier table (bench/office_queue.py:
    0.25–0.7 s per queue page at 1,000,000 dossiers).
    """
    if office_ids is None:
        office_ids = _office_ids(user=user)
    return Dossier.objects.filter(office_id__in=office_ids)


def office_dossier(*, user, code: str) -> Dossier:
    """One dossier of the official's units; raises ``Dossier.DoesNotExist`` for any other (another commune's
    dossier does not exist for them)."""
    return office_dossiers(user=user).select_related("procedure", "office", "office__unit").get(code=code)


def office_queue(*, user, queue: str, filters: QueueFilters = QueueFilters()):
    """(title, dossiers, counts per queue) for one queue; two queries whatever the page length.

    The counts of the tabs are one aggregate over all the offices' dossiers (a third of a queue page's time
    at 15,000 dossiers an office, bench/office_queue.py), so they are cached for ``CONGSO_QUEUE_COUNTS_TTL``
    seconds per set of offices and filters: a badge a few seconds old is fine; the list itself never is."""
    now = timezone.now()
    queues = _queues(now, calendar.add_working_days(now, days=1))
    title, condition = queues.get(queue) or queues["cho-tiep-nhan"]
    office_ids = _office_ids(user=user)
    base = office_dossiers(user=user, office_ids=office_ids)
    if filters.procedure:
        base = base.filter(procedure__code=filters.procedure)
    if filters.channel:
        base = base.filter(channel=filters.channel)
    if filters.date_from:
        base = base.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        base = base.filter(submitted_at__date__lte=filters.date_to)
    ttl = getattr(settings, "CONGSO_QUEUE_COUNTS_TTL", 30)
    cache_key = "queue-counts:" + hashlib.sha256(repr((office_ids, filters)).encode()).hexdigest()
    counts = cache.get(cache_key) if ttl else None
    if counts is None:
        counts = base.aggregate(
            **{key.replace("-", "_"): Count("pk", filter=q) for key, (_, q) in queues.items()}
        )
        if ttl:
            cache.set(cache_key, counts, ttl)
    dossiers = base.filter(condition).select_related("procedure", "office").order_by("due_at", "submitted_at")
    tabs = [(key, label, counts[key.replace("-", "_")]) for key, (label, _) in queues.items()]
    return title, dossiers, tabs


@dataclass(frozen=True)
class OnTimeRow:
    name: str
    finished: int
    on_time: int
    early: int

    @property
    def late(self) -> int:
        return self.finished - self.on_time

    @property
    def rate(self) -> int | None:
        """On-time percentage rounded down; None when nothing was finished."""
        return self.on_time * 100 // self.finished if self.finished else None


def on_time_figures(*, dossiers: QuerySet[Dossier], start, end) -> tuple[list[OnTimeRow], list[OnTimeRow]]:
    """Per unit and per officer in charge, the ``dossiers`` (already scoped to who asks) whose processing
    ended in [start, end): finished, on time (``processing_ended_at <= due_at``; no deadline is not "on
    time"), early (ended on an earlier day than due). Two grouped queries whatever the number of dossiers.
    The on-time page and the leaders' daily digest both read these."""
    from django.db.models import F
    from django.db.models.functions import TruncDate

    finished = dossiers.filter(processing_ended_at__gte=start, processing_ended_at__lt=end)
    on_time = Q(due_at__isnull=False, processing_ended_at__lte=F("due_at"))
    # Earlier local day than the due date (TruncDate in the current time zone, on both sides).
    finished = finished.annotate(_ended_day=TruncDate("processing_ended_at"), _due_day=TruncDate("due_at"))
    early = on_time & Q(_ended_day__lt=F("_due_day"))

    def grouped(*fields: str) -> list[dict]:
        return list(
            finished.values(*fields)
            .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time), early=Count("pk", filter=early))
            .order_by(*fields[1:])
        )

    units = [
        OnTimeRow(row["office__unit__full_name"], row["n"], row["on_time"], row["early"])
        for row in grouped("office__unit", "office__unit__full_name")
    ]
    officers = [
        OnTimeRow(
            row["assigned_to__full_name"] or row["assigned_to__email"] or "",
            row["n"],
            row["on_time"],
            row["early"],
        )
        for row in grouped("assigned_to", "assigned_to__full_name", "assigned_to__email")
    ]
    return units, officers

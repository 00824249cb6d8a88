import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congso.accounts.constants import StaffRole
from congso.accounts.models import User
from congso.accounts.selectors import user_units
from congso.audit.models import PersonalDataAccess
from congso.core import calendar
from congso.dossiers.models import Dossier
from congso.dossiers.queues import OPEN, OnTimeRow, on_time_figures


def leader_units(*, user: User):
    return user_units(user=user, roles=[StaffRole.UNIT_LEADER])


def personal_data_accesses(
    *,
    user: User,
    viewer_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[PersonalDataAccess]:
    """The accesses to dossiers of the units ``user`` leads (and the units below them), newest first; empty
    for anyone who leads no unit. Dates are local days, both ends included."""
    accesses = PersonalDataAccess.objects.filter(unit__in=leader_units(user=user))
    if viewer_id:
        accesses = accesses.filter(viewer_id=viewer_id)
    if date_from:
        accesses = accesses.filter(viewed_at__gte=_day_start(date_from))
    if date_to:
        accesses = accesses.filter(viewed_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return accesses.select_related("viewer", "dossier", "unit").order_by("-viewed_at", "-id")


def access_viewers(*, user: User) -> QuerySet[User]:
    """The officials who appear in the leader's log, for the filter."""
    viewer_ids = PersonalDataAccess.objects.filter(unit__in=leader_units(user=user)).values("viewer_id")
    return User.objects.filter(pk__in=viewer_ids).order_by("full_name", "email")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class DigestFigures:
    day: datetime.date
    received_today: int
    overdue: int
    due_soon: int  # open, due within one working day
    finished_this_month: int
    on_time_this_month: int
    units: list[OnTimeRow] = field(default_factory=list)
    officers: list[OnTimeRow] = field(default_factory=list)

    @property
    def on_time_rate(self) -> int | None:
        """Percentage, rounded down; None when nothing was finished."""
        if not self.finished_this_month:
            return None
        return self.on_time_this_month * 100 // self.finished_this_month


def leader_digest_figures(*, user: User, now: datetime.datetime) -> DigestFigures:
    """A unit leader's daily figures for the dossiers of the units they lead, in three aggregate queries:

    - received today: accepted (``received_at``) since local midnight;
    - overdue: open dossiers past ``due_at``; due soon: open dossiers due within one working day;
    - this month's on-time figures per unit and per officer in charge: dossiers whose processing ended this
      month (local), on time when ``processing_ended_at <= due_at`` (a dossier without a deadline is not
      counted as on time).
    """
    day = timezone.localdate(now)
    midnight = _day_start(day)
    month_start = _day_start(day.replace(day=1))
    soon = calendar.add_working_days(now, days=1)
    dossiers = Dossier.objects.filter(office__unit__in=leader_units(user=user))

    counts = dossiers.aggregate(
        received_today=Count("pk", filter=Q(received_at__gte=midnight, received_at__lte=now)),
        overdue=Count("pk", filter=OPEN & Q(due_at__lt=now)),
        due_soon=Count("pk", filter=OPEN & Q(due_at__gte=now, due_at__lte=soon)),
    )
    # Up to and including ``now``: the selector's end is exclusive.
    units, officers = on_time_figures(
        dossiers=dossiers, start=month_start, end=now + datetime.timedelta(microseconds=1)
    )
    return DigestFigures(
        day=day,
        received_today=counts["received_today"],
        overdue=counts["overdue"],
        due_soon=counts["due_soon"],
        finished_this_month=sum(u.finished for u in units),
        on_time_this_month=sum(u.on_time for u in units),
        units=units,
        officers=officers,
    )

import datetime

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from congso.accounts.selectors import user_units
from congso.dossiers.queues import OFFICE_ROLES
from congso.feedback.constants import OPEN, FeedbackStatus
from congso.feedback.models import Feedback, Rating


def overdue_condition(now: datetime.datetime) -> Q:
    """Not acknowledged in time, or not answered in time."""
    late_ack = Q(status=FeedbackStatus.RECEIVED, acknowledge_due_at__lt=now)
    late_answer = Q(status__in=OPEN, answer_due_at__lt=now)
    return late_ack | late_answer


def feedback_of_official(*, user, now: datetime.datetime | None = None) -> QuerySet[Feedback]:
    """The feedback about the offices of the units the official works in (never another commune's), each
    with ``is_overdue``; open ones first, by their answer deadline."""
    now = now or timezone.now()
    units = user_units(user=user, roles=OFFICE_ROLES)
    return (
        Feedback.objects.filter(office__unit__in=units)
        .select_related("dossier", "office", "author")
        .annotate(
            is_overdue=Case(
                When(overdue_condition(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_open=Case(
                When(status__in=OPEN, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("-is_open", "answer_due_at", "pk")
    )


def feedback_for_official(*, user, pk: int) -> Feedback:
    """One feedback of the official's units; raises ``Feedback.DoesNotExist`` for any other."""
    return feedback_of_official(user=user).get(pk=pk)


def feedback_overdue(*, user, now: datetime.datetime | None = None) -> QuerySet[Feedback]:
    """The official's feedback past its acknowledgement or answer deadline, most overdue first."""
    now = now or timezone.now()
    return (
        feedback_of_official(user=user, now=now)
        .filter(overdue_condition(now))
        .order_by("acknowledge_due_at", "pk")
    )


def feedback_of_author(*, user) -> QuerySet[Feedback]:
    """A citizen's own feedback, newest first."""
    return Feedback.objects.filter(author=user).select_related("dossier", "office").order_by("-created_at")


def feedback_published(*, office_id: int | None = None) -> QuerySet[Feedback]:
    """Answered feedback made public, newest answer first: what anyone may read."""
    items = Feedback.objects.filter(published_at__isnull=False, status=FeedbackStatus.ANSWERED)
    if office_id is not None:
        items = items.filter(office_id=office_id)
    return items.select_related("office", "author").order_by("-published_at", "-pk")


def rating_of_dossier(*, dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.selectors import user_units
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.core.qr import public_base_url
from congso.dossiers.models import Dossier, ReceivingOffice
from congso.dossiers.queues import OFFICE_ROLES
from congso.feedback.constants import (
    ACKNOWLEDGE_WITHIN_DAYS,
    ANSWER_MAX_LENGTH,
    ANSWER_WITHIN_DAYS,
    FEEDBACK_TEXT_MAX_LENGTH,
    OPEN,
    RATEABLE,
    RATING_COMMENT_MAX_LENGTH,
    FeedbackKind,
    FeedbackStatus,
    RatingLevel,
)
from congso.feedback.models import Feedback, Rating

logger = logging.getLogger(__name__)


def public_url(path: str) -> str:
    return public_base_url() + path


@transaction.atomic
def dossier_rate(*, dossier: Dossier, user, level: str, comment: str = "") -> Rating:
    """The applicant rates their finished dossier, once.

    Raises PermissionDenied for anyone but the applicant's account, ApplicationError before the result is
    ready, for a second rating, an unknown level or a comment over 1000 characters.
    """
    if dossier.applicant_user_id is None or dossier.applicant_user_id != user.pk:
        raise PermissionDenied
    # The row lock serialises two submissions of the same form; the unique dossier catches the rest.
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status not in RATEABLE:
        raise ApplicationError(_("A dossier can be rated once its result is ready."), code="not_finished")
    if level not in RatingLevel.values:
        raise ApplicationError(_("Choose a rating."), code="invalid_level")
    comment = comment.strip()
    if len(comment) > RATING_COMMENT_MAX_LENGTH:
        raise ApplicationError(
            _("The comment may have at most %(n)d characters.") % {"n": RATING_COMMENT_MAX_LENGTH},
            code="too_long",
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise ApplicationError(_("This dossier has already been rated."), code="already_rated")
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, user=user, level=level, comment=comment)
    except IntegrityError:
        raise ApplicationError(_("This dossier has already been rated."), code="already_rated") from None


def _checked_text(text: str, *, limit: int, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(empty_message, code="empty")
    if len(text) > limit:
        raise ApplicationError(
            _("The text may have at most %(n)d characters.") % {"n": limit}, code="too_long"
        )
    return text


@transaction.atomic
def feedback_submit(
    *,
    author,
    kind: str,
    text: str,
    dossier: Dossier | None = None,
    office: ReceivingOffice | None = None,
    at: datetime.datetime | None = None,
) -> Feedback:
    """Record a report or proposal about ``dossier`` (only its applicant's account may) or, without a
    dossier, about ``office``; its deadlines are fixed now, in working days from receipt."""
    if dossier is not None:
        if dossier.applicant_user_id is None or dossier.applicant_user_id != author.pk:
            raise PermissionDenied
        office = dossier.office
    if office is None:
        raise ApplicationError(_("Choose the service centre concerned."), code="no_office")
    if kind not in FeedbackKind.values:
        raise ApplicationError(_("Choose whether this is a report or a proposal."), code="invalid_kind")
    text = _checked_text(
        text, limit=FEEDBACK_TEXT_MAX_LENGTH, empty_message=_("Write your report or proposal.")
    )
    received = at or timezone.now()
    working = calendar.current_calendar()
    return Feedback.objects.create(
        kind=kind,
        author=author,
        dossier=dossier,
        office=office,
        text=text,
        created_at=received,
        acknowledge_due_at=working.add_working_days(received, days=ACKNOWLEDGE_WITHIN_DAYS),
        answer_due_at=working.add_working_days(received, days=ANSWER_WITHIN_DAYS),
    )


def _ensure_handler(*, feedback: Feedback, actor) -> None:
    """Only officials of the unit of the office concerned (or above it) handle feedback."""
    units = user_units(user=actor, roles=OFFICE_ROLES)
    if not units.filter(pk=feedback.office.unit_id).exists():
        raise PermissionDenied


def _lock(feedback: Feedback) -> None:
    """Reload the status under a row lock, so two officials cannot both move the same feedback."""
    feedback.status = (
        Feedback.objects.select_for_update().values_list("status", flat=True).get(pk=feedback.pk)
    )


@transaction.atomic
def feedback_acknowledge(*, feedback: Feedback, actor, at: datetime.datetime | None = None) -> Feedback:
    """Tell the author their feedback is being handled (within 2 working days)."""
    _ensure_handler(feedback=feedback, actor=actor)
    _lock(feedback)
    if feedback.status != FeedbackStatus.RECEIVED:
        raise ApplicationError(_("This feedback has already been acknowledged."), code="not_received")
    feedback.status = FeedbackStatus.ACKNOWLEDGED
    feedback.acknowledged_at = at or timezone.now()
    feedback.acknowledged_by = actor
    feedback.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    _notify_author(feedback=feedback, template="feedback_acknowledged")
    return feedback


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, actor, answer: str, publish: bool = False, at: datetime.datetime | None = None
) -> Feedback:
    """Answer the feedback (within 15 working days); an answer also acknowledges it if nobody had. The author
    is told by e-mail; ``publish`` makes the answer public at once."""
    _ensure_handler(feedback=feedback, actor=actor)
    _lock(feedback)
    if feedback.status not in OPEN:
        raise ApplicationError(_("This feedback has already been answered."), code="closed")
    answer = _checked_text(answer, limit=ANSWER_MAX_LENGTH, empty_message=_("Write the answer."))
    now = at or timezone.now()
    fields = ["status", "answer", "answered_at", "answered_by"]
    if feedback.acknowledged_at is None:
        feedback.acknowledged_at, feedback.acknowledged_by = now, actor
        fields += ["acknowledged_at", "acknowledged_by"]
    feedback.status = FeedbackStatus.ANSWERED
    feedback.answer, feedback.answered_at, feedback.answered_by = answer, now, actor
    if publish:
        feedback.published_at = now
        fields.append("published_at")
    feedback.save(update_fields=fields)
    _notify_author(feedback=feedback, template="feedback_answered")
    return feedback


@transaction.atomic
def feedback_publish(*, feedback: Feedback, actor, publish: bool = True) -> Feedback:
    """Make an answered feedback and its answer public, or withdraw it from the public list."""
    _ensure_handler(feedback=feedback, actor=actor)
    _lock(feedback)
    if feedback.status != FeedbackStatus.ANSWERED:
        raise ApplicationError(_("Only answered feedback can be made public."), code="not_answered")
    feedback.published_at = timezone.now() if publish else None
    feedback.save(update_fields=["published_at"])
    return feedback


def _notify_author(*, feedback: Feedback, template: str) -> None:
    """An e-mail to the author, written to the outbox in this transaction; once per feedback and step."""
    from congso.notifications.constants import MessageChannel
    from congso.notifications.services import notification_send

    email = feedback.author.email if feedback.author_id else ""
    if not email:
        return
    try:
        notification_send(
            channel=MessageChannel.EMAIL,
            recipient=email,
            template=template,
            context={
                "number": feedback.pk,
                "kind": feedback.get_kind_display(),
                "office": feedback.office.name,
                "answer": feedback.answer,
                "answer_due_at": feedback.answer_due_at,
                "url": public_url(reverse("feedback:mine")),
            },
            dedup_key=f"feedback:{feedback.pk}:{template}",
            subject_type="feedback",
            subject_id=feedback.pk,
        )
    except ApplicationError:
        logger.warning("feedback %s: no e-mail (recipient refused)", feedback.pk)

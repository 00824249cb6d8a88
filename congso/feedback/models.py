from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.feedback.constants import (
    RATING_COMMENT_MAX_LENGTH,
    FeedbackKind,
    FeedbackStatus,
    RatingLevel,
)


class Rating(models.Model):
    """The applicant's evaluation of one finished dossier (đánh giá mức độ hài lòng): one per dossier."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="rating"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=16, choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


class Feedback(models.Model):
    """A report or proposal (phản ánh, kiến nghị) about a dossier or, free-standing, about an office.

    Both deadlines are fixed at receipt, in working days (``congso.core.calendar``).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    # For feedback about a dossier, the dossier's office: the scope of the officials who handle it.
    office = models.ForeignKey(
        "dossiers.ReceivingOffice",
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    text = models.TextField(_("content"))
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    acknowledge_due_at = models.DateTimeField(_("acknowledgement due at"))
    answer_due_at = models.DateTimeField(_("answer due at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The answer made public (công khai kết quả xử lý phản ánh, kiến nghị), the author's name masked.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("report or proposal")
        verbose_name_plural = _("reports and proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "status", "answer_due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.notifications.constants import UNFINISHED_STATUSES, MessageChannel, MessageStatus
from congso.notifications.text import mask_recipient


class Message(models.Model):
    """The outbox: one row per notification, written in the transaction of the business event it reports and
    sent afterwards by a task. Holds the text exactly as the person reads it (rendered when queued)."""

    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(
        _("recipient"), max_length=254, help_text=_("e-mail address or phone number")
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    template = models.CharField(_("template"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("when the sweep queues it again if it is still not sent"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message ID"), max_length=255, blank=True)
    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        blank=True,
        help_text=_("one message per business event, e.g. dossier:123:received:email"),
    )
    # What the message is about, without a generic foreign key: e.g. ("dossier", 123).
    subject_type = models.CharField(_("about (type)"), max_length=50, blank=True)
    subject_id = models.BigIntegerField(_("about (ID)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"], condition=~Q(dedup_key=""), name="notifications_message_dedup_key"
            )
        ]
        indexes = [
            # The sweep's query; sent and given-up messages, the bulk of the table, stay out of the index.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=UNFINISHED_STATUSES),
                name="notifications_message_due",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="notifications_message_about"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.masked_recipient} · {self.template or self.subject}"

    @property
    def masked_recipient(self) -> str:
        return mask_recipient(self.recipient)

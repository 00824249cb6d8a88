from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.sync.constants import UNFINISHED_STATUSES, SyncKind, SyncStatus


class SyncMessage(models.Model):
    """The outbox towards the national public-service portal (DVCQG): one row per push, written in the
    transaction of the change it reports, with the payload built then, and sent afterwards by a task."""

    kind = models.CharField(_("kind"), max_length=10, choices=SyncKind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        verbose_name=_("dossier event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=100,
        unique=True,
        help_text=_("one push per change, e.g. dossier:123:received or event:456; sent as Idempotency-Key"),
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("when the sweep queues it again if it is still not sent"),
    )
    last_error = models.TextField(_("last error"), blank=True)
    response = models.TextField(_("last response"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("national portal message")
        verbose_name_plural = _("national portal messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=UNFINISHED_STATUSES),
                name="sync_message_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.idempotency_key}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One official's view of a dossier's personal data (nhật ký truy cập dữ liệu cá nhân): who, when, what.

    Append-only. The applicant is kept masked, so the log itself discloses nothing; ``unit`` is the dossier's
    unit at the time of the view, which scopes the log for the unit leader in one indexed filter."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        on_delete=models.PROTECT,  # an audit trail outlives accounts: deactivate, never delete
        related_name="+",
    )
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.CharField(
        _("applicant (masked)"), max_length=200, help_text=_("Name initials and the ends of the ID number.")
    )
    what = models.CharField(_("what was viewed"), max_length=50)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-viewed_at"], name="audit_access_unit_time"),
            models.Index(fields=["viewer", "-viewed_at"], name="audit_access_viewer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.what} {self.dossier_id} {self.viewed_at:%Y-%m-%d %H:%M}"


class AuditEventQuerySet(models.QuerySet):
    """Append-only: rows are never changed or removed through the ORM (PostgreSQL refuses it too)."""

    def update(self, **kwargs):
        raise AuditImmutableError("audit events cannot be changed")

    def delete(self):
        raise AuditImmutableError("audit events cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be changed")


class AuditImmutableError(Exception):
    pass


class AuditEvent(models.Model):
    """One entry of the tamper-evident audit log (nhật ký kiểm toán): who did what to what, when.

    Each row stores the hash of the row before it and its own SHA-256 over a canonical serialisation
    (``congso.audit.chain.canonical``), so changing, removing or inserting a row anywhere breaks the chain
    from there on; ``manage.py audit_verify`` finds the first broken link. Rows are appended by
    ``congso.audit.chain.audit_record`` only. ``actor`` is kept without a database constraint: the log
    outlives accounts."""

    seq = models.PositiveBigIntegerField(_("position in the chain"), unique=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_event_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """The single row holding the chain's last position and hash. Appenders lock it (SELECT ... FOR UPDATE)
    so that two concurrent writers cannot both extend the same tail and fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

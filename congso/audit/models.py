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

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congso.sync.models import SyncMessage
from congso.sync.services import sync_send_again


@admin.register(SyncMessage)
class SyncMessageAdmin(admin.ModelAdmin):
    """The outbox towards the national portal, read-only; find a dossier's pushes by its code."""

    list_display = ["pk", "kind", "dossier", "status", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=dossier__code", "=idempotency_key"]
    ordering = ["-pk"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    actions = ["send_again_now"]
    fields = [
        "kind",
        "dossier",
        "event",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "response",
        "sent_at",
        "created_at",
        "payload",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # rows are written by congso.sync.services only

    @admin.action(description=_("Send again now"), permissions=["change"])
    def send_again_now(self, request, queryset):
        queued = sum(sync_send_again(message=message) for message in queryset)
        skipped = len(queryset) - queued
        self.message_user(
            request,
            ngettext("%(count)d push queued.", "%(count)d pushes queued.", queued) % {"count": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d push left alone: already sent or being sent.",
                    "%(count)d pushes left alone: already sent or being sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

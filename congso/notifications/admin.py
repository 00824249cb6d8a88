from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congso.notifications.models import Message
from congso.notifications.services import message_send_again
from congso.notifications.text import phone_normalize


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox, read-only. Recipients are masked everywhere here; find a person's messages by searching
    their exact e-mail address or phone number (ten digits starting with 0)."""

    list_display = [
        "pk",
        "channel",
        "masked_recipient",
        "template",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", "channel", "template", "subject_type"]
    search_fields = ["=recipient", "=dedup_key", "=provider_message_id"]
    ordering = ["-pk"]
    date_hierarchy = "created_at"
    actions = ["send_again_now"]
    fields = [
        "channel",
        "masked_recipient",
        "subject",
        "body",
        "html_body",
        "template",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "provider_message_id",
        "dedup_key",
        "subject_type",
        "subject_id",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Message) -> str:
        return obj.masked_recipient

    def get_search_results(self, request, queryset, search_term):
        # Numbers are stored as ten digits: "+84 912 345 678" finds 0912345678.
        return super().get_search_results(request, queryset, phone_normalize(search_term) or search_term)

    def has_add_permission(self, request) -> bool:
        return False  # messages are written by notification_send only

    @admin.action(description=_("Send again now"), permissions=["change"])
    def send_again_now(self, request, queryset):
        queued = sum(message_send_again(message=message) for message in queryset)
        skipped = len(queryset) - queued
        self.message_user(
            request,
            ngettext("%(count)d message queued.", "%(count)d messages queued.", queued) % {"count": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message left alone: already sent or being sent.",
                    "%(count)d messages left alone: already sent or being sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

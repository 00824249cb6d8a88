from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congso.api.auth import api_token_issue
from congso.api.models import ApiClient, ApiToken

TOKEN_FIELDS = ["prefix", "created_at", "expires_at", "revoked_at"]


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    fields = TOKEN_FIELDS
    readonly_fields = TOKEN_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # tokens are issued by the action, which shows them once


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_used_at"]
    list_select_related = ["user"]
    inlines = [ApiTokenInline]
    actions = ["issue_token"]

    @admin.action(description=_("Issue a new token"), permissions=["change"])
    def issue_token(self, request, queryset):
        # The token is shown in this message and nowhere else: only its hash is stored.
        for client in queryset:
            token = api_token_issue(client=client)
            self.message_user(
                request,
                _("New token for %(client)s: %(token)s — copy it now, it will not be shown again.")
                % {"client": client.name, "token": token},
                messages.SUCCESS,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "client", *TOKEN_FIELDS[1:]]
    list_filter = ["client"]
    search_fields = ["prefix", "client__name"]
    fields = ["client", *TOKEN_FIELDS]
    readonly_fields = ["client", "prefix", "created_at", "revoked_at"]
    list_select_related = ["client"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # issued from the client's page, where the token is shown once

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )

from django.contrib import admin

from congso.audit.models import AuditEvent, PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by the application alone."""

    list_display = ["viewed_at", "viewer", "dossier", "applicant", "what", "unit", "ip_address"]
    list_filter = ["what"]
    search_fields = ["dossier__code", "viewer__email", "viewer__full_name"]
    date_hierarchy = "viewed_at"
    list_select_related = ["viewer", "dossier", "unit"]
    raw_id_fields = ["viewer", "dossier", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: appended by congso.audit.chain.audit_record alone, verified by manage.py audit_verify."""

    list_display = ["seq", "at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_id"]
    date_hierarchy = "at"
    raw_id_fields = ["actor"]
    readonly_fields = [
        "seq",
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "data",
        "prev_hash",
        "hash",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from congso.payments.models import CollectingAccount, FeeLine, FeeRequest, StatementImport


@admin.register(CollectingAccount)
class CollectingAccountAdmin(admin.ModelAdmin):
    list_display = ["unit", "bank_name", "bank_bin", "account_number", "account_name", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["unit__name", "unit__code", "account_number", "account_name"]
    autocomplete_fields = ["unit"]


class FeeLineInline(admin.TabularInline):
    model = FeeLine
    extra = 0
    readonly_fields = ["fee_item"]


@admin.register(FeeRequest)
class FeeRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "dossier", "amount_vnd", "status", "issued_at", "paid_at"]
    list_filter = ["status", "paid_source"]
    search_fields = ["reference", "dossier__code"]
    readonly_fields = ["reference", "verify_key", "receipt_unit", "receipt_year", "receipt_number"]
    raw_id_fields = ["dossier", "issued_by"]
    inlines = [FeeLineInline]


@admin.register(StatementImport)
class StatementImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "unit", "uploaded_by", "created_at", "applied_at"]
    readonly_fields = ["summary"]
    raw_id_fields = ["unit", "uploaded_by"]

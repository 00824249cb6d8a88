from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime

WHERE_AND_HOW = [
    *("levels", "at_commune", "at_province", "at_central", "implementing_agency", "competent_authority"),
    *("issuing_body", "procedure_type", "applicants", "result_type", "online_level"),
]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "effective_from", "effective_to", "publication_decision", "is_structured"]
    show_change_link = True
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "levels", "online_level", "popularity", "is_active"]
    list_filter = ["is_active", "at_commune", "at_province", "online_level", "issuing_body"]
    search_fields = ["code", "name", "search_name", "field"]
    readonly_fields = ["search_name", "search_extra", "created_at", "updated_at"]
    list_per_page = 50
    inlines = [VersionInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "is_active", "popularity"]}),
        (_("Where and how"), {"fields": WHERE_AND_HOW}),
        (_("Source"), {"fields": ["source", "source_note", "source_url", "created_at", "updated_at"]}),
    ]


class ComponentInline(admin.StackedInline):
    model = DossierComponent
    extra = 0


class ProcessingTimeInline(admin.TabularInline):
    model = ProcessingTime
    extra = 0


class FeeInline(admin.TabularInline):
    model = FeeItem
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "effective_from", "effective_to", "is_structured"]
    list_filter = ["is_structured", "supplement_rule"]
    search_fields = ["procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]
    list_select_related = ["procedure"]
    inlines = [ComponentInline, ProcessingTimeInline, FeeInline]

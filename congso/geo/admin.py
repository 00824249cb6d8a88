from django.contrib import admin

from congso.geo.models import AdministrativeUnit, UnitSuccession


class PredecessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    raw_id_fields = ["predecessor"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "unit_type", "parent", "effective_to", "is_demo"]
    list_filter = ["level", "unit_type", "is_demo"]
    search_fields = ["code", "full_name", "search_key", "former_district"]
    raw_id_fields = ["parent"]
    readonly_fields = ["search_key"]
    exclude = ["boundary"]
    inlines = [PredecessorInline]
    list_select_related = ["parent"]

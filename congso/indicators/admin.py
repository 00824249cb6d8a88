from django.contrib import admin

from congso.indicators.models import (
    Alert,
    AlertRule,
    DataElement,
    Domain,
    FormGrant,
    ImportJob,
    Indicator,
    Legend,
    LegendSet,
    Option,
    OptionSet,
    ReportingForm,
    Target,
)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(OptionSet)
class OptionSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [OptionInline]


@admin.register(ReportingForm)
class ReportingFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "period_type", "owner_agency", "deadline_days", "is_computed"]
    list_filter = ["period_type", "is_computed", "domain"]
    search_fields = ["code", "name", "owner_agency"]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "form", "aggregation_type", "value_type", "option_set"]
    list_filter = ["aggregation_type", "form"]
    search_fields = ["code", "name"]
    list_select_related = ["form", "option_set"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "pillar", "frequency", "factor"]
    list_filter = ["pillar", "frequency"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


class LegendInline(admin.TabularInline):
    model = Legend
    extra = 0


@admin.register(LegendSet)
class LegendSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [LegendInline]


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "indicator", "form", "threshold_percent", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["assignee"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule", "unit", "period", "status", "assignee"]
    list_filter = ["status", "rule"]
    raw_id_fields = ["unit", "assignee"]
    list_select_related = ["rule", "unit", "assignee"]


@admin.register(FormGrant)
class FormGrantAdmin(admin.ModelAdmin):
    """Which department system (API client) may write which form."""

    list_display = ["client", "form"]
    list_filter = ["form"]
    list_select_related = ["client", "form"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "form", "created_by", "status", "processed", "total"]
    list_filter = ["status"]
    readonly_fields = ["summary", "error"]
    raw_id_fields = ["created_by"]

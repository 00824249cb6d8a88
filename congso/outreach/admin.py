from django.contrib import admin

from congso.outreach.models import (
    AdoptionEvent,
    HamletFigures,
    Household,
    HouseholdConflict,
    Platform,
    Team,
    TeamMember,
    Visit,
)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "hamlet", "decision_number", "decision_date", "is_demo"]
    search_fields = ["name", "hamlet__code", "decision_number"]
    raw_id_fields = ["hamlet"]
    list_select_related = ["hamlet"]
    inlines = [TeamMemberInline]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "has_shop_details", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(HamletFigures)
class HamletFiguresAdmin(admin.ModelAdmin):
    list_display = ["hamlet", "official_households", "is_demo", "updated_at"]
    search_fields = ["hamlet__code", "hamlet__full_name"]
    raw_id_fields = ["hamlet"]
    list_select_related = ["hamlet"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    # The phone stays off the list (personal data); it is on the household's own page.
    list_display = ["head_name", "house_number", "hamlet", "members", "version", "merged_into", "is_demo"]
    search_fields = ["search_key", "hamlet__code"]
    raw_id_fields = ["hamlet", "merged_into", "created_by"]
    readonly_fields = ["id", "head_key", "search_key", "version", "change_seq", "created_at", "updated_at"]
    list_select_related = ["hamlet"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["household", "visited_at", "outcome", "visited_by", "received_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["household", "visited_by"]
    list_select_related = ["household", "visited_by"]


@admin.register(AdoptionEvent)
class AdoptionEventAdmin(admin.ModelAdmin):
    list_display = ["household", "platform", "status", "source", "persons", "recorded_at"]
    list_filter = ["platform", "status", "source"]
    raw_id_fields = ["household", "visit", "recorded_by"]
    list_select_related = ["household", "platform"]


@admin.register(HouseholdConflict)
class HouseholdConflictAdmin(admin.ModelAdmin):
    list_display = ["household", "base_version", "server_version", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["household", "submitted_by", "resolved_by"]
    list_select_related = ["household"]

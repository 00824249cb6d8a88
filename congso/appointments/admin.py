from django.contrib import admin

from congso.appointments.models import Blackout, Booking, Resource


class BlackoutInline(admin.TabularInline):
    model = Blackout
    extra = 0
    fields = ["date", "reason"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "slot_minutes", "capacity", "is_active"]
    list_filter = ["kind", "is_active", "is_demo"]
    search_fields = ["name", "search_key"]
    raw_id_fields = ["unit", "office"]
    inlines = [BlackoutInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["check_in_code", "resource", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["check_in_code"]
    raw_id_fields = ["resource", "user", "dossier", "procedure", "handled_by"]
    # Personal data stays out of the list; it is on the change page for those allowed there.
    date_hierarchy = "starts_at"

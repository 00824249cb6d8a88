from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from congso.core.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "date"  # browse year by year
    search_fields = ["reason"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["date", "kind", "reason", "created_at", "updated_at"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarOverride) -> str:
        return date_format(obj.date, "l")

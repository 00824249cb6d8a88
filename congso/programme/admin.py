from django.contrib import admin

from congso.programme.models import Plan, Project, ProjectYear, Task, TaskUpdate


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["code", "name", "pillar", "lead_unit", "lead_agency_name", "due_date"]
    raw_id_fields = ["lead_unit"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "decision_number", "unit", "is_demo"]
    list_filter = ["year", "is_demo"]
    raw_id_fields = ["unit"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "due_date", "status", "percent_done"]
    list_filter = ["status", "pillar", "plan"]
    search_fields = ["code", "name", "lead_agency_name"]
    raw_id_fields = ["lead_unit"]
    # Status and percent come from the updates (services.task_update_add), not from here.
    readonly_fields = ["status", "percent_done", "last_update_on"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    list_display = ["task", "date", "percent", "status", "created_by"]
    raw_id_fields = ["task", "created_by"]


class ProjectYearInline(admin.TabularInline):
    model = ProjectYear
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "funding_source", "approved_total", "start_year", "end_year"]
    list_filter = ["funding_source", "is_demo"]
    raw_id_fields = ["owner_unit", "plan"]
    inlines = [ProjectYearInline]

from django.contrib import admin

from congso.feedback.models import Feedback, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "level", "created_at"]
    list_filter = ["level"]
    search_fields = ["dossier__code"]
    raw_id_fields = ["dossier", "user"]
    readonly_fields = ["created_at"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "office", "dossier", "status", "created_at", "answer_due_at"]
    list_filter = ["status", "kind"]
    search_fields = ["dossier__code", "text"]
    raw_id_fields = ["author", "dossier", "acknowledged_by", "answered_by"]
    readonly_fields = ["created_at", "acknowledge_due_at", "answer_due_at"]

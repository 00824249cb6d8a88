from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from congso.accounts.models import CitizenProfile, RoleBinding, User


class RoleBindingInline(admin.TabularInline):
    model = RoleBinding
    fk_name = "user"
    raw_id_fields = ["unit", "granted_by"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["full_name", "phone"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [RoleBindingInline]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "identity_level", "address_unit"]
    list_filter = ["identity_level"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user", "address_unit"]


@admin.register(RoleBinding)
class RoleBindingAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "unit__full_name", "unit__code"]
    raw_id_fields = ["user", "unit", "granted_by"]
    list_select_related = ["user", "unit"]

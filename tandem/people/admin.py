from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tandem.people.models import User
from tandem.people.services import do_set_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "title", "role", "email", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Tandem", {"fields": ("display_name", "title", "role")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Tandem", {"fields": ("display_name", "title", "role")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The role decides the group; re-sync after the admin has saved the group widget.
        do_set_role(form.instance, form.instance.role)

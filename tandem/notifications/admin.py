from django.contrib import admin

from tandem.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "key", "recipient__username", "recipient__display_name"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    # Jobs write notices; the admin only reads them (and may clear one out).
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

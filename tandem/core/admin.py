from django.contrib import admin

from tandem.core.models import CompanyHoliday, OutboxEvent, PeriodicRun


@admin.register(CompanyHoliday)
class CompanyHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """What happened, as the later consumers saw it; read only."""

    list_display = ("id", "name", "created_at", "processed_at", "attempts")
    list_filter = ("name",)
    search_fields = ("name", "last_error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period", "started_at", "finished_at"]
    list_filter = ["job"]
    search_fields = ["period"]
    readonly_fields = ["job", "period", "started_at", "finished_at", "result"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tandem.pipeline.models import Activity, CloseDateChange, Deal, Stage
from tandem.pipeline.services import OUTCOME_FIELDS


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "probability", "is_won", "is_lost")
    list_editable = ("order", "probability")
    ordering = ("order",)

    def get_readonly_fields(self, request, obj=None):
        # A stage holding deals cannot start or stop closing them: their closed dates and
        # probabilities would no longer match where they stand.
        if obj is not None and obj.deals.exists():
            return ("is_won", "is_lost")
        return ()


class CloseDateChangeInline(admin.TabularInline):
    model = CloseDateChange
    extra = 0
    readonly_fields = ("changed_by", "changed_at", "old_date", "new_date", "reason")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Changes are recorded by editing the deal's close date, never typed in by hand.
        return False


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "owner", "stage", "amount", "target_close_date", "nurture")
    list_filter = ("stage", "forecast_category", "project_type", "nurture")
    search_fields = ("name", "account__name")
    autocomplete_fields = ("account", "owner")
    list_select_related = ("account", "owner", "stage")
    inlines = [CloseDateChangeInline]
    # Close dates, stages, lost and nurture each have rules and a history of their own: they
    # change on the deal page (or the API), never by typing into the admin.
    readonly_fields = ("stage", "target_close_date", "probability", *OUTCOME_FIELDS)

    def has_add_permission(self, request):
        # A new deal needs the defaults and checks of pipeline.services.do_create_deal.
        return False

    def has_delete_permission(self, request, obj=None):
        # A deal is closed as lost or nurtured, never deleted: its close plan, estimates and
        # requests would go with it. This also drops the bulk "delete selected" action.
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "account", "author", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("subject", "body", "account__name")
    autocomplete_fields = ("account", "author", "deal", "contacts", "attendees")
    list_select_related = ("account", "author")

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tandem.closeplans import services
from tandem.closeplans.models import (
    ClosePlan,
    PlanStep,
    PlanTemplate,
    ShareLink,
    StepComment,
    TemplateStep,
)

HEALTH_FIELDS = ("health", "proposed_close", "slack_days", "health_reasons", "health_checked_on")


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    extra = 0
    fields = (
        "position",
        "title",
        "side",
        "owner_role",
        "duration_days",
        "lead_days",
        "value_statement",
    )
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        # Steps are added, moved and removed on the template's page, which keeps positions
        # in sequence and asks each customer step for its value.
        return False


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "project_type", "is_active")
    list_filter = ("project_type", "is_active")
    search_fields = ("name", "description")
    inlines = [TemplateStepInline]


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    fields = ("position", "title", "side", "owner_user", "owner_contact", "due_date", "status")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ShareLinkInline(admin.TabularInline):
    model = ShareLink
    extra = 0
    # The token is half of the customer's URL: it is never shown.
    fields = ("created_by", "created_at", "expires_at", "revoked_at", "revoked_by", "last_used_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClosePlan)
class ClosePlanAdmin(admin.ModelAdmin):
    list_display = ("deal", "template", "health", "proposed_close", "slack_days")
    list_filter = ("health", "template")
    search_fields = ("deal__name", "deal__account__name")
    list_select_related = ("deal", "template")
    # Health is the services' verdict on the steps, kept on the row for the board; the deal
    # and template are where the plan came from.
    readonly_fields = ("deal", "template", "created_by", *HEALTH_FIELDS)
    inlines = [PlanStepInline, ShareLinkInline]

    def has_add_permission(self, request):
        # A plan is laid out from a template on the deal page (services.do_apply_template).
        return False


class StepCommentInline(admin.TabularInline):
    model = StepComment
    extra = 0
    fields = ("created_at", "author_user", "author_name", "via", "shared", "body")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanStep)
class PlanStepAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "side", "due_date", "status", "last_update_at")
    list_filter = ("status", "side", "last_update_via")
    search_fields = ("title", "plan__deal__name")
    list_select_related = ("plan__deal",)
    date_hierarchy = "due_date"
    inlines = [StepCommentInline]

    # Every change to a step refreshes its plan's health and is attributed in its history,
    # which only the services do: here steps (and their history) are read, never written.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("plan", "created_by", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("plan__deal", "created_by")
    search_fields = ("plan__deal__name",)
    exclude = ("token",)
    readonly_fields = (
        "plan",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A link's token is made and signed by services.do_create_share_link.
        return False

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        for link in queryset.filter(revoked_at__isnull=True):
            services.do_revoke_share_link(link, request.user)
        self.message_user(request, "The links no longer open the plan.")

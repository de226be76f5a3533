"""What the close plans' API reads and writes: templates with their steps, plans, steps,
customer links, notes and checkups. Serializers only check shapes and types: every write is
done by a service in the views, never by `serializer.save()`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.closeplans.logic.checkups import KINDS as CHECKUP_KINDS
from tandem.closeplans.models import (
    ClosePlan,
    PlanStep,
    PlanTemplate,
    ShareLink,
    StepComment,
    StepStatus,
    TemplateStep,
)
from tandem.core.api.fields import VersionField, active_users
from tandem.crm.models import Contact
from tandem.pipeline.models import Deal


class TemplateStepSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False, help_text="An existing step of this template to keep; omit for a new one."
    )

    class Meta:
        model = TemplateStep
        fields = [
            "id",
            "position",
            "title",
            "side",
            "owner_role",
            "duration_days",
            "lead_days",
            "value_statement",
        ]
        read_only_fields = ["position"]


class PlanTemplateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="plantemplate-detail")
    steps = TemplateStepSerializer(
        many=True,
        required=False,
        help_text="The steps in order. Sending the list replaces the template's steps: entries "
        "with an id keep and edit that step, the others are added, the steps left out go.",
    )

    class Meta:
        model = PlanTemplate
        fields = [
            "id",
            "url",
            "name",
            "project_type",
            "description",
            "is_active",
            "steps",
            "created_at",
            "updated_at",
        ]


class PlanStepSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="planstep-detail")
    plan = serializers.PrimaryKeyRelatedField(
        queryset=ClosePlan.objects.all(), help_text="Set when the step is added; it never moves."
    )
    deal = serializers.IntegerField(source="plan.deal_id", read_only=True)
    position = serializers.IntegerField(
        min_value=1,
        # Past the last step means the end: the service puts it there.
        max_value=999,
        required=False,
        help_text="1 is the first step; defaults to the end. Other steps make room.",
    )
    owner_user = serializers.PrimaryKeyRelatedField(
        queryset=active_users(),
        required=False,
        allow_null=True,
        help_text="One of our people, for our steps.",
    )
    owner_contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        required=False,
        allow_null=True,
        help_text="One of the customer's people, for their steps.",
    )
    owner_name = serializers.CharField(read_only=True)
    version = VersionField()

    class Meta:
        model = PlanStep
        fields = [
            "id",
            "url",
            "plan",
            "deal",
            "position",
            "title",
            "side",
            "owner_user",
            "owner_contact",
            "owner_name",
            "due_date",
            "duration_days",
            "value_statement",
            "status",
            "blocker",
            "completed_on",
            "last_update_at",
            "last_update_via",
            "last_update_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "blocker",
            "completed_on",
            "last_update_at",
            "last_update_via",
            "last_update_by",
        ]
        # Positions are unique per plan, but the service makes room for the new one.
        validators = []

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs:
            if attrs["plan"] != self.instance.plan:
                raise serializers.ValidationError(
                    {"plan": "A step stays in its plan: add it to the other plan instead."}
                )
            del attrs["plan"]
        return attrs


class ClosePlanSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="closeplan-detail")
    deal_name = serializers.CharField(source="deal.name", read_only=True)
    account_name = serializers.CharField(source="deal.account.name", read_only=True)
    deal_owner = serializers.IntegerField(source="deal.owner_id", read_only=True)
    deal_owner_name = serializers.CharField(source="deal.owner.name", read_only=True)
    target_close_date = serializers.DateField(source="deal.target_close_date", read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True, default=None)
    health_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = PlanStepSerializer(many=True, read_only=True)

    class Meta:
        model = ClosePlan
        fields = [
            "id",
            "url",
            "deal",
            "deal_name",
            "account_name",
            "deal_owner",
            "deal_owner_name",
            "target_close_date",
            "template",
            "template_name",
            "health",
            "proposed_close",
            "slack_days",
            "health_reasons",
            "health_checked_on",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplyTemplateSerializer(serializers.Serializer):
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=PlanTemplate.objects.all())
    replace = serializers.BooleanField(
        default=False, help_text="Replace the deal's plan if it has steps already."
    )
    move_close = serializers.BooleanField(
        default=False,
        help_text="When the close date is too near for the template, move it to the earliest "
        "date that fits (recorded in the close-date history).",
    )


class AcceptProposedCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Added to the close-date history after the plan's own note.",
    )


class ShareLinkCreateSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        help_text="How many days the link works (1 to 365); defaults to the company's.",
    )


class ShareLinkSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(source="created_by.name", read_only=True, default=None)
    revoked_by_name = serializers.CharField(source="revoked_by.name", read_only=True, default=None)
    url = serializers.SerializerMethodField(
        help_text="The customer's address; empty once the link is revoked or expired."
    )

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "plan",
            "url",
            "created_by",
            "created_by_name",
            "created_at",
            "expires_at",
            "revoked_at",
            "revoked_by",
            "revoked_by_name",
            "last_used_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link) -> str | None:
        # The signed token opens the plan to anyone holding it: only a live link shows it.
        if not link.is_live(self.context["now"]):
            return None
        return self.context["customer_url"](link)


class StepStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=StepStatus.choices)
    blocker = serializers.CharField(
        max_length=250,
        required=False,
        allow_blank=True,
        default="",
        help_text="What blocks the step; required when blocked.",
    )
    version = VersionField()


class StepCommentSerializer(serializers.ModelSerializer):
    body = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Up to 4,000 characters."
    )
    shared = serializers.BooleanField(
        default=False, help_text="Show it to the customer on the shared plan."
    )

    class Meta:
        model = StepComment
        fields = ["id", "step", "created_at", "author_user", "author_name", "via", "shared", "body"]
        read_only_fields = ["step", "created_at", "author_user", "author_name", "via"]


class CheckupSerializer(serializers.Serializer):
    step = serializers.IntegerField(source="step.pk")
    step_title = serializers.CharField(source="step.title")
    deal = serializers.IntegerField(source="step.plan.deal_id")
    deal_name = serializers.CharField(source="step.plan.deal.name")
    kind = serializers.ChoiceField(choices=[(kind, kind) for kind in CHECKUP_KINDS])
    due_date = serializers.DateField(source="step.due_date")
    days = serializers.IntegerField(
        help_text="Business days: until due (due_soon), past due (overdue), since the last "
        "update (blocked)."
    )
    owner_name = serializers.CharField(source="step.owner_name")
    recipient = serializers.IntegerField(source="recipient_id", allow_null=True)
    recipient_name = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_recipient_name(self, row) -> str | None:
        recipient = self.context["recipients"].get(row.recipient_id)
        return recipient.name if recipient else None

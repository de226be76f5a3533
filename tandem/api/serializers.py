"""What the API reads and writes. Serializers only check shapes and types: every write is
done by a service in the views, never by `serializer.save()`."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
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
from tandem.crm.models import (
    Account,
    Contact,
    ContactEmail,
    ContactPhone,
    Influence,
    Stakeholder,
)
from tandem.crm.services import ACCOUNT_FIELDS
from tandem.estimates.models import CatalogItem, LabourRole, RoleRate, Supplier
from tandem.estimates.services import ITEM_FIELDS, RATE_FIELDS, ROLE_FIELDS, SUPPLIER_FIELDS
from tandem.notifications.models import Notification
from tandem.pipeline.models import (
    Activity,
    ActivityKind,
    CloseDateChange,
    Deal,
    LostReason,
    Stage,
)
from tandem.pipeline.services import OUTCOME_FIELDS


class ChannelListField(serializers.ListField):
    """A contact's emails or phones: read as objects, written as a list of strings that
    replaces the whole list (the first one becomes the primary)."""

    def __init__(self, read_serializer, **kwargs):
        self.read_serializer = read_serializer
        super().__init__(required=False, **kwargs)

    def to_representation(self, manager):
        # .all() uses the list view's prefetch.
        return self.read_serializer(manager.all(), many=True).data


class ChannelListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ChannelListField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            component = auto_schema.resolve_serializer(self.target.read_serializer, direction)
            return build_array_type(component.ref)
        return build_array_type(build_basic_type(OpenApiTypes.STR))


class AccountSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="account-detail")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), required=False, help_text="Defaults to whoever creates it."
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    address = serializers.CharField(read_only=True)
    version = VersionField()

    class Meta:
        model = Account
        fields = [
            "id",
            "url",
            *ACCOUNT_FIELDS,
            "owner_name",
            "address",
            "created_at",
            "updated_at",
            "version",
        ]


class ContactEmailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactEmail
        fields = ["id", "email", "label", "is_primary"]
        read_only_fields = fields


class ContactPhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPhone
        fields = ["id", "number", "label", "is_primary"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="contact-detail")
    full_name = serializers.CharField(read_only=True)
    emails = ChannelListField(ContactEmailSerializer, child=serializers.EmailField())
    phones = ChannelListField(ContactPhoneSerializer, child=serializers.CharField(max_length=40))
    version = VersionField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "url",
            "first_name",
            "last_name",
            "full_name",
            "notes",
            "emails",
            "phones",
            "created_at",
            "updated_at",
            "version",
        ]


class StakeholderSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="stakeholder-detail")
    contact_name = serializers.CharField(source="contact.full_name", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    version = VersionField()

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "url",
            "contact",
            "contact_name",
            "account",
            "account_name",
            "title",
            "influence",
            "start_date",
            "end_date",
            "is_current",
            "created_at",
            "updated_at",
            "version",
        ]

    def validate(self, attrs):
        # A period belongs to one person at one account; a change of either is a move.
        if self.instance is not None:
            for field in ("contact", "account"):
                if field not in attrs:
                    continue
                if attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError(
                        {field: "A role cannot change hands: use the move action instead."}
                    )
                del attrs[field]
        return attrs


class StakeholderMoveSerializer(serializers.Serializer):
    to_account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    moved_on = serializers.DateField(help_text="The first day at the new account.")
    title = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="Defaults to the old title."
    )
    influence = serializers.ChoiceField(choices=Influence.choices, required=False)


class ActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="activity-detail")
    author_name = serializers.CharField(source="author.name", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    occurred_at = serializers.DateTimeField(required=False, help_text="Defaults to now.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "kind",
            "subject",
            "body",
            "occurred_at",
            "account",
            "account_name",
            "deal",
            "contacts",
            "attendees",
            "author",
            "author_name",
            "created_at",
        ]
        read_only_fields = ["author"]
        extra_kwargs = {
            "kind": {"default": ActivityKind.NOTE},
            "attendees": {"queryset": active_users()},
        }


class StageSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="stage-detail")
    is_closed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "url", "name", "order", "probability", "is_won", "is_lost", "is_closed"]


class DealSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="deal-detail")
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), required=False, help_text="Defaults to whoever creates it."
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(), required=False, help_text="Defaults to the first open stage."
    )
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text="Defaults to the company's."
    )
    probability = serializers.IntegerField(
        min_value=0, max_value=100, required=False, help_text="Defaults to the stage's."
    )
    weighted_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    close_date_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why target_close_date moves later; required when it does.",
    )
    version = VersionField()

    class Meta:
        model = Deal
        fields = [
            "id",
            "url",
            "name",
            "account",
            "account_name",
            "owner",
            "owner_name",
            "stage",
            "stage_name",
            "amount",
            "currency",
            "target_close_date",
            "close_date_reason",
            "probability",
            "weighted_amount",
            "forecast_category",
            "requested_delivery_date",
            "project_type",
            "source",
            "next_step",
            "closed_on",
            "lost_reason",
            "lost_note",
            "nurture",
            "nurture_since",
            "nurture_note",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = list(OUTCOME_FIELDS)


class DealMoveSerializer(serializers.Serializer):
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all())


class DealCloseDateSerializer(serializers.Serializer):
    target_close_date = serializers.DateField()
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when moving later."
    )


class DealLostSerializer(serializers.Serializer):
    # Optional here so that the service, which owns the rule, says why it is needed.
    lost_reason = serializers.ChoiceField(
        choices=LostReason.choices, required=False, allow_blank=True, default=""
    )
    lost_note = serializers.CharField(required=False, allow_blank=True, default="")


class DealNurtureSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DealReopenSerializer(serializers.Serializer):
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to the first open stage.",
    )


class CloseDateChangeSerializer(serializers.ModelSerializer):
    changed_by_name = serializers.CharField(source="changed_by.name", read_only=True, default=None)
    days_moved = serializers.IntegerField(read_only=True)

    class Meta:
        model = CloseDateChange
        fields = [
            "id",
            "deal",
            "changed_by",
            "changed_by_name",
            "changed_at",
            "old_date",
            "new_date",
            "days_moved",
            "reason",
        ]
        read_only_fields = fields


# Close plans ------------------------------------------------------------------------------


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


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


# Suppliers and the catalog ---------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="supplier-detail")
    version = VersionField()

    class Meta:
        model = Supplier
        fields = ["id", "url", *SUPPLIER_FIELDS, "created_at", "updated_at", "version"]
        # The service compares names case-insensitively and says so on the field.
        extra_kwargs = {"name": {"validators": []}}


class HidesCostsMixin:
    """Drop `cost_fields` from the answer unless the context says the reader sees costs."""

    cost_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("sees_costs", False):
            for field in self.cost_fields:
                data.pop(field, None)
        return data


class CatalogItemSerializer(HidesCostsMixin, serializers.ModelSerializer):
    """A catalog item. `unit_cost` is left out of the answer altogether for people who may
    not see costs (the view says who may, in the context's `sees_costs`)."""

    cost_fields = ("unit_cost",)
    url = serializers.HyperlinkedIdentityField(view_name="catalogitem-detail")
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    effective_lead_time_days = serializers.IntegerField(
        read_only=True, help_text="The item's lead time, or its supplier's default."
    )
    version = VersionField()

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "url",
            *ITEM_FIELDS,
            "supplier_name",
            "effective_lead_time_days",
            "created_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {
            "sku": {"validators": []},
            "unit_cost": {"help_text": "Only in answers to people who may see costs."},
        }


class CatalogImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8, up to 20 MB, with a header line.")
    mode = serializers.ChoiceField(
        choices=["dry_run", "all", "valid"],
        default="dry_run",
        help_text="`dry_run` checks and writes nothing; `all` writes the file only if every "
        "row is valid; `valid` writes the valid rows and skips the others.",
    )


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    sku = serializers.CharField()
    result = serializers.ChoiceField(
        source="status", choices=["created", "updated", "unchanged", "error"]
    )
    errors = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="For an update: the fields that change."
    )


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    mode = serializers.CharField()
    written = serializers.BooleanField(help_text="Whether the catalog was changed.")
    detail = serializers.CharField(required=False, help_text="Why nothing was written.")
    file_errors = serializers.ListField(
        child=serializers.CharField(), help_text="Why the file cannot be read at all."
    )
    counts = ImportCountsSerializer()
    rows = ImportRowSerializer(many=True)


# Rate cards ------------------------------------------------------------------------------


class RoleRateSerializer(HidesCostsMixin, serializers.ModelSerializer):
    """A role's rate from a date on. `cost_rate` is left out of the answer altogether for
    people who may not see costs (the view says who may, in the context's `sees_costs`)."""

    cost_fields = ("cost_rate",)

    class Meta:
        model = RoleRate
        fields = ["id", *RATE_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"cost_rate": {"help_text": "Only in answers to people who may see costs."}}


class LabourRoleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="labourrole-detail")
    current_rate = serializers.SerializerMethodField(
        help_text="The rate in effect today; null before the role's first rate."
    )
    version = VersionField()

    class Meta:
        model = LabourRole
        fields = [
            "id",
            "url",
            *ROLE_FIELDS,
            "current_rate",
            "created_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {"name": {"validators": []}}

    @extend_schema_field(RoleRateSerializer(allow_null=True))
    def get_current_rate(self, role):
        rate = getattr(role, "current_rate", None)
        return None if rate is None else RoleRateSerializer(rate, context=self.context).data

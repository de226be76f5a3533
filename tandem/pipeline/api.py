"""The pipeline's REST API: activities, stages and deals (with their actions: move,
close date, lost, nurture, return, reopen, and the close-date history), registered on the
shared router as /api/v1/activities/, stages/ and deals/. Serializers only check shapes and
types; every write is done by a service in pipeline/services.py."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS

from tandem.core.api.fields import CurrencyField, VersionField, active_users
from tandem.core.api.permissions import ReadForViewersWriteByRule
from tandem.core.api.routers import router
from tandem.core.api.views import ApiViewSet, StableOrderingFilter, api_error, fields_and_version
from tandem.crm.api import CrmPermission
from tandem.pipeline import services as pipeline_services
from tandem.pipeline.access import can_add_deal, can_edit_deal, can_edit_stages, deals_for_user
from tandem.pipeline.filters import ActivityFilter, DealFilter
from tandem.pipeline.models import (
    Activity,
    ActivityKind,
    CloseDateChange,
    Deal,
    LostReason,
    Stage,
)
from tandem.pipeline.services import CONFIRM_AMOUNT, OUTCOME_FIELDS


class DealPermission(ReadForViewersWriteByRule):
    """Sellers change the deals they own; managers and admins every deal."""

    message = "Only the deal's owner or a manager can change this deal."

    def can_write(self, request, view) -> bool:
        # Every other write acts on one deal and is decided in has_object_permission.
        if view.action == "create" and not can_add_deal(request.user):
            self.message = "Your role cannot open deals."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_edit_deal(request.user, obj)


class StagePermission(ReadForViewersWriteByRule):
    """Everyone reads the pipeline's stages; only admins shape them."""

    message = "Only an admin can change the pipeline's stages."

    def can_write(self, request, view) -> bool:
        return can_edit_stages(request.user)


# Serializers -----------------------------------------------------------------------------


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
    currency = CurrencyField(required=False, allow_blank=True)
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
    confirm_past = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Set a target_close_date before today on purpose; needs close_date_reason.",
    )
    confirm_amount = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="Send true to keep an amount far above the largest deal so far (more than "
        "TANDEM_AMOUNT_CONFIRM_FACTOR times it); without it such an amount is refused.",
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
            "confirm_past",
            "confirm_amount",
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
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when moving later, and with confirm_past.",
    )
    confirm_past = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A date before today is refused unless this is true (and a reason given).",
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
            "set_in_past",
        ]
        read_only_fields = fields


# Views -----------------------------------------------------------------------------------


def _naming_the_flag(exc: DjangoValidationError) -> DjangoValidationError:
    """The service asks to confirm an outsized amount; an API client does it with a flag."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = dict(exc.error_dict)
    errors["amount"] = [
        DjangoValidationError(f"{error.messages[0]} Send confirm_amount: true to keep it.")
        if error.code == CONFIRM_AMOUNT
        else error
        for error in errors.get("amount", [])
    ]
    if not errors["amount"]:
        del errors["amount"]
    return DjangoValidationError(errors)


class ActivityViewSet(mixins.CreateModelMixin, ApiViewSet):
    queryset = Activity.objects.select_related("author", "account").prefetch_related(
        "contacts", "attendees"
    )
    serializer_class = ActivitySerializer
    permission_classes = [CrmPermission]
    filterset_class = ActivityFilter
    ordering_fields = ["occurred_at", "created_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = pipeline_services.do_log_activity(self.request.user, **data)


class StageViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Stage.objects.all()
    serializer_class = StageSerializer
    permission_classes = [StagePermission]
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["order", "name"]

    def perform_create(self, serializer):
        serializer.instance = pipeline_services.do_create_stage(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = pipeline_services.do_update_stage(
            serializer.instance, dict(serializer.validated_data)
        )


class DealViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Deal.objects.all()
    serializer_class = DealSerializer
    permission_classes = [DealPermission]
    filterset_class = DealFilter
    ordering_fields = [
        "name",
        "amount",
        "probability",
        "target_close_date",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        return deals_for_user(self.request.user).select_related("account", "owner", "stage")

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        data.pop("close_date_reason", None)
        data.pop("confirm_past", None)
        confirm = data.pop("confirm_amount", False)
        try:
            deal = pipeline_services.do_create_deal(
                self.request.user, confirm_amount=confirm, **data
            )
        except DjangoValidationError as exc:
            raise api_error(_naming_the_flag(exc)) from exc
        serializer.instance = deal

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        reason = data.pop("close_date_reason", "")
        confirm_past = data.pop("confirm_past", False)
        confirm = data.pop("confirm_amount", False)
        try:
            deal = pipeline_services.do_update_deal(
                serializer.instance,
                self.request.user,
                data,
                close_date_reason=reason,
                confirm_past=confirm_past,
                version=version,
                confirm_amount=confirm,
            )
        except DjangoValidationError as exc:
            raise api_error(_naming_the_flag(exc), rename={"reason": "close_date_reason"}) from exc
        serializer.instance = deal

    @extend_schema(request=DealMoveSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the deal to another open stage, or to Won (Lost goes through `lost`)."""
        deal = self.get_object()
        params = self.bind(DealMoveSerializer)
        deal = pipeline_services.do_move_deal(deal, request.user, params["stage"])
        return self.respond(DealSerializer, deal)

    @extend_schema(request=DealCloseDateSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"], url_path="close-date")
    def close_date(self, request, pk=None):
        """Change the target close date; moving it later needs a reason, and a date before
        today is refused unless `confirm_past` with a reason. Every change is kept."""
        deal = self.get_object()
        params = self.bind(DealCloseDateSerializer)
        deal = pipeline_services.do_change_close_date(
            deal,
            request.user,
            params["target_close_date"],
            params["reason"],
            confirm_past=params["confirm_past"],
        )
        return self.respond(DealSerializer, deal)

    @extend_schema(request=DealLostSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        """Close the deal as lost, with the reason (required) and a note."""
        deal = self.get_object()
        params = self.bind(DealLostSerializer)
        deal = pipeline_services.do_mark_lost(
            deal, request.user, reason=params["lost_reason"], note=params["lost_note"]
        )
        return self.respond(DealSerializer, deal)

    @extend_schema(request=DealNurtureSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def nurture(self, request, pk=None):
        """Take an open deal off the board to be worked offline."""
        deal = self.get_object()
        params = self.bind(DealNurtureSerializer)
        deal = pipeline_services.do_nurture(deal, request.user, params["note"])
        return self.respond(DealSerializer, deal)

    @extend_schema(request=None, responses=DealSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_pipeline(self, request, pk=None):
        """Bring a nurtured deal back onto the board where it was."""
        deal = pipeline_services.do_return_to_pipeline(self.get_object(), request.user)
        return self.respond(DealSerializer, deal)

    @extend_schema(request=DealReopenSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Bring a won or lost deal back into an open stage (the first one by default)."""
        deal = self.get_object()
        params = self.bind(DealReopenSerializer)
        deal = pipeline_services.do_reopen_deal(deal, request.user, params["stage"])
        return self.respond(DealSerializer, deal)

    @extend_schema(responses=CloseDateChangeSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        url_path="close-date-changes",
        filter_backends=[],
        serializer_class=CloseDateChangeSerializer,
    )
    def close_date_changes(self, request, pk=None):
        """Every move of the deal's target close date, newest first: who, when, from, to, why."""
        deal = self.get_object()
        changes = deal.close_date_changes.select_related("changed_by")
        page = self.paginate_queryset(changes)
        serializer = CloseDateChangeSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)


router.register("activities", ActivityViewSet)
router.register("stages", StageViewSet)
router.register("deals", DealViewSet)

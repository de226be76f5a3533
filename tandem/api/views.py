"""The REST API's views. Each finds the object (DRF's get_object with the permission classes
of permissions.py), binds a serializer, calls one service and answers with the result."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tandem.api import serializers as s
from tandem.api.permissions import (
    CatalogPermission,
    CheckupPermission,
    ClosePlanPermission,
    CrmPermission,
    DealPermission,
    PlanStepPermission,
    PlanTemplatePermission,
    RateCardPermission,
    StagePermission,
    SupplierPermission,
)
from tandem.closeplans import services as closeplan_services
from tandem.closeplans.access import can_edit_plan
from tandem.closeplans.checkups import checkup_steps, find_checkup_rows
from tandem.closeplans.filters import ClosePlanFilter, PlanStepFilter, PlanTemplateFilter
from tandem.closeplans.models import ClosePlan, PlanStep, PlanTemplate, ShareLink, TemplateStep
from tandem.core.api.views import (
    ApiViewSet,
    StableOrderingFilter,
    api_error,
    fields_and_version,
)
from tandem.core.calendar import company_calendar
from tandem.crm import services as crm_services
from tandem.crm.filters import AccountFilter, ContactFilter, StakeholderFilter
from tandem.crm.models import Account, Contact, Stakeholder
from tandem.estimates import catalog_import
from tandem.estimates import services as estimate_services
from tandem.estimates.access import can_see_costs
from tandem.estimates.filters import CatalogFilter
from tandem.estimates.models import CatalogItem, LabourRole, Supplier, rate_on, rates_on
from tandem.notifications import services as notification_services
from tandem.notifications.models import Notification
from tandem.people.models import User
from tandem.pipeline import services as pipeline_services
from tandem.pipeline.access import deals_for_user
from tandem.pipeline.filters import ActivityFilter, DealFilter
from tandem.pipeline.models import Activity, Deal, Stage


class SeesCostsMixin:
    """Tell the serializers whether the reader may see costs."""

    def sees_costs(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and can_see_costs(request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_costs": self.sees_costs()}


class AccountViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Account.objects.select_related("owner")
    serializer_class = s.AccountSerializer
    permission_classes = [CrmPermission]
    filterset_class = AccountFilter
    ordering_fields = ["name", "created_at", "updated_at"]

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        serializer.instance = crm_services.do_create_account(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        serializer.instance = crm_services.do_update_account(
            serializer.instance, self.request.user, data, version=version
        )


class ContactViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Contact.objects.prefetch_related("emails", "phones")
    serializer_class = s.ContactSerializer
    permission_classes = [CrmPermission]
    filterset_class = ContactFilter
    ordering_fields = ["last_name", "first_name", "created_at", "updated_at"]

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        serializer.instance = crm_services.do_create_contact(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        emails, phones = data.pop("emails", None), data.pop("phones", None)
        serializer.instance = crm_services.do_update_contact(
            serializer.instance,
            self.request.user,
            data,
            emails=emails,
            phones=phones,
            version=version,
        )


class StakeholderViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Stakeholder.objects.select_related("contact", "account")
    serializer_class = s.StakeholderSerializer
    permission_classes = [CrmPermission]
    filterset_class = StakeholderFilter
    ordering_fields = ["start_date", "end_date", "created_at"]

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        serializer.instance = crm_services.do_add_stakeholder(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        serializer.instance = crm_services.do_update_stakeholder(
            serializer.instance, self.request.user, data, version=version
        )

    @extend_schema(request=s.StakeholderMoveSerializer, responses={201: s.StakeholderSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """End this role the day before `moved_on` and start one at `to_account`."""
        stakeholder = self.get_object()
        params = self.bind(s.StakeholderMoveSerializer)
        new_period = crm_services.do_move_stakeholder(stakeholder, request.user, **params)
        return self.respond(s.StakeholderSerializer, new_period, status.HTTP_201_CREATED)


class ActivityViewSet(mixins.CreateModelMixin, ApiViewSet):
    queryset = Activity.objects.select_related("author", "account").prefetch_related(
        "contacts", "attendees"
    )
    serializer_class = s.ActivitySerializer
    permission_classes = [CrmPermission]
    filterset_class = ActivityFilter
    ordering_fields = ["occurred_at", "created_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = pipeline_services.do_log_activity(self.request.user, **data)


class StageViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Stage.objects.all()
    serializer_class = s.StageSerializer
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
    serializer_class = s.DealSerializer
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
        serializer.instance = pipeline_services.do_create_deal(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        reason = data.pop("close_date_reason", "")
        try:
            deal = pipeline_services.do_update_deal(
                serializer.instance,
                self.request.user,
                data,
                close_date_reason=reason,
                version=version,
            )
        except DjangoValidationError as exc:
            raise api_error(exc, rename={"reason": "close_date_reason"}) from exc
        serializer.instance = deal

    @extend_schema(request=s.DealMoveSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the deal to another open stage, or to Won (Lost goes through `lost`)."""
        deal = self.get_object()
        params = self.bind(s.DealMoveSerializer)
        deal = pipeline_services.do_move_deal(deal, request.user, params["stage"])
        return self.respond(s.DealSerializer, deal)

    @extend_schema(request=s.DealCloseDateSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"], url_path="close-date")
    def close_date(self, request, pk=None):
        """Change the target close date; moving it later needs a reason. Every change is kept."""
        deal = self.get_object()
        params = self.bind(s.DealCloseDateSerializer)
        deal = pipeline_services.do_change_close_date(
            deal, request.user, params["target_close_date"], params["reason"]
        )
        return self.respond(s.DealSerializer, deal)

    @extend_schema(request=s.DealLostSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        """Close the deal as lost, with the reason (required) and a note."""
        deal = self.get_object()
        params = self.bind(s.DealLostSerializer)
        deal = pipeline_services.do_mark_lost(
            deal, request.user, reason=params["lost_reason"], note=params["lost_note"]
        )
        return self.respond(s.DealSerializer, deal)

    @extend_schema(request=s.DealNurtureSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def nurture(self, request, pk=None):
        """Take an open deal off the board to be worked offline."""
        deal = self.get_object()
        params = self.bind(s.DealNurtureSerializer)
        deal = pipeline_services.do_nurture(deal, request.user, params["note"])
        return self.respond(s.DealSerializer, deal)

    @extend_schema(request=None, responses=s.DealSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_pipeline(self, request, pk=None):
        """Bring a nurtured deal back onto the board where it was."""
        deal = pipeline_services.do_return_to_pipeline(self.get_object(), request.user)
        return self.respond(s.DealSerializer, deal)

    @extend_schema(request=s.DealReopenSerializer, responses=s.DealSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Bring a won or lost deal back into an open stage (the first one by default)."""
        deal = self.get_object()
        params = self.bind(s.DealReopenSerializer)
        deal = pipeline_services.do_reopen_deal(deal, request.user, params["stage"])
        return self.respond(s.DealSerializer, deal)

    @extend_schema(responses=s.CloseDateChangeSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        url_path="close-date-changes",
        filter_backends=[],
        serializer_class=s.CloseDateChangeSerializer,
    )
    def close_date_changes(self, request, pk=None):
        """Every move of the deal's target close date, newest first: who, when, from, to, why."""
        deal = self.get_object()
        changes = deal.close_date_changes.select_related("changed_by")
        page = self.paginate_queryset(changes)
        serializer = s.CloseDateChangeSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)


# Close plans ------------------------------------------------------------------------------


def _messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as the API's field errors."""
    detail = api_error(exc).detail
    return {field: [str(message) for message in messages] for field, messages in detail.items()}


class PlanTemplateViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    queryset = PlanTemplate.objects.prefetch_related("steps")
    serializer_class = s.PlanTemplateSerializer
    permission_classes = [PlanTemplatePermission]
    filterset_class = PlanTemplateFilter
    ordering_fields = ["name", "project_type", "created_at", "updated_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        steps = data.pop("steps", [])
        self._check_steps(steps, {})
        with transaction.atomic():
            template = closeplan_services.do_create_template(self.request.user, **data)
            self._replace_steps(template, steps)
        serializer.instance = template

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        steps = data.pop("steps", None)
        template = serializer.instance
        if steps is not None:
            self._check_steps(steps, {step.pk: step for step in template.steps.all()})
        with transaction.atomic():
            template = closeplan_services.do_update_template(template, self.request.user, data)
            if steps is not None:
                self._replace_steps(template, steps)
        # A fresh copy: the one read for the request holds the old steps, prefetched.
        serializer.instance = PlanTemplate.objects.get(pk=template.pk)

    def perform_destroy(self, instance):
        closeplan_services.do_delete_template(instance, self.request.user)

    @staticmethod
    def _check_steps(steps: list[dict], existing: dict[int, TemplateStep]) -> None:
        """Check every step before any is written, so one bad step changes nothing and the
        client learns about all of them at once (errors listed in the steps' order)."""
        errors, seen = [], set()
        for item in steps:
            fields = dict(item)
            pk = fields.pop("id", None)
            error: dict[str, list[str]] = {}
            if pk is not None and pk not in existing:
                error["id"] = ["This step is not part of this template."]
            elif pk is not None and pk in seen:
                error["id"] = ["This step is listed twice."]
            seen.add(pk)
            current = existing.get(pk)
            values = (
                {name: getattr(current, name) for name in closeplan_services.TEMPLATE_STEP_FIELDS}
                if current is not None
                else {}
            )
            candidate = TemplateStep(**{**values, **fields})
            try:
                closeplan_services.check_template_step(candidate)
            except DjangoValidationError as exc:
                for field, messages in _messages(exc).items():
                    error.setdefault(field, []).extend(messages)
            errors.append(error)
        if any(errors):
            raise ValidationError({"steps": errors})

    @staticmethod
    def _replace_steps(template: PlanTemplate, steps: list[dict]) -> None:
        """Make the template's steps exactly `steps`, in that order."""
        keep = {item["id"] for item in steps if item.get("id") is not None}
        for step in template.steps.all():
            if step.pk not in keep:
                closeplan_services.do_remove_template_step(step)
        existing = {step.pk: step for step in template.steps.all()}
        for position, item in enumerate(steps, 1):
            fields = dict(item)
            pk = fields.pop("id", None)
            if pk is None:
                closeplan_services.do_add_template_step(template, position=position, **fields)
            else:
                closeplan_services.do_update_template_step(
                    existing[pk], {**fields, "position": position}
                )


def _plans():
    return ClosePlan.objects.select_related("deal__owner", "deal__account", "template")


def _steps():
    return PlanStep.objects.select_related("plan", "owner_user", "owner_contact")


class ClosePlanViewSet(ApiViewSet):
    queryset = _plans()
    serializer_class = s.ClosePlanSerializer
    permission_classes = [ClosePlanPermission]
    filterset_class = ClosePlanFilter
    ordering_fields = ["health", "slack_days", "proposed_close", "created_at", "updated_at"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["now"] = timezone.now()
        context["customer_url"] = self._customer_url
        return context

    def _customer_url(self, link: ShareLink) -> str:
        path = reverse("shared:plan", args=[closeplan_services.share_token(link)])
        return self.request.build_absolute_uri(path)

    def get_queryset(self):
        # The actions on one plan answer with _plan(); their lookup needs no steps.
        if self.action in ("list", "retrieve"):
            return self._with_steps(super().get_queryset())
        return super().get_queryset()

    @staticmethod
    def _with_steps(plans):
        return plans.prefetch_related(Prefetch("steps", queryset=_steps()))

    def _plan(self, pk) -> ClosePlan:
        return self._with_steps(_plans()).get(pk=pk)

    @extend_schema(
        request=s.ApplyTemplateSerializer,
        responses={200: s.ClosePlanSerializer, 201: s.ClosePlanSerializer},
    )
    @action(detail=False, methods=["post"])
    def apply(self, request):
        """Lay a template's steps out backwards from the deal's target close date (201 for a
        new plan, 200 when it replaces the deal's plan). A close date too near for the
        template is a 400 naming the earliest date that fits, unless `move_close`."""
        params = self.bind(s.ApplyTemplateSerializer)
        deal = params["deal"]
        if not can_edit_plan(request.user, deal):
            raise PermissionDenied(ClosePlanPermission.message)
        had_plan = ClosePlan.objects.filter(deal=deal).exists()
        plan = closeplan_services.do_apply_template(
            deal,
            params["template"],
            request.user,
            replace=params["replace"],
            move_close=params["move_close"],
        )
        code = status.HTTP_200_OK if had_plan else status.HTTP_201_CREATED
        return self.respond(s.ClosePlanSerializer, self._plan(plan.pk), code)

    @extend_schema(request=s.AcceptProposedCloseSerializer, responses=s.ClosePlanSerializer)
    @action(detail=True, methods=["post"], url_path="accept-proposed-close")
    def accept_proposed_close(self, request, pk=None):
        """Move the deal's close date to the slipped plan's proposed date (recorded with the
        reason) and lay the steps left out again from today."""
        plan = self.get_object()
        params = self.bind(s.AcceptProposedCloseSerializer)
        closeplan_services.do_accept_proposed_close(plan.deal, request.user, params["reason"])
        return self.respond(s.ClosePlanSerializer, self._plan(plan.pk))

    @extend_schema(
        methods=["GET"], responses=s.ShareLinkSerializer(many=True), filters=False, request=None
    )
    @extend_schema(
        methods=["POST"],
        request=s.ShareLinkCreateSerializer,
        responses={201: s.ShareLinkSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="share-links",
        filter_backends=[],
        serializer_class=s.ShareLinkSerializer,
    )
    def share_links(self, request, pk=None):
        """The plan's customer links, newest first (GET), or a new one (POST). Only the plan's
        editors see them; the address shows only while a link is live."""
        plan = self.get_object()
        if request.method == "POST":
            params = self.bind(s.ShareLinkCreateSerializer)
            link = closeplan_services.do_create_share_link(
                plan, request.user, days=params.get("days")
            )
            return self.respond(s.ShareLinkSerializer, link, status.HTTP_201_CREATED)
        links = plan.share_links.select_related("created_by", "revoked_by")
        page = self.paginate_queryset(links)
        serializer = s.ShareLinkSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        request=None,
        responses=s.ShareLinkSerializer,
        parameters=[OpenApiParameter("link_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"share-links/(?P<link_id>[0-9]+)/revoke",
        serializer_class=s.ShareLinkSerializer,
    )
    def revoke_share_link(self, request, pk=None, link_id=None):
        """Withdraw a customer link: it no longer opens the plan."""
        plan = self.get_object()
        link = get_object_or_404(plan.share_links, pk=link_id)
        link = closeplan_services.do_revoke_share_link(link, request.user)
        return self.respond(s.ShareLinkSerializer, link)


class PlanStepViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    queryset = PlanStep.objects.select_related("plan__deal", "owner_user", "owner_contact")
    serializer_class = s.PlanStepSerializer
    permission_classes = [PlanStepPermission]
    filterset_class = PlanStepFilter
    ordering_fields = ["due_date", "position", "created_at", "updated_at", "last_update_at"]

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        plan = data.pop("plan")
        if not can_edit_plan(self.request.user, plan.deal):
            raise PermissionDenied(PlanStepPermission.message)
        position = data.pop("position", None)
        serializer.instance = closeplan_services.do_add_step(
            plan, self.request.user, position=position, **data
        )

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        serializer.instance = closeplan_services.do_update_step(
            serializer.instance, self.request.user, data, version=version
        )

    def perform_destroy(self, instance):
        closeplan_services.do_remove_step(instance, self.request.user)

    @extend_schema(request=s.StepStatusSerializer, responses=s.PlanStepSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Mark the step done, blocked (saying by what) or open again. The step's owner may
        do this too."""
        step = self.get_object()
        params = self.bind(s.StepStatusSerializer)
        step = closeplan_services.do_set_step_status(
            step,
            request.user,
            params["status"],
            blocker=params["blocker"],
            version=params.get("version"),
        )
        return self.respond(s.PlanStepSerializer, step)

    @extend_schema(
        methods=["GET"], responses=s.StepCommentSerializer(many=True), filters=False, request=None
    )
    @extend_schema(
        methods=["POST"], request=s.StepCommentSerializer, responses={201: s.StepCommentSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        serializer_class=s.StepCommentSerializer,
    )
    def comments(self, request, pk=None):
        """The step's notes, oldest first (GET), or a new one (POST; the step's owner may
        write too). `shared` notes show on the customer's plan; only those who edit the plan
        share, so a step owner's note stays internal."""
        step = self.get_object()
        if request.method == "POST":
            params = self.bind(s.StepCommentSerializer)
            shared = params["shared"] and can_edit_plan(request.user, step.plan.deal)
            comment = closeplan_services.do_comment(
                step, request.user, params["body"], shared=shared
            )
            return self.respond(s.StepCommentSerializer, comment, status.HTTP_201_CREATED)
        page = self.paginate_queryset(step.comments.all())
        serializer = s.StepCommentSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(ApiViewSet):
    """The signed-in person's own notifications; nobody reads anyone else's."""

    queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notification_services.notifications_for(self.request.user)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = notification_services.do_mark_read(self.get_object())
        return self.respond(s.NotificationSerializer, notification)

    @extend_schema(request=None, responses=s.ReadAllSerializer, filters=False)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notification read; says how many there were."""
        marked = notification_services.do_mark_all_read(request.user)
        return Response({"marked": marked})


class CheckupViewSet(viewsets.GenericViewSet):
    """Today's checkups: the steps to ask their owners about before the deadline."""

    authentication_classes = ApiViewSet.authentication_classes
    permission_classes = [CheckupPermission]
    serializer_class = s.CheckupSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "owner",
                str,
                description="`me` (the default), `all`, or a user's id: the checkups that "
                "person answers for.",
            )
        ]
    )
    def list(self, request):
        """Today's checkups, by the person asked, then overdue, blocked and due soon."""
        owner = self._owner(request.query_params.get("owner", "me"))
        today = timezone.localdate()
        calendar = company_calendar(today)
        # Every step the query finds has a checkup today, so the page is cut in SQL and only
        # its steps are classified: `owner=all` never loads the whole company's steps.
        steps = checkup_steps(today, owner=owner, calendar=calendar).order_by("due_date", "id")
        page_steps = self.paginate_queryset(steps)
        order = {step.pk: index for index, step in enumerate(page_steps)}
        page = sorted(
            find_checkup_rows(page_steps, today, calendar), key=lambda row: order[row.step.pk]
        )
        recipients = User.objects.in_bulk({row.recipient_id for row in page})
        context = {**self.get_serializer_context(), "recipients": recipients}
        serializer = s.CheckupSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def _owner(self, value: str) -> User | None:
        if value == "all":
            return None
        if value == "me":
            return self.request.user
        owner = User.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if owner is None:
            raise ValidationError({"owner": ["Use `me`, `all` or the id of one of our people."]})
        return owner


# Suppliers and the catalog ---------------------------------------------------------------


class SupplierViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Supplier.objects.all()
    serializer_class = s.SupplierSerializer
    permission_classes = [SupplierPermission]
    filterset_fields = ["active"]
    ordering_fields = ["name", "default_lead_time_days", "created_at", "updated_at"]

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        serializer.instance = estimate_services.do_create_supplier(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        serializer.instance = estimate_services.do_update_supplier(
            serializer.instance, self.request.user, data, version=version
        )

    @extend_schema(request=None, responses=s.SupplierSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Stop offering the supplier; its items stay in the catalog."""
        supplier = estimate_services.do_deactivate_supplier(self.get_object(), request.user)
        return self.respond(s.SupplierSerializer, supplier)


# Costs are hidden from some people, so sorting by them would give the order away.
_COST_ORDERING = {"unit_cost"}


class CatalogItemViewSet(
    SeesCostsMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    """The catalog, with the same filters as the catalog page. `unit_cost` is only shown to,
    and sortable by, the people who may see costs; for the others it is absent and
    `ordering=unit_cost` is ignored."""

    queryset = CatalogItem.objects.select_related("supplier").annotate(
        lead_days=Coalesce("lead_time_days", "supplier__default_lead_time_days")
    )
    serializer_class = s.CatalogItemSerializer
    permission_classes = [CatalogPermission]
    filterset_class = CatalogFilter

    @property
    def ordering_fields(self) -> list[str]:
        fields = ["sku", "name", "category", "supplier__name", "list_price", "lead_days"]
        fields += ["created_at", "updated_at"]
        if getattr(self, "swagger_fake_view", False) or self.sees_costs():
            fields += sorted(_COST_ORDERING)
        return fields

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        serializer.instance = estimate_services.do_create_item(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        serializer.instance = estimate_services.do_update_item(
            serializer.instance, self.request.user, data, version=version
        )

    @extend_schema(request=None, responses=s.CatalogItemSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Take the item out of new estimates; estimates that use it keep it."""
        item = estimate_services.do_deactivate_item(self.get_object(), request.user)
        return self.respond(s.CatalogItemSerializer, item)

    @extend_schema(
        request={"multipart/form-data": s.CatalogImportSerializer},
        responses={
            200: s.ImportReportSerializer,
            400: s.ImportReportSerializer,
            409: s.ImportReportSerializer,
        },
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        filter_backends=[],
    )
    def import_csv(self, request):
        """Check a CSV file of items against the catalog and, if asked, write it.

        Answers with the report of every row. 200: checked (`dry_run`) or written (`all`,
        `valid`). 400: the file cannot be read at all (too big, empty, binary, not UTF-8,
        wrong columns); nothing was written. 409: `mode=all` and some rows have errors;
        nothing was written: fix the file, or send it again with `mode=valid`.
        """
        params = self.bind(s.CatalogImportSerializer)
        mode, fileobj = params["mode"], params["file"].file
        detail = None
        if mode == "dry_run":
            report = catalog_import.dry_run(fileobj)
        else:
            try:
                report = catalog_import.do_import_catalog(
                    request.user, fileobj, valid_rows_only=mode == "valid"
                )
            except DjangoValidationError as exc:
                detail = " ".join(exc.messages)
                fileobj.seek(0)
                report = catalog_import.dry_run(fileobj)
        if report.file_errors:
            code = status.HTTP_400_BAD_REQUEST
        elif detail:
            code = status.HTTP_409_CONFLICT
        else:
            code = status.HTTP_200_OK
        body = {
            "mode": mode,
            "written": report.written,
            "file_errors": report.file_errors,
            "counts": report.counts,
            "rows": report.rows,
        }
        if detail:
            body["detail"] = detail
        return Response(s.ImportReportSerializer(body).data, status=code)


# Rate cards ------------------------------------------------------------------------------


class LabourRoleViewSet(
    SeesCostsMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    """Crew roles with the rate in effect today. `cost_rate` is only shown to the people who
    may see costs. A rate in effect is never changed: add a new one from a later date."""

    queryset = LabourRole.objects.all()
    serializer_class = s.LabourRoleSerializer
    permission_classes = [RateCardPermission]
    filterset_fields = ["active", "union"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            # One query for the whole page's rates, not one per role.
            current = rates_on(timezone.localdate(), roles=[role.pk for role in page])
            for role in page:
                role.current_rate = current.get(role.pk)
        return page

    def get_object(self):
        role = super().get_object()
        role.current_rate = rate_on(role, timezone.localdate())
        return role

    def perform_create(self, serializer):
        data, _ = fields_and_version(serializer)
        role = estimate_services.do_create_role(self.request.user, **data)
        role.current_rate = None
        serializer.instance = role

    def perform_update(self, serializer):
        data, version = fields_and_version(serializer)
        role = estimate_services.do_update_role(
            serializer.instance, self.request.user, data, version=version
        )
        role.current_rate = rate_on(role, timezone.localdate())
        serializer.instance = role

    @extend_schema(
        methods=["get"], request=None, responses=s.RoleRateSerializer(many=True), filters=False
    )
    @extend_schema(methods=["post"], request=s.RoleRateSerializer, responses=s.RoleRateSerializer)
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def rates(self, request, pk=None):
        """GET: the role's rate history, newest first. POST: add a rate from a date on (a
        past date records a raise already agreed; one rate per role and day)."""
        role = self.get_object()
        if request.method == "POST":
            data = self.bind(s.RoleRateSerializer)
            rate = estimate_services.do_add_rate(role, request.user, **data)
            return self.respond(s.RoleRateSerializer, rate, status.HTTP_201_CREATED)
        rates = role.rates.order_by("-effective_from")
        page = self.paginator.paginate_queryset(rates, request, view=self)
        context = self.get_serializer_context()
        data = s.RoleRateSerializer(page, many=True, context=context).data
        return self.paginator.get_paginated_response(data)

"""The close plans' viewsets. Each finds the object (DRF's get_object with the permission
classes of permissions.py), binds a serializer, calls one service in closeplans/services.py
and answers with the result."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError

from tandem.closeplans import services as closeplan_services
from tandem.closeplans.access import can_edit_plan
from tandem.closeplans.api import serializers as s
from tandem.closeplans.api.permissions import (
    CheckupPermission,
    ClosePlanPermission,
    PlanStepPermission,
    PlanTemplatePermission,
)
from tandem.closeplans.checkups import checkup_steps, find_checkup_rows
from tandem.closeplans.filters import ClosePlanFilter, PlanStepFilter, PlanTemplateFilter
from tandem.closeplans.models import ClosePlan, PlanStep, PlanTemplate, ShareLink, TemplateStep
from tandem.core.api.views import ApiViewSet, api_error, fields_and_version
from tandem.core.calendar import company_calendar
from tandem.people.models import User


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

"""The REST API's views. Each finds the object (DRF's get_object with the permission classes
of permissions.py), binds a serializer, calls one service and answers with the result."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.settings import api_settings

from tandem.api import serializers as s
from tandem.api.permissions import CrmPermission, DealPermission, StagePermission
from tandem.crm import services as crm_services
from tandem.crm.filters import AccountFilter, ActivityFilter, ContactFilter, StakeholderFilter
from tandem.crm.models import Account, Activity, Contact, Stakeholder
from tandem.pipeline import services as pipeline_services
from tandem.pipeline.access import deals_for_user
from tandem.pipeline.filters import DealFilter
from tandem.pipeline.models import Deal, Stage


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this since you read it."
    default_code = "stale"


def api_error(exc: DjangoValidationError, rename: dict[str, str] | None = None) -> APIException:
    """Turn a service's ValidationError into the API's answer: 409 for a stale version,
    otherwise 400 with the messages per field (`rename` maps service names to API names)."""
    if not hasattr(exc, "error_dict"):
        if any(error.code == "stale" for error in exc.error_list):
            return Conflict(" ".join(exc.messages))
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    rename = rename or {}
    detail: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            key = api_settings.NON_FIELD_ERRORS_KEY
        else:
            key = rename.get(field, field)
        detail.setdefault(key, []).extend(messages)
    return ValidationError(detail)


class StableOrderingFilter(OrderingFilter):
    """Order as the client asks, then by id, so that pages never repeat or skip a row."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = [*ordering, "id"]
        return ordering


def _split(serializer) -> tuple[dict, str | None]:
    """The validated fields for the service, and the version the client read (if any)."""
    data = dict(serializer.validated_data)
    return data, data.pop("version", None)


class ApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read endpoints; subclasses add the writes they allow. There is no delete."""

    # Token first, so that a request without credentials gets 401 and a WWW-Authenticate header.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = api_error(exc)
        return super().handle_exception(exc)

    def respond(self, serializer_class, instance, status_code=status.HTTP_200_OK) -> Response:
        context = self.get_serializer_context()
        return Response(serializer_class(instance, context=context).data, status=status_code)

    def bind(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AccountViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Account.objects.select_related("owner")
    serializer_class = s.AccountSerializer
    permission_classes = [CrmPermission]
    filterset_class = AccountFilter
    ordering_fields = ["name", "created_at", "updated_at"]

    def perform_create(self, serializer):
        data, _ = _split(serializer)
        serializer.instance = crm_services.do_create_account(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = _split(serializer)
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
        data, _ = _split(serializer)
        serializer.instance = crm_services.do_create_contact(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = _split(serializer)
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
        data, _ = _split(serializer)
        serializer.instance = crm_services.do_add_stakeholder(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = _split(serializer)
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
        serializer.instance = crm_services.do_log_activity(self.request.user, **data)


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
        data, _ = _split(serializer)
        data.pop("close_date_reason", None)
        serializer.instance = pipeline_services.do_create_deal(self.request.user, **data)

    def perform_update(self, serializer):
        data, version = _split(serializer)
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

"""The estimates API: requests for estimates, scenarios with their read-only versions and
lines, and the past projects estimates learn from. As everywhere in the API, each view finds
the object, binds a serializer, calls one service and answers with the result."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from tandem.catalog.access import can_see_costs
from tandem.catalog.api.views import SeesCostsMixin
from tandem.core.api.permissions import ReadForViewersWriteByRule
from tandem.core.api.views import ApiViewSet, api_error
from tandem.estimates.access import (
    can_accept_estimate,
    can_edit_estimates,
    can_request_estimate,
    estimates_for_user,
    requests_for_user,
)
from tandem.estimates.actuals.services import do_create_past_project, do_update_past_project
from tandem.estimates.api import serializers as es
from tandem.estimates.filters import (
    EstimateFilter,
    EstimateLineFilter,
    EstimateRequestFilter,
    EstimateVersionFilter,
    PastProjectFilter,
)
from tandem.estimates.models import (
    Estimate,
    EstimateLine,
    EstimateRequest,
    EstimateVersion,
    PastProject,
    PastProjectHours,
    RequestEstimator,
)
from tandem.estimates.requests.services import (
    do_add_attachments,
    do_create_request,
    do_decline_request,
    do_return_request,
    do_send_round_again,
    do_start_request,
    do_update_request,
)
from tandem.estimates.scenarios.fetch import version_changes
from tandem.estimates.scenarios.services import (
    SCENARIO_FIELDS,
    StaleEstimate,
    do_accept_estimate,
    do_copy_estimate,
    do_create_estimate,
    do_save_version,
)

# Estimate requests ------------------------------------------------------------------------


class EstimateRequestPermission(ReadForViewersWriteByRule):
    """Everyone who reads requests reads them all. The deal's editors ask, change the brief
    and send a request round again; estimators start, return and decline it; both attach
    files. As on the pages."""

    message = "Only the deal's owner or a manager can ask for an estimate on this deal."
    ESTIMATOR_ACTIONS = {"start", "return_request", "decline"}

    def can_write(self, request, view) -> bool:
        if view.action in self.ESTIMATOR_ACTIONS:
            self.message = "Only project managers and admins work on estimate requests."
            return can_edit_estimates(request.user)
        if view.action == "attachments":
            return True
        # The deal decides: in the view for a new request, per object otherwise.
        return request.user.has_perm("estimates.add_estimaterequest")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action in self.ESTIMATOR_ACTIONS:
            return True
        user = request.user
        if view.action == "attachments":
            self.message = "Only the deal's owner, a manager or an estimator can attach files."
            return can_request_estimate(user, obj.deal) or can_edit_estimates(user)
        return can_request_estimate(user, obj.deal)


def _requests(queryset):
    return queryset.select_related("deal", "requested_by").prefetch_related(
        Prefetch("assignments", queryset=RequestEstimator.objects.select_related("estimator"))
    )


def _estimators(assignments: list[dict]) -> list[tuple]:
    return [(entry["estimator"], entry["part"]) for entry in assignments]


class EstimateRequestViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    """Requests for numbers on a deal, with the same filters as the requests page
    (`overdue=true`: still open and past the needed-by date)."""

    queryset = EstimateRequest.objects.all()
    serializer_class = es.EstimateRequestSerializer
    # The estimators are a list of objects: JSON only (files go to `attachments`).
    parser_classes = [JSONParser]
    permission_classes = [EstimateRequestPermission]
    filterset_class = EstimateRequestFilter
    ordering_fields = ["needed_by", "status_changed_at", "created_at", "updated_at"]

    def get_queryset(self):
        return _requests(requests_for_user(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        deal = data.pop("deal")
        if not can_request_estimate(self.request.user, deal):
            raise PermissionDenied(EstimateRequestPermission.message)
        estimators = _estimators(data.pop("assignments"))
        serializer.instance = do_create_request(
            self.request.user, deal, estimators=estimators, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        assignments = data.pop("assignments", None)
        version = data.pop("version", None)
        serializer.instance = do_update_request(
            serializer.instance,
            self.request.user,
            data,
            estimators=None if assignments is None else _estimators(assignments),
            version=version,
        )

    def _answer(self, pk) -> Response:
        fresh = _requests(EstimateRequest.objects).get(pk=pk)
        return self.respond(es.EstimateRequestSerializer, fresh)

    @extend_schema(request=None, responses=es.EstimateRequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Mark the request as being worked on (saving its first scenario does this too)."""
        asked = do_start_request(self.get_object(), request.user)
        return self._answer(asked.pk)

    @extend_schema(request=es.RequestNoteSerializer, responses=es.EstimateRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_request(self, request, pk=None):
        """Hand the numbers back to the seller, who is told; needs a saved scenario."""
        asked = self.get_object()
        params = self.bind(es.RequestNoteSerializer)
        asked = do_return_request(asked, request.user, note=params["note"])
        return self._answer(asked.pk)

    @extend_schema(request=es.RequestDeclineSerializer, responses=es.EstimateRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the request; the reason is required and the seller is told."""
        asked = self.get_object()
        params = self.bind(es.RequestDeclineSerializer)
        asked = do_decline_request(asked, request.user, reason=params["reason"])
        return self._answer(asked.pk)

    @extend_schema(request=es.RequestRoundAgainSerializer, responses=es.EstimateRequestSerializer)
    @action(detail=True, methods=["post"], url_path="round-again")
    def round_again(self, request, pk=None):
        """Send a returned (or accepted) request back to the estimators with what to change,
        and a new needed-by date if it moves."""
        asked = self.get_object()
        params = self.bind(es.RequestRoundAgainSerializer)
        asked = do_send_round_again(
            asked, request.user, note=params["note"], needed_by=params["needed_by"]
        )
        return self._answer(asked.pk)

    @extend_schema(
        methods=["GET"], request=None, responses=es.AttachmentSerializer(many=True), filters=False
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": es.AttachmentUploadSerializer},
        responses={201: es.AttachmentSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        filter_backends=[],
        serializer_class=es.AttachmentSerializer,
    )
    def attachments(self, request, pk=None):
        """GET: the request's files, oldest first. POST: attach more files (multipart, field
        `files`, repeated); all are checked before any is kept, and the answer lists them
        all."""
        asked = self.get_object()
        if request.method == "POST":
            params = self.bind(es.AttachmentUploadSerializer)
            do_add_attachments(asked, request.user, params["files"])
            files = asked.attachments.select_related("uploaded_by")
            context = self.get_serializer_context()
            data = es.AttachmentSerializer(files, many=True, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(asked.attachments.select_related("uploaded_by"))
        context = self.get_serializer_context()
        return self.get_paginated_response(
            es.AttachmentSerializer(page, many=True, context=context).data
        )


# Scenarios --------------------------------------------------------------------------------


class EstimatePermission(ReadForViewersWriteByRule):
    """Everyone who reads estimates reads every scenario (costs aside). Estimators build
    them; whoever may change the deal accepts one."""

    message = "Only project managers, resource managers and admins build estimates."

    def can_write(self, request, view) -> bool:
        # Accepting sets the deal's amount: decided per deal.
        return view.action == "accept" or can_edit_estimates(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action != "accept":
            return True
        self.message = "Only the deal's owner or a manager can accept a scenario."
        return can_accept_estimate(request.user, obj.deal)


def _estimates(queryset):
    return queryset.select_related("deal", "latest_version", "accepted_version")


def _version_with_lines(pk) -> EstimateVersion:
    lines = EstimateLine.objects.select_related("role", "catalog_item")
    return (
        EstimateVersion.objects.select_related("estimate", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .get(pk=pk)
    )


def _version_error(exc: DjangoValidationError):
    """A refused save: scenario fields under `scenario`, anything else about the lines."""
    if hasattr(exc, "error_dict"):
        return api_error(exc, rename=dict.fromkeys(SCENARIO_FIELDS, "scenario"))
    return ValidationError({"lines": exc.messages})


class EstimateViewSet(SeesCostsMixin, mixins.CreateModelMixin, ApiViewSet):
    """A deal's scenarios, each with its current version's figures. A scenario changes only
    by saving a new version (`versions`); `cost` and `margin` are only shown to the people
    who may see costs."""

    queryset = Estimate.objects.all()
    serializer_class = es.ScenarioSerializer
    parser_classes = [JSONParser]
    permission_classes = [EstimatePermission]
    filterset_class = EstimateFilter
    ordering_fields = ["name", "latest_number", "created_at", "updated_at"]

    def get_queryset(self):
        return _estimates(estimates_for_user(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        deal = data.pop("deal")
        serializer.instance = do_create_estimate(
            self.request.user, deal, request=data.pop("request", None), **data
        )

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        fresh = _estimates(Estimate.objects).get(pk=pk)
        return self.respond(es.ScenarioSerializer, fresh, code)

    @extend_schema(
        request=es.VersionSaveSerializer,
        responses={201: es.EstimateVersionDetailSerializer, 409: es.StaleVersionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def versions(self, request, pk=None):
        """Save the scenario as a new read-only version built on `base_number`.

        409 when someone saved another version since: nothing is saved, and the answer says
        which version is the latest and where to see what changed.
        """
        estimate = self.get_object()
        params = self.bind(es.VersionSaveSerializer)
        try:
            version = do_save_version(
                estimate,
                request.user,
                base_number=params["base_number"],
                lines=params["lines"],
                contingency_pct=params["contingency_pct"],
                note=params["note"],
                scenario=params.get("scenario"),
            )
        except StaleEstimate as stale:
            return Response(self._stale(stale), status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise _version_error(exc) from exc
        version = _version_with_lines(version.pk)
        return self.respond(es.EstimateVersionDetailSerializer, version, status.HTTP_201_CREATED)

    def _stale(self, stale: StaleEstimate) -> dict:
        estimate, absolute = stale.estimate, self.request.build_absolute_uri
        latest_url = diff_url = None
        # A client may send a number the scenario never reached: there is then no latest
        # version to show, or nothing to compare.
        if estimate.latest_version_id:
            latest_url = absolute(
                reverse("estimateversion-detail", args=[estimate.latest_version_id])
            )
        if stale.base_number < stale.latest:
            path = reverse("estimate-diff", args=[estimate.pk])
            diff_url = absolute(f"{path}?from={stale.base_number}&to={stale.latest}")
        return {
            "detail": stale.messages[0],
            "latest": stale.latest,
            "latest_url": latest_url,
            "diff_url": diff_url,
        }

    @extend_schema(request=es.ScenarioCopySerializer, responses={201: es.ScenarioSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Start a new scenario from this one's latest version, its rates and costs included
        ("half the booth"); size drivers not sent are copied."""
        estimate = self.get_object()
        params = dict(self.bind(es.ScenarioCopySerializer))
        copy = do_copy_estimate(estimate, request.user, name=params.pop("name"), **params)
        return self._answer(copy.pk, status.HTTP_201_CREATED)

    @extend_schema(request=es.AcceptSerializer, responses=es.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the scenario's latest version: the deal's amount follows its price, and the
        request it answered becomes accepted. Send the `number` you looked at."""
        data = self.bind(es.AcceptSerializer)
        estimate = do_accept_estimate(self.get_object(), request.user, number=data.get("number"))
        return self._answer(estimate.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                int,
                description="Defaults to the version before `to`; 0 is the empty scenario "
                "before its first save.",
            ),
            OpenApiParameter("to", int, description="Defaults to the latest version."),
        ],
        responses=es.VersionDiffSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def diff(self, request, pk=None):
        """What changed between two versions of the scenario: the headline figures and the
        lines added, removed or changed (costs only for those who see them)."""
        estimate = self.get_object()
        if not estimate.latest_number:
            raise ValidationError({"to": ["This scenario has no saved version yet."]})
        new = self._number("to", default=estimate.latest_number)
        old = self._number("from", default=new - 1)
        versions = {v.number: v for v in estimate.versions.filter(number__in=[old, new])}
        # Version 0 is the empty scenario before its first save, as on the diff page.
        versions[0] = None
        missing = {
            name: [f"This scenario has no version {number}."]
            for name, number in (("from", old), ("to", new))
            if number not in versions or (name == "to" and number == 0)
        }
        if missing:
            raise ValidationError(missing)
        body = version_diff(versions[old], versions[new], costs=can_see_costs(request.user))
        return Response(es.VersionDiffSerializer(body).data)

    def _number(self, name: str, default: int) -> int:
        value = self.request.query_params.get(name)
        if value is None:
            return default
        if not value.isdigit():
            raise ValidationError({name: ["Give a version number."]})
        return int(value)


def _plain(value):
    # Decimals as the rest of the API writes them (strings, to the cent), not floats.
    return str(value) if isinstance(value, Decimal) else value


def _plain_line(line: dict | None) -> dict | None:
    return None if line is None else {field: _plain(value) for field, value in line.items()}


def version_diff(old: EstimateVersion | None, new: EstimateVersion, *, costs: bool) -> dict:
    """The changes from version `old` (None: before the first save) to `new` of one
    scenario, as the diff endpoint says them: cost figures and cost fields of lines only
    with `costs`."""
    changes = version_changes(old, new, costs=costs)
    return {
        "from_number": old.number if old else 0,
        "to_number": new.number,
        "figures": [
            {"field": change.field, "old": _plain(change.old), "new": _plain(change.new)}
            for change in changes.figures
        ],
        "lines": [
            {
                "change": change.change,
                "kind": change.kind,
                "name": change.name,
                "old": _plain_line(change.old),
                "new": _plain_line(change.new),
                "fields": [
                    {"field": f.field, "old": _plain(f.old), "new": _plain(f.new)}
                    for f in change.fields
                ],
            }
            for change in changes.lines
        ],
    }


# Versions and lines: read only ------------------------------------------------------------


class EstimateReadPermission(BasePermission):
    """Versions and lines are read by whoever reads estimates, and never written here."""

    message = "You cannot see estimates."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("estimates.view_estimate"))


class EstimateVersionViewSet(SeesCostsMixin, ApiViewSet):
    """Saved versions, newest first per scenario; one version comes with its lines. Versions
    never change: a save makes a new one (POST to the scenario's `versions`)."""

    queryset = EstimateVersion.objects.all()
    serializer_class = es.EstimateVersionSerializer
    permission_classes = [EstimateReadPermission]
    filterset_class = EstimateVersionFilter
    ordering_fields = ["number", "created_at"]

    def get_queryset(self):
        versions = EstimateVersion.objects.filter(
            estimate__in=estimates_for_user(self.request.user)
        ).select_related("estimate", "created_by")
        if self.action == "retrieve":
            lines = EstimateLine.objects.select_related("role", "catalog_item")
            versions = versions.prefetch_related(Prefetch("lines", queryset=lines))
        return versions

    def get_serializer_class(self):
        if self.action == "retrieve":
            return es.EstimateVersionDetailSerializer
        return es.EstimateVersionSerializer


class EstimateLineViewSet(SeesCostsMixin, ApiViewSet):
    """Saved lines, in order; filter by `version` for one version's. Cost fields only for
    the people who may see costs."""

    queryset = EstimateLine.objects.all()
    serializer_class = es.EstimateLineSerializer
    permission_classes = [EstimateReadPermission]
    filterset_class = EstimateLineFilter
    ordering_fields = ["position", "line_price"]

    def get_queryset(self):
        return EstimateLine.objects.filter(
            version__estimate__in=estimates_for_user(self.request.user)
        ).select_related("role", "catalog_item")


# Past projects ----------------------------------------------------------------------------


class PastProjectPermission(ReadForViewersWriteByRule):
    """Everyone who reads estimates reads the past projects; estimators keep them."""

    message = "Only project managers, resource managers and admins keep the past projects."

    def can_write(self, request, view) -> bool:
        if view.action == "create":
            return request.user.has_perm("estimates.add_pastproject")
        return request.user.has_perm("estimates.change_pastproject")


class PastProjectViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    """Finished projects and the hours each role actually took: what new estimates are
    compared with. An update sends back the `version` it read; a stale one is a 409."""

    queryset = PastProject.objects.prefetch_related(
        Prefetch("hours", queryset=PastProjectHours.objects.select_related("role"))
    )
    serializer_class = es.PastProjectSerializer
    permission_classes = [PastProjectPermission]
    parser_classes = [JSONParser]
    filterset_class = PastProjectFilter
    ordering_fields = ["completed_on", "reference", "name", "screen_area_m2", "created_at"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = do_create_past_project(self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version, hours = data.pop("version", None), data.pop("hours", None)
        serializer.instance = do_update_past_project(
            serializer.instance, self.request.user, data, hours=hours, version=version
        )

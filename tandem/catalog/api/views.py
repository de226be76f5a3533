"""The REST API's views for suppliers, the catalog and the rate cards. Each finds the object
(DRF's get_object with the permission classes of permissions.py), binds a serializer, calls
one service and answers with the result."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from tandem.catalog import imports as catalog_import
from tandem.catalog import services as estimate_services
from tandem.catalog.access import can_see_costs
from tandem.catalog.api import serializers as s
from tandem.catalog.api.permissions import CatalogPermission, RateCardPermission, SupplierPermission
from tandem.catalog.filters import CatalogFilter
from tandem.catalog.models import CatalogItem, LabourRole, Supplier, rate_on, rates_on
from tandem.core.api.views import ApiViewSet, fields_and_version


class SeesCostsMixin:
    """Tell the serializers whether the reader may see costs."""

    def sees_costs(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and can_see_costs(request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_costs": self.sees_costs()}


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
        """GET: the role's rate history, newest first. POST: add a rate from a date on (one
        rate per role and day). A bill rate below cost needs `confirm_below_cost`; a date
        before today is for admins, with `confirm_back_dated`."""
        role = self.get_object()
        if request.method == "POST":
            data = self.bind(s.RoleRateSerializer)
            rate = estimate_services.do_add_rate(
                role, request.user, today=timezone.localdate(), **data
            )
            return self.respond(s.RoleRateSerializer, rate, status.HTTP_201_CREATED)
        rates = role.rates.order_by("-effective_from")
        page = self.paginator.paginate_queryset(rates, request, view=self)
        context = self.get_serializer_context()
        data = s.RoleRateSerializer(page, many=True, context=context).data
        return self.paginator.get_paginated_response(data)

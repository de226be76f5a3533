"""What the API reads and writes for suppliers, the catalog and the rate cards (the
estimates' own serializers are in estimates_serializers.py). Serializers only check shapes
and types: every write is done by a service in the views, never by `serializer.save()`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.catalog.models import CatalogItem, LabourRole, RoleRate, Supplier
from tandem.catalog.services import ITEM_FIELDS, RATE_FIELDS, ROLE_FIELDS, SUPPLIER_FIELDS
from tandem.core.api.fields import CurrencyField, VersionField


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
    # The same confirmations as the rate form asks for; the service refuses without them.
    confirm_below_cost = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Must be true to add a rate whose bill rate is below its cost rate.",
    )
    confirm_back_dated = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Admins only: must be true to add a rate starting before today. Estimates "
        "already built keep the rates they copied.",
    )
    currency = CurrencyField(required=False)

    class Meta:
        model = RoleRate
        fields = ["id", *RATE_FIELDS, "confirm_below_cost", "confirm_back_dated", "created_at"]
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

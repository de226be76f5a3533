"""What the estimates API reads and writes: requests, scenarios, versions, lines and past
projects. As everywhere in the API, serializers check shapes and types only; the services
write. Cost fields are left out of the answer altogether (not sent as null) for people who
may not see costs: the views say who may, in the context's `sees_costs`."""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from tandem.catalog.api.serializers import HidesCostsMixin
from tandem.catalog.models import CatalogItem, LabourRole
from tandem.core.api.fields import VersionField
from tandem.estimates.actuals.services import PROJECT_FIELDS
from tandem.estimates.models import (
    Estimate,
    EstimateLine,
    EstimateRequest,
    EstimateVersion,
    EstimatorPart,
    LineKind,
    PastProject,
    PastProjectHours,
    RequestAttachment,
    RequestEstimator,
)
from tandem.estimates.requests.services import REQUEST_FIELDS
from tandem.estimates.scenarios.fetch import (
    COST_FIELDS,
    LINE_FIELDS,
    VERSION_COST_FIGURES,
    VERSION_FIGURES,
)
from tandem.estimates.scenarios.services import DRIVER_FIELDS
from tandem.people.models import User
from tandem.pipeline.models import Deal

COSTS_HELP = "Only in answers to people who may see costs."
# A version's figures that tell what the work costs us; its price, margin percent and budget
# range are for everyone.
VERSION_COST_FIELDS = VERSION_COST_FIGURES


def _costs_help(fields) -> dict:
    return {field: {"help_text": COSTS_HELP} for field in fields}


# Estimate requests ------------------------------------------------------------------------


class RequestEstimatorSerializer(serializers.ModelSerializer):
    estimator = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    estimator_name = serializers.CharField(source="estimator.name", read_only=True)
    part = serializers.ChoiceField(choices=EstimatorPart.choices, default=EstimatorPart.EVERYTHING)

    class Meta:
        model = RequestEstimator
        fields = ["estimator", "estimator_name", "part"]


class EstimateRequestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="estimaterequest-detail")
    deal = serializers.PrimaryKeyRelatedField(
        queryset=Deal.objects.all(), help_text="Set when the request is made; it never moves."
    )
    deal_name = serializers.CharField(source="deal.name", read_only=True)
    requested_by_name = serializers.CharField(
        source="requested_by.name", read_only=True, default=None
    )
    estimators = RequestEstimatorSerializer(
        many=True,
        source="assignments",
        help_text="Who estimates which part. Sending the list replaces the request's "
        "estimators; those added are told.",
    )
    is_overdue = serializers.SerializerMethodField(
        help_text="Still open and past its needed-by date."
    )
    version = VersionField()

    class Meta:
        model = EstimateRequest
        fields = [
            "id",
            "url",
            "deal",
            "deal_name",
            *REQUEST_FIELDS,
            "estimators",
            "version",
            "status",
            "status_note",
            "status_changed_at",
            "is_overdue",
            "requested_by",
            "requested_by_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_note", "status_changed_at", "requested_by"]

    def get_is_overdue(self, request) -> bool:
        return request.is_overdue(timezone.localdate())

    def validate(self, attrs):
        if self.instance is not None and "deal" in attrs:
            if attrs["deal"] != self.instance.deal:
                raise serializers.ValidationError(
                    {"deal": "A request stays on its deal: ask again on the other deal."}
                )
            del attrs["deal"]
        return attrs


class RequestNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Told to the seller."
    )


class RequestDeclineSerializer(serializers.Serializer):
    # Optional here so that the service, which owns the rule, says why it is needed.
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required: told to the seller."
    )


class RequestRoundAgainSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: what the client wants changed.",
    )
    needed_by = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A new needed-by date."
    )


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(
        source="uploaded_by.name", read_only=True, default=None
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RequestAttachment
        fields = [
            "id",
            "name",
            "size",
            "content_type",
            "download_url",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment) -> str:
        # The download page checks who asks, as the request's page does.
        path = attachment.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        help_text="One or more files (PDF, images, Office documents, DWG/DXF, ZIP, CSV, text), "
        "each within the company's size limit. All are checked before any is kept.",
    )


# Scenarios and versions -------------------------------------------------------------------


class VersionTotalsSerializer(HidesCostsMixin, serializers.ModelSerializer):
    """A version's saved figures, without its lines."""

    url = serializers.HyperlinkedIdentityField(view_name="estimateversion-detail")
    cost_fields = VERSION_COST_FIELDS

    class Meta:
        model = EstimateVersion
        fields = [
            "id",
            "url",
            "number",
            "note",
            "created_at",
            "created_by",
            *VERSION_FIGURES,
        ]
        read_only_fields = fields
        extra_kwargs = _costs_help(VERSION_COST_FIELDS)


class ScenarioSerializer(serializers.ModelSerializer):
    """A scenario (an `Estimate`) with its current version's figures."""

    url = serializers.HyperlinkedIdentityField(view_name="estimate-detail")
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.all())
    deal_name = serializers.CharField(source="deal.name", read_only=True)
    request = serializers.PrimaryKeyRelatedField(
        queryset=EstimateRequest.objects.all(),
        required=False,
        allow_null=True,
        help_text="The request this scenario answers; it moves to in progress.",
    )
    latest_version = VersionTotalsSerializer(
        read_only=True, allow_null=True, help_text="The current version; null before a save."
    )
    accepted_number = serializers.IntegerField(
        source="accepted_version.number", read_only=True, default=None
    )
    is_accepted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Estimate
        fields = [
            "id",
            "url",
            "deal",
            "deal_name",
            "request",
            "name",
            "currency",
            *DRIVER_FIELDS,
            "copied_from",
            "latest_number",
            "latest_version",
            "is_accepted",
            "accepted_number",
            "accepted_at",
            "accepted_by",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "currency",
            "copied_from",
            "latest_number",
            "accepted_at",
            "accepted_by",
            "created_by",
        ]
        # The service compares names per deal case-insensitively and says so on the field.
        validators = []


class ScenarioChangeSerializer(serializers.ModelSerializer):
    """The scenario's name and size drivers; only the fields sent change."""

    class Meta:
        model = Estimate
        fields = ["name", *DRIVER_FIELDS]
        extra_kwargs = {"name": {"required": False}}
        validators = []


class ScenarioCopySerializer(ScenarioChangeSerializer):
    """The copy's name (required) and the size drivers that differ from the original's."""

    class Meta(ScenarioChangeSerializer.Meta):
        extra_kwargs = {"name": {"required": True}}


_LINE_INPUT_FIELDS = tuple(dict.fromkeys(f for fields in LINE_FIELDS.values() for f in fields))
_NOT_NEGATIVE = ("qty", "unit_cost", "unit_price", "crew_size", "cost")


# Named as the request shape of a saved line, so the line kinds are one enum in the schema.
@extend_schema_serializer(component_name="EstimateLine")
class LineInputSerializer(serializers.ModelSerializer):
    """One line as typed. Only the fields of its kind count (see the field descriptions);
    those of other kinds are ignored, so a line read from a version can be sent back.
    Left out or null, a field takes its default: an equipment line takes its name, unit
    cost, lead time and (without a markup) list price from its catalog item; a labour line
    its name from its role and its rates from the rate card in effect today."""

    kind = serializers.ChoiceField(choices=LineKind.choices)
    source = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The id of an earlier line of this scenario that this line continues: it "
        "keeps that line's rates and catalog cost rather than today's.",
    )
    catalog_item = serializers.IntegerField(
        required=False, allow_null=True, help_text="Equipment: a catalog item's id."
    )
    role = serializers.IntegerField(
        required=False, allow_null=True, help_text="Labour (required): a labour role's id."
    )

    class Meta:
        model = EstimateLine
        fields = ["kind", "source", *_LINE_INPUT_FIELDS]
        extra_kwargs = {
            **{
                field: {"required": False, "allow_null": True}
                for field in _LINE_INPUT_FIELDS
                if field not in ("catalog_item", "role")
            },
            "name": {"required": False, "allow_null": True, "allow_blank": True},
            "description": {"required": False, "allow_null": True, "allow_blank": True},
            **{
                field: {"required": False, "allow_null": True, "min_value": 0}
                for field in _NOT_NEGATIVE
            },
            "markup_pct": {"required": False, "allow_null": True, "min_value": -100},
            "overtime_share": {
                "required": False,
                "allow_null": True,
                "min_value": 0,
                "max_value": 1,
                "help_text": "The share of the hours paid at overtime, 0 to 1.",
            },
            "calls": {"required": False, "allow_null": True, "min_value": 1},
        }


class VersionSaveSerializer(serializers.Serializer):
    base_number = serializers.IntegerField(
        min_value=0,
        help_text="The version this edit started from (0 for a scenario's first save). If "
        "someone saved another version since, nothing is saved and the answer is a 409.",
    )
    contingency_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, default=Decimal(0)
    )
    note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="What changed."
    )
    lines = LineInputSerializer(
        many=True, help_text="Every line of the new version, in order: lines left out go."
    )
    scenario = ScenarioChangeSerializer(
        required=False, help_text="Rename the scenario or change its size drivers as well."
    )

    def validate_lines(self, lines):
        """Swap role and catalog item ids for the rows, in one query each. Errors are keyed
        by the line's index, as DRF reports the lines' other errors."""
        rows = {
            "role": LabourRole.objects.in_bulk({line.get("role") for line in lines} - {None}),
            "catalog_item": CatalogItem.objects.in_bulk(
                {line.get("catalog_item") for line in lines} - {None}
            ),
        }
        what = {"role": "labour role", "catalog_item": "catalog item"}
        errors, resolved = {}, []
        for index, raw in enumerate(lines):
            line = dict(raw)
            for field, found in rows.items():
                if field not in LINE_FIELDS[line["kind"]]:
                    line.pop(field, None)
                elif line.get(field) is not None:
                    line[field] = found.get(line[field])
                    if line[field] is None:
                        message = f"There is no {what[field]} with id {raw[field]}."
                        errors.setdefault(index, {})[field] = [message]
            resolved.append(line)
        if errors:
            raise serializers.ValidationError(errors)
        return resolved


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    latest = serializers.IntegerField(help_text="The number of the latest version.")
    latest_url = serializers.URLField(
        allow_null=True, help_text="That version, with its lines; null before a first save."
    )
    diff_url = serializers.URLField(
        allow_null=True,
        help_text="What changed between the version edited and the latest one; null when "
        "the scenario never reached the version edited.",
    )


class EstimateLineSerializer(HidesCostsMixin, serializers.ModelSerializer):
    """A saved line. Every line has every field; those of other kinds hold their defaults."""

    url = serializers.HyperlinkedIdentityField(view_name="estimateline-detail")
    catalog_item_sku = serializers.CharField(
        source="catalog_item.sku", read_only=True, default=None
    )
    role_name = serializers.CharField(source="role.name", read_only=True, default=None)
    cost_fields = tuple(sorted(COST_FIELDS))

    class Meta:
        model = EstimateLine
        fields = [
            "id",
            "url",
            "version",
            "position",
            "kind",
            "name",
            "description",
            "catalog_item",
            "catalog_item_sku",
            "qty",
            "unit_cost",
            "unit_price",
            "markup_pct",
            "lead_time_days",
            "role",
            "role_name",
            "crew_size",
            "hours_low",
            "hours_likely",
            "hours_high",
            "overtime_share",
            "calls",
            "cost_rate",
            "bill_rate",
            "overtime_multiplier",
            "minimum_call_hours",
            "cost",
            "line_cost",
            "line_price",
            "expected_hours",
        ]
        read_only_fields = fields
        extra_kwargs = _costs_help(COST_FIELDS)


class EstimateVersionSerializer(VersionTotalsSerializer):
    estimate_name = serializers.CharField(source="estimate.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.name", read_only=True, default=None)
    is_latest = serializers.SerializerMethodField()

    class Meta(VersionTotalsSerializer.Meta):
        fields = [
            "id",
            "url",
            "estimate",
            "estimate_name",
            "number",
            "is_latest",
            "note",
            "created_at",
            "created_by",
            "created_by_name",
            *VERSION_FIGURES,
        ]
        read_only_fields = fields

    def get_is_latest(self, version) -> bool:
        return version.estimate.latest_number == version.number


class EstimateVersionDetailSerializer(EstimateVersionSerializer):
    lines = EstimateLineSerializer(many=True, read_only=True)

    class Meta(EstimateVersionSerializer.Meta):
        fields = [*EstimateVersionSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class LineChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    kind = serializers.CharField(help_text="The line's kind, as on the line.")
    name = serializers.CharField()
    old = serializers.DictField(allow_null=True, help_text="The line before; null when added.")
    new = serializers.DictField(allow_null=True, help_text="The line after; null when removed.")
    fields = FieldChangeSerializer(many=True, help_text="For a changed line: what changed.")


class VersionDiffSerializer(serializers.Serializer):
    from_number = serializers.IntegerField()
    to_number = serializers.IntegerField()
    figures = FieldChangeSerializer(
        many=True, help_text="The headline figures that differ (costs only for those who see them)."
    )
    lines = LineChangeSerializer(
        many=True,
        help_text="Lines added, removed or changed, in the newer version's order; removed "
        "lines last. Lines pair up by kind, name, role and catalog item.",
    )


# Past projects ---------------------------------------------------------------------------


class PastProjectHoursSerializer(serializers.ModelSerializer):
    role = serializers.PrimaryKeyRelatedField(queryset=LabourRole.objects.all())
    role_name = serializers.CharField(source="role.name", read_only=True)

    class Meta:
        model = PastProjectHours
        fields = ["role", "role_name", "hours"]
        extra_kwargs = {"hours": {"help_text": "The hours the role actually took: above 0."}}


class PastProjectSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="pastproject-detail")
    hours = PastProjectHoursSerializer(
        many=True,
        help_text="The hours each role actually took, one entry per role; at least one. "
        "Sending the list replaces the project's hours.",
    )
    version = VersionField()

    class Meta:
        model = PastProject
        fields = [
            "id",
            "url",
            *PROJECT_FIELDS,
            "source",
            "hours",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["source"]
        # The service compares references case-insensitively and says so on the field.
        extra_kwargs = {"reference": {"validators": []}}

    def validate_hours(self, hours):
        roles = [entry["role"] for entry in hours]
        twice = sorted({role.name for role in roles if roles.count(role) > 1})
        if twice:
            raise serializers.ValidationError(f"One entry per role: {', '.join(twice)} twice.")
        return {entry["role"]: entry["hours"] for entry in hours}


class AcceptSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you looked at: when a newer one was saved since, the accept is "
        "refused (409) so nobody accepts a price they never saw.",
    )

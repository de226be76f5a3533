"""The CRM's REST API: accounts, contacts (with their emails and phones) and stakeholders,
registered on the shared router as /api/v1/accounts/, contacts/ and stakeholders/.
Serializers only check shapes and types; every write is done by a service in crm/services.py,
never by `serializer.save()`."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from tandem.core.api.fields import VersionField, active_users
from tandem.core.api.permissions import ReadForViewersWriteByRule
from tandem.core.api.routers import router
from tandem.core.api.views import ApiViewSet, fields_and_version
from tandem.crm import services as crm_services
from tandem.crm.access import can_edit_crm
from tandem.crm.filters import AccountFilter, ContactFilter, StakeholderFilter
from tandem.crm.models import (
    Account,
    Contact,
    ContactEmail,
    ContactPhone,
    Influence,
    Stakeholder,
)
from tandem.crm.services import ACCOUNT_FIELDS


class CrmPermission(ReadForViewersWriteByRule):
    """Accounts, contacts, stakeholders and activities: finance and crew read only."""

    message = "Your role cannot change accounts and contacts."

    def can_write(self, request, view) -> bool:
        return can_edit_crm(request.user)


# Serializers -----------------------------------------------------------------------------


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


# Views -----------------------------------------------------------------------------------


class AccountViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet):
    queryset = Account.objects.select_related("owner")
    serializer_class = AccountSerializer
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
    serializer_class = ContactSerializer
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
    serializer_class = StakeholderSerializer
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

    @extend_schema(request=StakeholderMoveSerializer, responses={201: StakeholderSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """End this role the day before `moved_on` and start one at `to_account`."""
        stakeholder = self.get_object()
        params = self.bind(StakeholderMoveSerializer)
        new_period = crm_services.do_move_stakeholder(stakeholder, request.user, **params)
        return self.respond(StakeholderSerializer, new_period, status.HTTP_201_CREATED)


router.register("accounts", AccountViewSet)
router.register("contacts", ContactViewSet)
router.register("stakeholders", StakeholderViewSet)

"""Serializer fields and querysets that every app's serializers use."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.core.currencies import CURRENCY_CHOICES, default_currency, normalise_currency
from tandem.core.services import version_of


@extend_schema_field(OpenApiTypes.STR)
class VersionField(serializers.Field):
    """Reads as the row's version token; a client sends it back on update to prove it edited
    the latest copy. The view hands it to the service, which refuses a stale write."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", required=False)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return version_of(instance)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("Send back the version string you read.")
        return {"version": data}


def active_users():
    """The people a row may be given to (an owner, an attendee): only those still active."""
    return get_user_model().objects.filter(is_active=True)


class CurrencyField(serializers.ChoiceField):
    """An ISO 4217 code; "usd" is taken as USD, anything else not on the list is refused.
    Left out (or blank where `allow_blank`), the service uses the company's currency."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "An ISO 4217 code such as USD or EUR; defaults to the company's."
        )
        super().__init__(choices=CURRENCY_CHOICES, **kwargs)
        self.error_messages["invalid_choice"] = (
            "“{input}” is not a currency we know. Send an ISO 4217 code such as "
            + default_currency()
            + "."
        )

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_currency(data))

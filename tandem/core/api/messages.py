"""The API's field errors in plain words, as the forms give them (tandem.core.forms).

DRF builds each field's messages from its class's `default_error_messages` when the field is
made, and makes the fields of every serializer afresh for each request; so replacing the
class defaults once at start-up (CoreConfig.ready, before any app's api module is imported)
reaches every serializer, while a message a serializer sets itself still wins.
"""

from rest_framework import relations, serializers

REQUIRED = "Fill this in."
MIN = "Send {min_value} or more."
MAX = "Send {max_value} or less."

FRIENDLY = {
    serializers.Field: {"required": REQUIRED, "null": REQUIRED},
    serializers.CharField: {
        "blank": REQUIRED,
        "invalid": "Send text.",
        "max_length": "Keep this to {max_length} characters or fewer.",
        "min_length": "Write at least {min_length} characters.",
    },
    serializers.EmailField: {"invalid": "Send an email address like name@example.com."},
    serializers.URLField: {"invalid": "Send a web address like https://example.com."},
    serializers.IntegerField: {
        "invalid": "Send a whole number, like 12.",
        "min_value": MIN,
        "max_value": MAX,
        "max_string_length": "That number is too big.",
    },
    serializers.FloatField: {
        "invalid": "Send a number, like 1250.5.",
        "min_value": MIN,
        "max_value": MAX,
        "max_string_length": "That number is too big.",
    },
    serializers.DecimalField: {
        "invalid": "Send a number, like 1250.50.",
        "min_value": MIN,
        "max_value": MAX,
        "max_digits": "That number is too big: at most {max_digits} digits in all.",
        "max_decimal_places": "Use at most {max_decimal_places} digits after the decimal point.",
        "max_whole_digits": (
            "That number is too big: at most {max_whole_digits} digits before the decimal point."
        ),
        "max_string_length": "That number is too big.",
    },
    serializers.BooleanField: {"invalid": "Send true or false."},
    serializers.DateField: {
        "invalid": "Send a date like 2026-12-31.",
        "datetime": "Send a date like 2026-12-31, without a time.",
    },
    serializers.DateTimeField: {
        "invalid": "Send a date and time like 2026-12-31T14:30:00Z.",
        "date": "Send a date and a time, not only a date.",
        "make_aware": "That time does not exist in the {timezone} time zone.",
        "overflow": "That date is too far away.",
    },
    serializers.TimeField: {"invalid": "Send a time like 14:30."},
    serializers.ChoiceField: {"invalid_choice": "“{input}” is not one of the choices."},
    serializers.MultipleChoiceField: {
        "not_a_list": "Send a list of choices, not {input_type}.",
        "empty": "Choose at least one.",
    },
    serializers.ListField: {
        "not_a_list": "Send a list, not {input_type}.",
        "empty": "Send at least one.",
    },
    relations.PrimaryKeyRelatedField: {
        "does_not_exist": "Nothing with id {pk_value} exists, or you may not see it.",
        "incorrect_type": "Send an id (a whole number), not {data_type}.",
    },
    relations.ManyRelatedField: {
        "not_a_list": "Send a list of ids, not {input_type}.",
        "empty": "Send at least one id.",
    },
}


def use_friendly_messages() -> None:
    """Give every DRF field class the plain-words messages above (safe to call twice)."""
    for field_class, messages in FRIENDLY.items():
        # A copy per class: DRF's classes share no dict we would otherwise change for another.
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}

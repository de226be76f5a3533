from decimal import Decimal

from django import forms

from tandem.core.currencies import CURRENCY_CHOICES, default_currency, normalise_currency

# Errors in the words of the people who fill in the forms, not Django's ("Ensure that there
# are no more than 12 digits in total."). A form's own message for a field always wins.
REQUIRED = "Fill this in."
CHOOSE = "Choose one."
INVALID_CHOICE = "Choose one of the options in the list."
GONE_CHOICE = "That choice is not available: choose one from the list."
DATE = "Enter a date like 2026-12-31."
DATETIME = "Enter a date and time like 2026-12-31 14:30."
TIME = "Enter a time like 14:30."
WHOLE = "Enter a whole number, like 12."
NUMBER = "Enter a number, like 1250 or 1250.50."
MIN_VALUE = "Enter %(limit_value)s or more."
MAX_VALUE = "Enter %(limit_value)s or less."
MAX_LENGTH = "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
MIN_LENGTH = "Write at least %(limit_value)d characters (it has %(show_value)d)."
EMAIL = "Enter an email address like name@example.com."
URL = "Enter a web address like example.com."
DECIMALS = "Use at most %(max)s digits after the decimal point."


def _largest(max_digits: int, places: int) -> str:
    largest = Decimal(10) ** (max_digits - places) - Decimal(1).scaleb(-places)
    return f"{largest:,.{places}f}"


def _friendly_for(field: forms.Field) -> dict[str, str]:
    """The plain-words message of each error `field` can give."""
    messages = {"required": REQUIRED}
    if isinstance(field, forms.BooleanField):
        messages["required"] = "Tick this box to go on."
    elif isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        messages.update(required=CHOOSE, invalid_choice=GONE_CHOICE)
    elif isinstance(field, forms.ChoiceField):
        messages.update(required=CHOOSE, invalid_choice=INVALID_CHOICE)
    elif isinstance(field, forms.FileField):
        messages.update(
            required="Choose a file.",
            missing="Choose a file.",
            empty="That file is empty.",
            invalid="That is not a file: choose it again.",
        )
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = DATETIME
    elif isinstance(field, forms.DateField):
        messages["invalid"] = DATE
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = TIME
    elif isinstance(field, forms.DecimalField):
        messages.update(invalid=NUMBER, min_value=MIN_VALUE, max_value=MAX_VALUE)
        places = field.decimal_places
        if field.max_digits is not None and places is not None:
            too_big = f"That number is too big: the most this takes is {_largest(field.max_digits, places)}."
            messages.update(max_digits=too_big, max_whole_digits=too_big)
        if places == 0:
            messages["max_decimal_places"] = WHOLE
        elif places == 1:
            messages["max_decimal_places"] = "Use at most one digit after the decimal point."
        else:
            messages["max_decimal_places"] = DECIMALS
    elif isinstance(field, forms.IntegerField):  # FloatField too
        is_float = isinstance(field, forms.FloatField)
        messages.update(
            invalid=NUMBER if is_float else WHOLE, min_value=MIN_VALUE, max_value=MAX_VALUE
        )
    if isinstance(field, forms.EmailField):
        messages["invalid"] = EMAIL
    elif isinstance(field, forms.URLField):
        messages["invalid"] = URL
    if isinstance(field, forms.CharField):
        messages.update(max_length=MAX_LENGTH, min_length=MIN_LENGTH)
    return messages


def _django_defaults(field_class) -> dict:
    defaults = {}
    for cls in reversed(field_class.__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def friendly_errors(field: forms.Field) -> None:
    """Put plain words in place of Django's messages on `field`, keeping any the form set."""
    defaults = _django_defaults(type(field))
    for code, message in _friendly_for(field).items():
        current = field.error_messages.get(code)
        if current is None or current == defaults.get(code):
            field.error_messages[code] = message


class FriendlyErrorsMixin:
    """Every field of the form says what is wrong in plain words (see `friendly_errors`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            friendly_errors(field)


class CurrencyField(forms.TypedChoiceField):
    """A currency from ISO 4217's list, the company's chosen at first. What is typed or sent as
    "usd" is taken as USD; anything not on the list is refused beside the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", CURRENCY_CHOICES)
        kwargs.setdefault("initial", default_currency)
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = (
            "“%(value)s” is not a currency we know. Choose one from the list."
        )

    def to_python(self, value):
        return normalise_currency(super().to_python(value))


class StyledFormMixin(FriendlyErrorsMixin):
    """Give every widget the toolkit's classes so templates render fields one way, and every
    error plain words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        super().add_error(field, error)
        # A refused field is outlined too, so the eye finds it before reading its message
        # (whether the field or a service refused it).
        for name in self._errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = f"{css} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_service_errors(form: forms.Form, error) -> None:
    """Attach a service's ValidationError to the form: field errors where the field is on the
    form, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit(request, form, write, success):
    """Run the write service on a valid posted form and say so; return what it wrote.

    `write(cleaned_data)` calls one service; its ValidationError lands on the form's fields
    and None comes back, so the view shows the form again with what was typed.
    `success(obj)` gives the flash message.
    """
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success(obj))
    return obj

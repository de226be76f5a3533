"""Currencies from ISO 4217's list, compact money for big totals, and errors in plain words
on every form and API field."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from tandem.core.api.fields import CurrencyField as ApiCurrencyField
from tandem.core.currencies import CURRENCIES, CURRENCY_CHOICES, validate_currency
from tandem.core.forms import CurrencyField, FriendlyErrorsMixin
from tandem.core.services import ErrorCollector
from tandem.core.templatetags.tandem import compact_money


def test_the_currency_list_is_iso_4217s_active_codes():
    assert len(CURRENCIES) >= 175
    assert {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "XCG", "ZWG", "SLE"} <= set(CURRENCIES)
    # Withdrawn codes and the ones no amount is ever in are not offered.
    assert not {"ANG", "ZWL", "HRK", "BGN", "SLL", "XTS", "XXX", "DOL"} & set(CURRENCIES)
    assert all(len(code) == 3 and code.isupper() for code in CURRENCIES)
    assert ("EUR", "EUR — Euro") in CURRENCY_CHOICES


@pytest.mark.parametrize("value", ["dol", "DOL", "usd", "", None, 12, "US DOLLAR"])
def test_the_validator_refuses_anything_but_a_code_in_capitals(value):
    with pytest.raises(ValidationError) as refused:
        validate_currency(value)

    assert "is not a currency we know" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "kept"), [("usd", "USD"), (" eur ", "EUR"), ("GBP", "GBP"), ("", "")]
)
def test_the_form_field_takes_a_code_in_any_case(typed, kept):
    assert CurrencyField(required=False).clean(typed) == kept


@pytest.mark.parametrize("typed", ["dol", "US$", "euro", "12"])
def test_the_form_field_refuses_what_is_not_a_currency(typed):
    with pytest.raises(ValidationError) as refused:
        CurrencyField().clean(typed)

    assert refused.value.messages == [
        f"“{typed.upper()}” is not a currency we know. Choose one from the list."
    ]


def test_the_api_field_takes_a_code_in_any_case_and_refuses_others():
    field = ApiCurrencyField()

    assert field.run_validation("chf") == "CHF"
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation("dol")
    assert "“DOL” is not a currency we know" in str(refused.value.detail[0])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("999"), "$999"),
        (Decimal("1e3"), "$1k"),
        (Decimal("1e6"), "$1.0M"),
        (Decimal("999960"), "$1.0M"),
        (Decimal("9.99e9"), "$10.0B"),
        (Decimal("1e10"), "$10.0B"),
        (Decimal("9999999999"), "$10.0B"),
        (Decimal("999960000"), "$1.0B"),
        (Decimal("1e12"), "$1.0T"),
        (Decimal("2.5e15"), "$2,500.0T"),
        (Decimal("-1500000"), "-$1.5M"),
    ],
)
def test_compact_money_takes_the_next_unit_up_to_trillions(value, expected):
    assert compact_money(value) == expected


def test_compact_money_names_a_currency_without_a_symbol():
    assert compact_money(Decimal("12e9"), "JPY") == "JPY 12.0B"


class Everything(FriendlyErrorsMixin, forms.Form):
    name = forms.CharField(max_length=5)
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    crew = forms.IntegerField(max_value=50)
    day = forms.DateField()
    when = forms.DateTimeField()
    email = forms.EmailField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    own = forms.CharField(error_messages={"required": "Name the show."})


def test_every_error_of_a_form_is_in_plain_words_at_once():
    form = Everything(
        {
            "name": "Far too long",
            "amount": "12345678901.234",
            "crew": "2.5",
            "day": "31/12/2026",
            "when": "tomorrow",
            "email": "pat@",
            "kind": "z",
        }
    )

    assert form.errors == {
        "name": ["Keep this to 5 characters or fewer (it has 12)."],
        "amount": ["That number is too big: the most this takes is 9,999,999,999.99."],
        "crew": ["Enter a whole number, like 12."],
        "day": ["Enter a date like 2026-12-31."],
        "when": ["Enter a date and time like 2026-12-31 14:30."],
        "email": ["Enter an email address like name@example.com."],
        "kind": ["Choose one of the options in the list."],
        "own": ["Name the show."],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "12.345", "Use at most 2 digits after the decimal point."),
        ("amount", "-1", "Enter 0 or more."),
        ("amount", "lots", "Enter a number, like 1250 or 1250.50."),
        ("crew", "51", "Enter 50 or less."),
        ("name", "", "Fill this in."),
    ],
)
def test_no_message_is_djangos_own(field, value, message):
    data = {"name": "Pat", "amount": "1", "crew": "1", "day": "2026-01-01"}
    data[field] = value

    errors = Everything(data).errors

    assert errors[field] == [message]
    assert not any("Ensure that" in m or "Ensure this" in m for ms in errors.values() for m in ms)


class Numbers(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    day = serializers.DateField()
    name = serializers.CharField(max_length=5)


def test_api_fields_say_what_is_wrong_in_plain_words():
    serializer = Numbers(data={"amount": "12345678901.5", "day": "soon", "name": "Too long"})

    assert not serializer.is_valid()
    assert serializer.errors == {
        "amount": ["That number is too big: at most 10 digits before the decimal point."],
        "day": ["Send a date like 2026-12-31."],
        "name": ["Keep this to 5 characters or fewer."],
    }


def test_an_api_field_left_out_is_asked_for():
    serializer = Numbers(data={"amount": "-1", "day": dt.date(2026, 1, 1).isoformat()})

    serializer.is_valid()

    assert serializer.errors == {"amount": ["Send 0 or more."], "name": ["Fill this in."]}


def test_the_error_collector_keeps_every_field_and_the_first_words_for_each():
    errors = ErrorCollector()
    with errors:
        raise ValidationError({"amount": "The amount must be zero or more."})
    with errors:
        raise ValidationError("This deal is closed.")
    errors.add(
        ValidationError({"amount": "Generic", "name": "Fill this in."}), only_new_fields=True
    )

    with pytest.raises(ValidationError) as refused:
        errors.raise_if_any()

    assert refused.value.message_dict == {
        "amount": ["The amount must be zero or more."],
        "__all__": ["This deal is closed."],
        "name": ["Fill this in."],
    }

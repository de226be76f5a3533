from decimal import Decimal

import pytest

from tandem.core.templatetags.tandem import compact_money, money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0"), "$0"),
        (Decimal("499"), "$499"),
        (Decimal("999.5"), "$1k"),
        (Decimal("96500"), "$97k"),
        (Decimal("97500"), "$98k"),
        (Decimal("999600"), "$1.0M"),
        (Decimal("1250000"), "$1.3M"),
        (Decimal("12345678"), "$12.3M"),
    ],
)
def test_compact_money_rounds_half_up_to_the_unit_it_shows(value, expected):
    assert compact_money(value) == expected


def test_compact_money_names_other_currencies():
    assert compact_money(Decimal("5000"), "EUR") == "€5k"
    assert compact_money(Decimal("5000"), "CHF") == "CHF 5k"


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Decimal("1234567.49"), "USD", "$1,234,567"),
        (Decimal("10"), "GBP", "£10"),
        (Decimal("10"), "SEK", "10 SEK"),
        (None, "USD", "—"),
    ],
)
def test_money_shows_whole_units_with_separators(value, currency, expected):
    assert money(value, currency) == expected

from decimal import Decimal

from tandem.core.history import _display
from tandem.estimates.models import EstimateVersion
from tandem.pipeline.models import Deal


class Row:
    currency = "USD"


def test_percentages_read_as_percentages_even_on_a_row_with_a_currency():
    assert _display(Deal, "probability", 40, {}, Row()) == "40%"
    assert _display(EstimateVersion, "contingency_pct", Decimal("12.50"), {}, Row()) == "12.5%"
    assert _display(EstimateVersion, "contingency_pct", Decimal("10.00"), {}, Row()) == "10%"


def test_money_still_reads_as_money():
    assert _display(Deal, "amount", Decimal("215039.97"), {}, Row()) == "$215,040"

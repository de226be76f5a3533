from dataclasses import FrozenInstanceError
from decimal import ROUND_DOWN, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.estimates.logic.lines import EquipmentLine, ExpenseLine, LabourLine, SubcontractLine
from tandem.estimates.logic.totals import estimate_totals, paid_hours, pert_hours

D = Decimal


def equipment(name="LED panel 2.6 mm", **kwargs):
    fields = {"currency": "USD", "qty": D(10), "unit_cost": D("120.00"), "markup_pct": D(25)}
    return EquipmentLine(name=name, **{**fields, **kwargs})


def labour(name="Stagehands load-in", **kwargs):
    fields = {
        "currency": "USD",
        "role": "stagehand",
        "crew_size": D(4),
        "hours_low": D(8),
        "hours_likely": D(10),
        "hours_high": D(15),
        "cost_rate": D(40),
        "bill_rate": D(65),
    }
    return LabourLine(name=name, **{**fields, **kwargs})


def subcontract(name="Rigging inspection", **kwargs):
    fields = {"currency": "USD", "cost": D("800.00"), "markup_pct": D(15)}
    return SubcontractLine(name=name, **{**fields, **kwargs})


def expense(name="Freight", **kwargs):
    fields = {"currency": "USD", "cost": D("350.00")}
    return ExpenseLine(name=name, **{**fields, **kwargs})


# Worked example: 10 panels at 120 + 25 % = 1,500 for 1,200. Four stagehands, 8/10/15 hours
# each: PERT (8 + 40 + 15) / 6 = 10.5 h each, 42 h in all: cost 42 × 40 = 1,680, price
# 42 × 65 = 2,730; at low hours 32 × 65 = 2,080, at high hours 60 × 65 = 3,900.
def test_totals_add_up_equipment_and_labour_with_contingency():
    totals = estimate_totals([equipment(), labour()], D(10), "USD")

    assert totals.currency == "USD"
    assert totals.cost == D("2880.00")
    assert totals.subtotal == D("4230.00")
    assert totals.contingency == D("423.00")
    assert totals.price == D("4653.00")
    assert totals.margin == D("1773.00")
    assert totals.margin_pct == D("38.10")  # 1,773 / 4,653
    assert totals.budget_low == D("3938.00")  # (1,500 + 2,080) × 1.1
    assert totals.budget_high == D("5940.00")  # (1,500 + 3,900) × 1.1
    assert dict(totals.hours_by_role) == {"stagehand": D("42.00")}
    assert dict(totals.paid_hours_by_role) == {"stagehand": D("42.00")}


def test_each_line_reports_its_own_figures_in_order():
    totals = estimate_totals([equipment(), labour(), subcontract(), expense()], 0, "USD")

    assert [(t.position, t.kind, t.name) for t in totals.lines] == [
        (1, "equipment", "LED panel 2.6 mm"),
        (2, "labour", "Stagehands load-in"),
        (3, "subcontract", "Rigging inspection"),
        (4, "expense", "Freight"),
    ]
    panels, crew, rigging, freight = totals.lines
    assert (panels.cost, panels.price, panels.price_low, panels.price_high) == (
        D("1200.00"),
        D("1500.00"),
        D("1500.00"),
        D("1500.00"),
    )
    assert panels.role is None
    assert panels.expected_hours is None
    assert (crew.cost, crew.price, crew.price_low, crew.price_high) == (
        D("1680.00"),
        D("2730.00"),
        D("2080.00"),
        D("3900.00"),
    )
    assert (crew.role, crew.expected_hours, crew.paid_hours) == (
        "stagehand",
        D("42.00"),
        D("42.00"),
    )
    assert (rigging.cost, rigging.price) == (D("800.00"), D("920.00"))
    assert (freight.cost, freight.price) == (D("350.00"), D("350.00"))  # billed at cost
    assert totals.cost == D("4030.00")
    assert totals.price == D("5500.00")


def test_money_is_rounded_half_up_once_at_the_totals_not_per_line():
    lines = [expense(name=f"Toll {n}", cost=D("0.005")) for n in range(3)]

    totals = estimate_totals(lines, 0, "USD")

    assert [t.price for t in totals.lines] == [D("0.01")] * 3  # half up, each on its own
    assert totals.price == D("0.02")  # 0.015 exactly, not 0.03
    assert totals.cost == D("0.02")


def test_rounding_is_half_up_not_to_even():
    totals = estimate_totals([expense(cost=D("0.125"))], 0, "USD")

    assert totals.price == D("0.13")


def test_a_fractional_expectation_of_hours_is_carried_exactly_and_rounded_at_the_end():
    # PERT of 1/1/2 hours is 7/6 h: at 30 an hour that is 35.00 exactly, although 7/6 h is
    # 1.17 h when reported.
    line = labour(
        crew_size=D(1), hours_low=D(1), hours_likely=D(1), hours_high=D(2), cost_rate=D(30)
    )

    totals = estimate_totals([line], 0, "USD")

    assert totals.cost == D("35.00")
    assert totals.hours_by_role["stagehand"] == D("1.17")


def test_the_callers_decimal_context_does_not_change_the_totals():
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = ROUND_DOWN
        totals = estimate_totals([equipment(), labour()], D(10), "USD")

    assert totals.price == D("4653.00")


def test_zero_quantities_are_fine_and_cost_nothing():
    lines = [
        equipment(qty=D(0), lead_time_days=60),
        labour(crew_size=D(0), minimum_call_hours=D(4)),
        labour(name="Standby", hours_low=D(0), hours_likely=D(0), hours_high=D(0)),
        subcontract(cost=D(0)),
        expense(cost=D(0), markup_pct=D(10)),
    ]

    totals = estimate_totals(lines, D(10), "USD")

    assert totals.cost == totals.price == totals.margin == D("0.00")
    assert totals.budget_low == totals.budget_high == D("0.00")
    assert totals.margin_pct is None
    assert totals.longest_lead_time_days == 0  # nothing is ordered, so nothing to wait for
    assert dict(totals.hours_by_role) == {"stagehand": D("0.00")}


def test_an_empty_estimate_totals_to_zero():
    totals = estimate_totals([], D(10), "EUR")

    assert (totals.cost, totals.price, totals.contingency) == (D("0.00"), D("0.00"), D("0.00"))
    assert totals.margin_pct is None
    assert totals.lines == ()
    assert dict(totals.hours_by_role) == {}


def test_pert_weighs_the_likely_hours_four_times():
    assert pert_hours(D(8), D(10), D(15)) == D("10.5")
    assert pert_hours(D(0), D(0), D(6)) == D(1)
    assert pert_hours(D(5), D(5), D(5)) == D(5)


def test_expected_hours_are_summed_per_role_in_the_order_roles_first_appear():
    lines = [
        labour(
            role="rigger", crew_size=D(2), hours_low=D(10), hours_likely=D(12), hours_high=D(20)
        ),
        labour(name="Load-out", crew_size=D(3)),
        labour(name="Rigging out", role="rigger", crew_size=D(1)),
    ]

    totals = estimate_totals(lines, 0, "USD")

    # Riggers: 2 × (10 + 48 + 20) / 6 = 26, then 1 × 10.5; stagehands: 3 × 10.5.
    assert list(totals.hours_by_role.items()) == [("rigger", D("36.50")), ("stagehand", D("31.50"))]


def test_the_budget_range_moves_labour_only():
    lines = [
        labour(crew_size=D(1), hours_low=D(10), hours_likely=D(20), hours_high=D(40)),
        expense(),
    ]

    totals = estimate_totals(lines, 0, "USD")

    # Labour at 65/h: low 650, expected (10 + 80 + 40) / 6 × 65 = 1,408.33, high 2,600.
    assert totals.budget_low == D("1000.00")
    assert totals.price == D("1758.33")
    assert totals.budget_high == D("2950.00")


def test_contingency_is_added_to_the_price_and_both_ends_of_the_range():
    line = labour(crew_size=D(1), hours_low=D(10), hours_likely=D(20), hours_high=D(40))

    plain = estimate_totals([line], 0, "USD")
    padded = estimate_totals([line], D("12.5"), "USD")

    assert plain.contingency == D("0.00")
    assert padded.contingency_pct == D("12.5")
    assert padded.contingency == D("176.04")  # 12.5 % of 1,408.333…
    assert padded.price == D("1584.38")
    assert padded.budget_low == D("731.25")
    assert padded.budget_high == D("2925.00")
    assert padded.cost == plain.cost  # contingency is priced, not spent


def test_the_minimum_call_pays_each_person_up_to_it_at_low_likely_and_high():
    # Two people, 2/3/6 hours each with a 4-hour call: paid 4/4/6, PERT 26/6 h each.
    line = labour(
        crew_size=D(2),
        hours_low=D(2),
        hours_likely=D(3),
        hours_high=D(6),
        cost_rate=D(50),
        bill_rate=D(80),
        minimum_call_hours=D(4),
    )

    totals = estimate_totals([line], 0, "USD")

    assert totals.paid_hours_by_role["stagehand"] == D("8.67")
    assert totals.hours_by_role["stagehand"] == D("6.67")  # worked: 2 × 20/6
    assert totals.cost == D("433.33")  # 52/6 h × 50
    assert totals.price == D("693.33")
    assert totals.budget_low == D("640.00")  # 2 × 4 h × 80, not 2 × 2 h
    assert totals.budget_high == D("960.00")  # above the call: the hours as entered


def test_the_minimum_call_counts_once_per_call():
    # Three calls of at least 4 hours: 12 hours paid although 9 are worked.
    assert paid_hours(D(9), D(4), calls=3) == D(12)
    assert paid_hours(D(13), D(4), calls=3) == D(13)
    assert paid_hours(D(0), D(4), calls=3) == D(0)  # not called, not paid


def test_overtime_pays_its_share_of_the_hours_at_the_multiplier_on_cost_and_bill():
    flat = {"crew_size": D(1), "hours_low": D(10), "hours_likely": D(10), "hours_high": D(10)}
    plain = labour(**flat, cost_rate=D(40), bill_rate=D(60))
    some = labour(
        **flat,
        cost_rate=D(40),
        bill_rate=D(60),
        overtime_share=D("0.2"),
        overtime_multiplier=D("1.5"),
    )
    all_double = labour(
        **flat, cost_rate=D(40), bill_rate=D(60), overtime_share=D(1), overtime_multiplier=D(2)
    )

    with_some = estimate_totals([some], 0, "USD")

    assert estimate_totals([plain], 0, "USD").cost == D("400.00")
    # 8 h at 40 and 2 h at 60: 440; billed 8 h at 60 and 2 h at 90: 660.
    assert (with_some.cost, with_some.price) == (D("440.00"), D("660.00"))
    assert estimate_totals([all_double], 0, "USD").price == D("1200.00")


def test_overtime_is_paid_on_the_minimum_call_hours_too():
    line = labour(
        crew_size=D(1),
        hours_low=D(2),
        hours_likely=D(2),
        hours_high=D(2),
        cost_rate=D(40),
        minimum_call_hours=D(4),
        overtime_share=D("0.5"),
        overtime_multiplier=D(2),
    )

    assert estimate_totals([line], 0, "USD").cost == D("240.00")  # 4 h × 40 × 1.5


def test_a_set_unit_price_replaces_the_markup_even_below_cost():
    line = equipment(qty=D(3), unit_cost=D(100), markup_pct=D(50), unit_price=D(90))

    totals = estimate_totals([line], 0, "USD")

    assert (totals.cost, totals.price, totals.margin) == (D("300.00"), D("270.00"), D("-30.00"))
    assert totals.margin_pct == D("-11.11")


def test_a_full_discount_gives_the_line_away():
    totals = estimate_totals([subcontract(markup_pct=D(-100))], 0, "USD")

    assert totals.price == D("0.00")
    assert totals.margin == D("-800.00")
    assert totals.margin_pct is None


def test_the_longest_lead_time_counts_only_equipment_that_is_ordered():
    lines = [
        equipment(lead_time_days=14),
        equipment(name="Media server", qty=D(1), lead_time_days=21),
        equipment(name="Spare processor", qty=D(0), lead_time_days=90),
        labour(),
    ]

    assert estimate_totals(lines, 0, "USD").longest_lead_time_days == 21


def test_lines_in_another_currency_are_refused_naming_the_line():
    lines = [equipment(), expense(name="Hotel Berlin", currency="EUR")]

    with pytest.raises(
        ValueError,
        match=r"Expense line 'Hotel Berlin' \(line 2\) is in EUR, but the estimate is in USD",
    ):
        estimate_totals(lines, 0, "USD")


@pytest.mark.parametrize("currency", ["usd", "US", "DOLLARS", "", None, "U$D", "ÜSD"])
def test_a_malformed_currency_is_refused(currency):
    with pytest.raises(ValueError, match="Currency must"):
        estimate_totals([], 0, currency)


def test_a_line_needs_a_currency_and_a_name():
    with pytest.raises(ValueError, match="currency must be a non-empty text"):
        equipment(currency="")
    with pytest.raises(ValueError, match="name must be a non-empty text"):
        expense(name="  ")


@pytest.mark.parametrize(
    ("make", "field", "label"),
    [
        (equipment, "qty", "Equipment line 'LED panel 2.6 mm'"),
        (equipment, "unit_cost", "Equipment line 'LED panel 2.6 mm'"),
        (equipment, "unit_price", "Equipment line 'LED panel 2.6 mm'"),
        (labour, "crew_size", "Labour line 'Stagehands load-in'"),
        (labour, "cost_rate", "Labour line 'Stagehands load-in'"),
        (labour, "bill_rate", "Labour line 'Stagehands load-in'"),
        (labour, "minimum_call_hours", "Labour line 'Stagehands load-in'"),
        (labour, "overtime_share", "Labour line 'Stagehands load-in'"),
        (subcontract, "cost", "Subcontract line 'Rigging inspection'"),
        (expense, "cost", "Expense line 'Freight'"),
    ],
)
def test_negative_numbers_are_refused_naming_the_line(make, field, label):
    with pytest.raises(ValueError, match=f"^{label}: {field} must not be negative"):
        make(**{field: D("-0.01")})


def test_negative_hours_are_refused():
    with pytest.raises(ValueError, match="hours_low must not be negative"):
        labour(hours_low=D(-1))


def test_a_negative_lead_time_is_refused():
    with pytest.raises(ValueError, match="lead_time_days must not be negative"):
        equipment(lead_time_days=-1)


@pytest.mark.parametrize(
    ("low", "likely", "high"),
    [(D(10), D(8), D(15)), (D(8), D(16), D(15)), (D(20), D(10), D(5))],
)
def test_hours_out_of_order_are_refused(low, likely, high):
    with pytest.raises(ValueError, match="hours must run low <= likely <= high"):
        labour(hours_low=low, hours_likely=likely, hours_high=high)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"overtime_share": D("1.01")}, "overtime_share must be between 0 and 1"),
        ({"overtime_multiplier": D("0.99")}, "overtime_multiplier must be at least 1"),
        ({"calls": 0}, "calls must be at least 1"),
    ],
)
def test_overtime_and_calls_out_of_range_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        labour(**kwargs)


@pytest.mark.parametrize("make", [equipment, subcontract, expense])
def test_a_markup_below_minus_100_percent_is_refused(make):
    with pytest.raises(ValueError, match="markup_pct must not be below -100 %"):
        make(markup_pct=D("-100.01"))


@pytest.mark.parametrize("value", [1.5, "12", None, True])
def test_money_that_is_not_a_decimal_or_int_is_refused(value):
    with pytest.raises(TypeError, match="unit_cost must be a Decimal or an int"):
        equipment(unit_cost=value)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_numbers_that_are_not_finite_are_refused(value):
    with pytest.raises(ValueError, match="cost must be a finite number"):
        expense(cost=value)


def test_whole_numbers_are_wrong_as_fractions_of_days_or_calls():
    with pytest.raises(TypeError, match="lead_time_days must be a whole number"):
        equipment(lead_time_days=D("1.5"))
    with pytest.raises(TypeError, match="calls must be a whole number"):
        labour(calls=2.0)


@pytest.mark.parametrize(
    ("pct", "error"),
    [(D(-1), ValueError), (D("NaN"), ValueError), (10.0, TypeError), ("10", TypeError)],
)
def test_a_negative_or_malformed_contingency_is_refused(pct, error):
    with pytest.raises(error, match="Contingency must"):
        estimate_totals([equipment()], pct, "USD")


def test_something_that_is_not_a_line_is_refused():
    with pytest.raises(TypeError, match="Not an estimate line: dict"):
        estimate_totals([equipment(), {"cost": 10}], 0, "USD")


def test_lines_take_ints_as_decimals_and_cannot_be_changed():
    line = equipment(qty=2, unit_cost=50, markup_pct=0)

    assert isinstance(line.qty, Decimal)
    assert isinstance(line.unit_cost, Decimal)
    with pytest.raises(FrozenInstanceError):
        line.qty = D(3)
    totals = estimate_totals(iter([line]), 0, "USD")  # any iterable of lines will do
    with pytest.raises(TypeError):
        totals.hours_by_role["rigger"] = D(1)


# Properties. Money in cents up to a million, hours in tenths up to 300, crews up to 20.
money = st.decimals(min_value=0, max_value=1_000_000, places=2)
percent = st.decimals(min_value=0, max_value=300, places=2)
crew = st.integers(min_value=0, max_value=20).map(Decimal)
hours = st.decimals(min_value=0, max_value=300, places=1)
three_points = st.lists(hours, min_size=3, max_size=3).map(sorted)
share = st.decimals(min_value=0, max_value=1, places=2)
multiplier = st.decimals(min_value=1, max_value=3, places=2)


@st.composite
def labour_lines(draw, bill_at_least_cost):
    low, likely, high = draw(three_points)
    cost_rate = draw(money)
    bill_rate = cost_rate + draw(money) if bill_at_least_cost else draw(money)
    return labour(
        role=draw(st.sampled_from(["stagehand", "rigger", "LED tech", "programmer"])),
        crew_size=draw(crew),
        hours_low=low,
        hours_likely=likely,
        hours_high=high,
        cost_rate=cost_rate,
        bill_rate=bill_rate,
        overtime_share=draw(share),
        overtime_multiplier=draw(multiplier),
        minimum_call_hours=draw(st.decimals(min_value=0, max_value=8, places=1)),
        calls=draw(st.integers(min_value=1, max_value=5)),
    )


@st.composite
def equipment_lines(draw, markup):
    unit_cost = draw(money)
    overridden = draw(st.booleans())
    return equipment(
        qty=draw(st.integers(min_value=0, max_value=500).map(Decimal)),
        unit_cost=unit_cost,
        markup_pct=draw(markup),
        unit_price=unit_cost + draw(money) if overridden else None,
        lead_time_days=draw(st.integers(min_value=0, max_value=120)),
    )


def any_lines(markup, bill_at_least_cost):
    return st.lists(
        st.one_of(
            equipment_lines(markup),
            labour_lines(bill_at_least_cost),
            st.builds(subcontract, cost=money, markup_pct=markup),
            st.builds(expense, cost=money, markup_pct=markup),
        ),
        max_size=12,
    )


@settings(max_examples=200, deadline=None)
@given(lines=any_lines(percent, bill_at_least_cost=True), contingency=percent)
def test_the_price_is_never_below_cost_when_markups_and_bill_rates_cover_cost(lines, contingency):
    totals = estimate_totals(lines, contingency, "USD")

    assert totals.price >= totals.cost
    assert totals.margin >= 0
    assert all(line.price >= line.cost for line in totals.lines)


discounts = st.decimals(min_value=-100, max_value=300, places=2)


@settings(max_examples=200, deadline=None)
@given(lines=any_lines(discounts, bill_at_least_cost=False), contingency=percent)
def test_the_expected_price_lies_within_the_budget_range(lines, contingency):
    totals = estimate_totals(lines, contingency, "USD")

    assert totals.budget_low <= totals.price <= totals.budget_high
    assert all(line.price_low <= line.price <= line.price_high for line in totals.lines)


@settings(max_examples=100, deadline=None)
@given(lines=any_lines(discounts, bill_at_least_cost=False), contingency=percent)
def test_the_reported_figures_agree_to_within_rounding(lines, contingency):
    totals = estimate_totals(lines, contingency, "USD")

    cent = D("0.01")
    assert abs(totals.subtotal + totals.contingency - totals.price) <= cent
    assert abs(totals.price - totals.cost - totals.margin) <= cent
    # Each rounded line is at most half a cent from its exact price, as is the subtotal.
    line_prices = sum((line.price for line in totals.lines), D(0))
    assert abs(totals.subtotal - line_prices) <= D("0.005") * (len(lines) + 1)

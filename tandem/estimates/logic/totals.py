"""Add up an estimate: cost, price, margin, expected hours per role and the budget range.

Money is Decimal all the way through and is rounded to cents (half up) only where a figure is
reported, so the totals are the rounded exact sums rather than sums of rounded lines: a
total may differ by a cent from adding up the rounded line figures, and that is the
correct side to be off on.

Labour is priced on its expected hours: the PERT mean (low + 4 × likely + high) / 6 of the
hours each person is paid, times the crew. The budget range prices labour at the low and at
the high hours instead; equipment, subcontract and expense lines are fixed in all three.
Contingency is a percent of the line prices, added to the price and to both ends of the range.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from types import MappingProxyType

from tandem.estimates.logic.lines import (
    ONE,
    ZERO,
    EquipmentLine,
    ExpenseLine,
    LabourLine,
    Line,
    SubcontractLine,
)

CENT = Decimal("0.01")
HOUR_STEP = Decimal("0.01")
PERCENT_STEP = Decimal("0.01")
HUNDRED = Decimal(100)
SIX = Decimal(6)
FOUR = Decimal(4)
# Our own context, so a caller that changed the thread's precision or rounding cannot change
# a total; 34 digits leaves room for a 1/6 or a markup before rounding to cents.
CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


@dataclass(frozen=True, slots=True)
class LineTotal:
    """One line's reported figures, in cents; `position` counts the lines from 1.

    `price_low` and `price_high` are the line's price at the low and high hours (the same as
    `price` for lines without labour). `expected_hours` is the PERT mean of the hours as
    entered, times the crew; `paid_hours` the same for the hours paid after the minimum call.
    Both are None for lines without labour.
    """

    position: int
    kind: str
    name: str
    cost: Decimal
    price: Decimal
    price_low: Decimal
    price_high: Decimal
    role: str | None = None
    expected_hours: Decimal | None = None
    paid_hours: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Totals:
    """An estimate's totals, rounded to cents, in `currency`.

    `subtotal` is the sum of the line prices; `contingency` is its percent on top; `price`
    is both together, what the client is quoted. `margin` is price less cost and
    `margin_pct` that as a percent of the price (None when the price is zero: there is no
    margin to speak of). `budget_low`/`budget_high` are the price with labour at its low and
    high hours, contingency included. `hours_by_role` holds the expected hours per role as
    entered (what past projects are compared with), `paid_hours_by_role` the hours paid once
    minimum calls apply. `longest_lead_time_days` is the longest supplier lead time among
    equipment actually ordered (0 when there is none).
    """

    currency: str
    cost: Decimal
    subtotal: Decimal
    contingency_pct: Decimal
    contingency: Decimal
    price: Decimal
    margin: Decimal
    margin_pct: Decimal | None
    budget_low: Decimal
    budget_high: Decimal
    hours_by_role: Mapping[str, Decimal]
    paid_hours_by_role: Mapping[str, Decimal]
    longest_lead_time_days: int
    lines: tuple[LineTotal, ...]


@dataclass(slots=True)
class _Sums:
    """A line's exact (unrounded) figures before they are reported."""

    cost: Decimal
    price: Decimal
    price_low: Decimal
    price_high: Decimal
    expected_hours: Decimal | None = None
    paid_hours: Decimal | None = None


def money(amount: Decimal) -> Decimal:
    """Round an amount to cents, half up, as invoices and quotes do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def pert_hours(low: Decimal, likely: Decimal, high: Decimal) -> Decimal:
    """Return the PERT expected value (low + 4 × likely + high) / 6 of a three-point estimate.

    The likely value weighs four times as much as either end, so one pessimistic high does
    not drag the expected hours as far as a plain average would. Not rounded.
    """
    with localcontext(CONTEXT):
        return (low + FOUR * likely + high) / SIX


def paid_hours(hours: Decimal, minimum_call_hours: Decimal, calls: int = 1) -> Decimal:
    """Return the hours one person is paid for working `hours` over `calls` calls.

    Each call pays at least the minimum call, so a person works at least `minimum_call_hours`
    × `calls` paid hours; a person who works no hours is not called and is paid nothing.
    """
    if hours == ZERO:
        return ZERO
    with localcontext(CONTEXT):
        return max(hours, minimum_call_hours * calls)


def _percent_factor(pct: Decimal) -> Decimal:
    return ONE + pct / HUNDRED


def _equipment(line: EquipmentLine) -> _Sums:
    cost = line.qty * line.unit_cost
    if line.unit_price is None:
        price = cost * _percent_factor(line.markup_pct)
    else:
        price = line.qty * line.unit_price
    return _Sums(cost, price, price, price)


def _marked_up(line: SubcontractLine | ExpenseLine) -> _Sums:
    price = line.cost * _percent_factor(line.markup_pct)
    return _Sums(line.cost, price, price, price)


def _labour(line: LabourLine) -> _Sums:
    # Overtime hours cost and bill at the multiplier; the rest at the plain rate.
    overtime = ONE + line.overtime_share * (line.overtime_multiplier - ONE)
    cost_rate = line.cost_rate * overtime * line.crew_size
    bill_rate = line.bill_rate * overtime * line.crew_size
    low, likely, high = (
        paid_hours(hours, line.minimum_call_hours, line.calls)
        for hours in (line.hours_low, line.hours_likely, line.hours_high)
    )
    paid = pert_hours(low, likely, high)
    return _Sums(
        cost=paid * cost_rate,
        price=paid * bill_rate,
        price_low=low * bill_rate,
        price_high=high * bill_rate,
        expected_hours=pert_hours(line.hours_low, line.hours_likely, line.hours_high)
        * line.crew_size,
        paid_hours=paid * line.crew_size,
    )


_PRICERS = {
    EquipmentLine: _equipment,
    LabourLine: _labour,
    SubcontractLine: _marked_up,
    ExpenseLine: _marked_up,
}


def _line_sums(line: Line) -> _Sums:
    # Called inside estimate_totals' context only; entering it again per line costs time.
    pricer = _PRICERS.get(type(line))
    if pricer is None:
        raise TypeError(f"Not an estimate line: {type(line).__name__}.")
    return pricer(line)


def _check_currency(currency: str) -> None:
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
    ):
        raise ValueError(f"Currency must be a three-letter code such as USD, not {currency!r}.")
    if not currency.isupper():
        raise ValueError(f"Currency must be in capitals, such as USD, not {currency!r}.")


def _check_contingency(contingency_pct) -> Decimal:
    if isinstance(contingency_pct, bool) or not isinstance(contingency_pct, int | Decimal):
        raise TypeError(
            f"Contingency must be a Decimal or an int, not {type(contingency_pct).__name__}."
        )
    pct = Decimal(contingency_pct)
    if not pct.is_finite() or pct < ZERO:
        raise ValueError(f"Contingency must be a percent of zero or more, not {contingency_pct}.")
    return pct


def estimate_totals(lines: Iterable[Line], contingency_pct: Decimal, currency: str) -> Totals:
    """Add up an estimate's lines into its cost, price, margin, hours and budget range.

    All lines must be in the estimate's `currency`: lines in another currency are refused
    (ValueError naming the line) rather than added as if the units matched; converting them
    is the caller's choice of rate and date. `contingency_pct` (>= 0) is a percent of the line
    prices added to the price and to both ends of the budget range. Sums are exact; each
    reported figure is rounded to cents once. See `Totals` for what each figure means.
    """
    _check_currency(currency)
    pct = _check_contingency(contingency_pct)
    with localcontext(CONTEXT):
        cost = subtotal = low = high = ZERO
        hours: dict[str, Decimal] = {}
        paid: dict[str, Decimal] = {}
        lead_time = 0
        reported = []
        for position, line in enumerate(lines, start=1):
            sums = _line_sums(line)
            if line.currency != currency:
                raise ValueError(
                    f"{line.describe()} (line {position}) is in {line.currency}, but the "
                    f"estimate is in {currency}: convert it before adding it."
                )
            cost += sums.cost
            subtotal += sums.price
            low += sums.price_low
            high += sums.price_high
            role = None
            if sums.expected_hours is not None:
                role = line.role
                hours[role] = hours.get(role, ZERO) + sums.expected_hours
                paid[role] = paid.get(role, ZERO) + sums.paid_hours
            elif type(line) is EquipmentLine and line.qty > ZERO:
                lead_time = max(lead_time, line.lead_time_days)
            reported.append(
                LineTotal(
                    position=position,
                    kind=line.kind,
                    name=line.name,
                    cost=money(sums.cost),
                    price=money(sums.price),
                    price_low=money(sums.price_low),
                    price_high=money(sums.price_high),
                    role=role,
                    expected_hours=_hours(sums.expected_hours),
                    paid_hours=_hours(sums.paid_hours),
                )
            )
        # The price and both ends of the range grow by the same factor, so rounding cannot
        # put the expected price outside the range.
        uplift = _percent_factor(pct)
        price = subtotal * uplift
        contingency = price - subtotal
        margin = price - cost
        return Totals(
            currency=currency,
            cost=money(cost),
            subtotal=money(subtotal),
            contingency_pct=pct,
            contingency=money(contingency),
            price=money(price),
            margin=money(margin),
            # Judged on the rounded price: a price of a fraction of a cent has no margin
            # worth a percent.
            margin_pct=None
            if money(price) == ZERO
            else (margin / price * HUNDRED).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP),
            budget_low=money(low * uplift),
            budget_high=money(high * uplift),
            hours_by_role=MappingProxyType({r: _hours(h) for r, h in hours.items()}),
            paid_hours_by_role=MappingProxyType({r: _hours(h) for r, h in paid.items()}),
            longest_lead_time_days=lead_time,
            lines=tuple(reported),
        )


def _hours(hours: Decimal | None) -> Decimal | None:
    return None if hours is None else hours.quantize(HOUR_STEP, rounding=ROUND_HALF_UP)

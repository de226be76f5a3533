"""The line items an estimate is built from: equipment, labour, subcontract and expense.

Each line is a frozen dataclass that checks itself when it is made, so a line that exists is
a valid line: numbers are Decimal (ints are accepted and converted; floats are refused because
they cannot hold money exactly), quantities, hours, costs and rates are not negative, and
low <= likely <= high hours. Every error names the line, so a form can show it beside it.

Percentages are in percent (`markup_pct=Decimal("25")` is 25 %); the overtime share is a
fraction of the hours (0 to 1), as rate cards state it.
"""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
# A markup below -100 % would sell at a negative price: a discount can at most give it away.
LOWEST_MARKUP = Decimal(-100)


def _number(line, field: str) -> Decimal:
    """Return the field as a finite Decimal, converting an int; refuse anything else."""
    value = getattr(line, field)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(
            f"{line.describe()}: {field} must be a Decimal or an int, not {type(value).__name__}."
        )
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{line.describe()}: {field} must be a finite number.")
    # Frozen dataclasses refuse plain assignment; normalising in place keeps the line immutable
    # to callers while the sums below only ever see Decimal.
    object.__setattr__(line, field, value)
    return value


def _not_negative(line, *fields: str) -> None:
    for field in fields:
        if _number(line, field) < ZERO:
            raise ValueError(f"{line.describe()}: {field} must not be negative.")


def _markup(line, field: str = "markup_pct") -> None:
    if _number(line, field) < LOWEST_MARKUP:
        raise ValueError(f"{line.describe()}: {field} must not be below -100 %.")


def _text(line, field: str) -> None:
    value = getattr(line, field)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{line.describe()}: {field} must be a non-empty text.")


class _Line:
    """What every line shares: a name to report it by and the currency of its money."""

    # The dataclasses below use slots; an empty tuple here keeps instances free of a __dict__.
    __slots__ = ()
    kind = "line"

    def describe(self) -> str:
        """Name the line for an error message: its kind and its name as the user typed it."""
        name = getattr(self, "name", None)
        return f"{self.kind.capitalize()} line {name!r}"

    def _check_common(self) -> None:
        _text(self, "name")
        _text(self, "currency")


@dataclass(frozen=True, kw_only=True, slots=True)
class EquipmentLine(_Line):
    """Hardware from the catalog: quantity × unit cost, priced by markup or a set unit price.

    `unit_price`, when given, is what the client pays per unit and the markup is ignored;
    it may be below the unit cost (a deliberate discount). `lead_time_days` is how long the
    supplier needs, so the estimate can say when ordering must start.
    """

    name: str
    currency: str
    qty: Decimal
    unit_cost: Decimal
    markup_pct: Decimal = ZERO
    lead_time_days: int = 0
    unit_price: Decimal | None = None

    kind = "equipment"

    def __post_init__(self) -> None:
        self._check_common()
        _not_negative(self, "qty", "unit_cost")
        _markup(self)
        if self.unit_price is not None:
            _not_negative(self, "unit_price")
        if isinstance(self.lead_time_days, bool) or not isinstance(self.lead_time_days, int):
            raise TypeError(f"{self.describe()}: lead_time_days must be a whole number of days.")
        if self.lead_time_days < 0:
            raise ValueError(f"{self.describe()}: lead_time_days must not be negative.")


@dataclass(frozen=True, kw_only=True, slots=True)
class LabourLine(_Line):
    """A crew of one role for a job: crew size × hours per person, with low/likely/high hours.

    Hours are per person. The rates come from the rate card the estimate was built with:
    `cost_rate` is what a person costs per hour, `bill_rate` what the client pays.
    `overtime_share` (0 to 1) of the hours is paid at `overtime_multiplier` (>= 1), on both
    cost and bill. `minimum_call_hours` is what a union call pays at least per person per
    call; `calls` is how many calls each person works on this line (a three-day show with
    one call a day is 3), and the hours are taken as spread evenly over them.
    """

    name: str
    currency: str
    role: str
    crew_size: Decimal
    hours_low: Decimal
    hours_likely: Decimal
    hours_high: Decimal
    cost_rate: Decimal
    bill_rate: Decimal
    overtime_share: Decimal = ZERO
    overtime_multiplier: Decimal = ONE
    minimum_call_hours: Decimal = ZERO
    calls: int = 1

    kind = "labour"

    def __post_init__(self) -> None:
        self._check_common()
        _text(self, "role")
        _not_negative(
            self,
            "crew_size",
            "hours_low",
            "hours_likely",
            "hours_high",
            "cost_rate",
            "bill_rate",
            "overtime_share",
            "minimum_call_hours",
        )
        if not self.hours_low <= self.hours_likely <= self.hours_high:
            raise ValueError(
                f"{self.describe()}: hours must run low <= likely <= high "
                f"(got {self.hours_low}, {self.hours_likely}, {self.hours_high})."
            )
        if self.overtime_share > ONE:
            raise ValueError(f"{self.describe()}: overtime_share must be between 0 and 1.")
        if _number(self, "overtime_multiplier") < ONE:
            raise ValueError(f"{self.describe()}: overtime_multiplier must be at least 1.")
        if isinstance(self.calls, bool) or not isinstance(self.calls, int):
            raise TypeError(f"{self.describe()}: calls must be a whole number.")
        if self.calls < 1:
            raise ValueError(f"{self.describe()}: calls must be at least 1.")


@dataclass(frozen=True, kw_only=True, slots=True)
class SubcontractLine(_Line):
    """A specialist's quote taken as a whole: its cost and the markup added on top."""

    name: str
    currency: str
    cost: Decimal
    markup_pct: Decimal = ZERO

    kind = "subcontract"

    def __post_init__(self) -> None:
        self._check_common()
        _not_negative(self, "cost")
        _markup(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class ExpenseLine(_Line):
    """Travel, freight, per diems and the like: billed at cost unless a markup is given."""

    name: str
    currency: str
    cost: Decimal
    markup_pct: Decimal = ZERO

    kind = "expense"

    def __post_init__(self) -> None:
        self._check_common()
        _not_negative(self, "cost")
        _markup(self)


Line = EquipmentLine | LabourLine | SubcontractLine | ExpenseLine

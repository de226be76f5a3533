"""Charts of scenarios: price by kind of line on the comparison, and each role's hours against
what similar past projects took, in the editor.

The builders take plain values (names, Decimals, predictions) and return a
`tandem.core.charts.Chart`, or None when there is nothing honest to draw.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tandem.core.charts import Chart, Series, Span
from tandem.estimates.models import LineKind

# A kind keeps its colour on every chart (Okabe–Ito, as core/charts.py's palette).
KIND_COLOURS = {
    LineKind.EQUIPMENT: "#0072B2",
    LineKind.LABOUR: "#E69F00",
    LineKind.SUBCONTRACT: "#009E73",
    LineKind.EXPENSE: "#CC79A7",
}
CONTINGENCY_COLOUR = "#9aa5b1"
RANGE_COLOUR = "rgba(86, 180, 233, 0.35)"
ESTIMATE_COLOUR = "#1f3a5f"
LIKELY_COLOUR = "#D55E00"
# Two scenarios should not fill the page with two slabs.
BAR = {"maxBarThickness": 110}


@dataclass(frozen=True)
class ComparedScenario:
    """One scenario on the comparison: its name, price, currency and its line prices summed
    by kind (kinds it has no line of are absent)."""

    name: str
    price: Decimal
    currency: str
    by_kind: Mapping[str, Decimal]


def price_by_kind_chart(scenarios: Sequence[ComparedScenario]) -> Chart | None:
    """Stacked bars, one per scenario, of its line prices by kind plus its contingency, so
    each bar is as tall as the scenario's price.

    None without scenarios, or when they are priced in different currencies (adding dollars
    to euros on one axis would mislead). Contingency is a segment only when some scenario
    has one; a negative rest (rounding) is left out of the bars and stays in the table above.
    """
    if not scenarios or len({s.currency for s in scenarios}) > 1:
        return None
    series = [
        Series(
            label,
            [s.by_kind.get(kind) or Decimal(0) for s in scenarios],
            KIND_COLOURS[kind],
            extra=BAR,
        )
        for kind, label in LineKind.choices
        if any(s.by_kind.get(kind) for s in scenarios)
    ]
    rests = [s.price - sum((v or 0 for v in s.by_kind.values()), Decimal(0)) for s in scenarios]
    # Cents of rounding are not a segment anyone could see; a contingency is.
    if any(rest >= 1 for rest in rests):
        series.append(
            Series(
                "Contingency",
                [max(rest, Decimal(0)) for rest in rests],
                CONTINGENCY_COLOUR,
                extra=BAR,
            )
        )
    return Chart(
        name="price-by-kind",
        title="Price by kind of line",
        kind="bar",
        labels=[s.name for s in scenarios],
        series=series,
        money=True,
        currency=scenarios[0].currency,
        stacked=True,
        height=240 + 10 * len(series),
    )


@dataclass(frozen=True)
class RoleHours:
    """A role's hours on this scenario beside what similar past projects took (`low`,
    `likely` and `high` are None when too few past projects had the role)."""

    name: str
    hours: Decimal | None
    low: int | None = None
    likely: int | None = None
    high: int | None = None


def role_hours_chart(roles: Sequence[RoleHours]) -> Chart | None:
    """A bullet chart, one row per role: the past projects' range as a light band, their
    likely hours as a mark, this scenario's hours as a bar across them.

    None when no role has a past range to compare with (the list beside it says so). A
    range with its ends the wrong way round is put right rather than drawn inside out.
    """
    ranges = [
        Span(min(r.low, r.high), max(r.low, r.high))
        if r.low is not None and r.high is not None
        else None
        for r in roles
    ]
    if not any(ranges):
        return None
    horizontal = {"indexAxis": "y", "grouped": False}
    return Chart(
        name="role-hours",
        title="Against similar past projects",
        kind="bar",
        labels=[r.name for r in roles],
        series=[
            Series(
                "Similar past projects",
                ranges,
                RANGE_COLOUR,
                extra=horizontal | {"order": 3, "barPercentage": 0.9, "borderWidth": 0},
            ),
            Series(
                "This scenario",
                [_readable(r.hours) for r in roles],
                ESTIMATE_COLOUR,
                extra=horizontal | {"order": 2, "barPercentage": 0.35},
            ),
            Series(
                "Likely",
                [r.likely for r in roles],
                LIKELY_COLOUR,
                extra=horizontal
                | {
                    "type": "line",
                    "order": 1,
                    "showLine": False,
                    # An upright tick across the bars, as on a printed bullet chart.
                    "pointStyle": "line",
                    "pointRotation": 90,
                    "pointRadius": 9,
                    "pointHoverRadius": 11,
                    "borderWidth": 3,
                },
            ),
        ],
        horizontal=True,
        unit="h",
        height=70 + 38 * len(roles),
        # The editor redraws the panel as you type; bars sliding in each time distract.
        # Legend in drawing order: band, bar, mark.
        options={"animation": False, "plugins": {"legend": {"reverse": True}}},
    )


def _readable(hours: Decimal | None) -> Decimal | int | None:
    # Hours as the numbers table prints them: 60, 166.67, 12.5 (not 60.000 or 166.666…).
    if hours is None:
        return None
    cents = Decimal(hours).quantize(Decimal("0.01"))
    if cents == cents.to_integral_value():
        return int(cents)
    return cents.normalize()

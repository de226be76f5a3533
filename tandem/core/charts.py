"""Charts for pages: a Chart.js configuration plus the same numbers as a table.

A view builds a `Chart` and hands it to `{% chart c %}` (core/templatetags/tandem.py), which
renders the canvas, the configuration as JSON (drawn by static/js/charts.js) and a "Numbers"
table a click away, so what the chart shows can always be read and copied.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Span:
    """A value from `low` to `high`: Chart.js draws it as a floating bar ([low, high]) and the
    numbers table as "low–high"."""

    low: Any
    high: Any
    is_span = True


@dataclass
class Series:
    """One line or set of bars: a label and one value per chart label."""

    label: str
    values: list[Any]
    color: str | None = None
    # Extra Chart.js dataset keys (type for mixed charts, stack, borderDash, fill…).
    extra: dict[str, Any] = field(default_factory=dict)


# Colours that stay apart for colour-blind readers (Okabe–Ito), in the order series get them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass
class Chart:
    """What a chart shows. `kind` is a Chart.js type ("bar", "line"…); `money` formats the
    value axis and the table as amounts; `stacked` stacks bars; `horizontal` lays bars
    sideways; `options` are merged into Chart.js's options."""

    name: str
    title: str
    kind: str
    labels: list[str]
    series: list[Series]
    money: bool = False
    currency: str = ""
    stacked: bool = False
    horizontal: bool = False
    unit: str = ""
    height: int = 260
    options: dict[str, Any] = field(default_factory=dict)

    def config(self) -> dict:
        datasets = []
        for position, series in enumerate(self.series):
            color = series.color or PALETTE[position % len(PALETTE)]
            datasets.append(
                {
                    "label": series.label,
                    "data": [_plain(v) for v in series.values],
                    "backgroundColor": color,
                    "borderColor": color,
                    **series.extra,
                }
            )
        return {
            "type": self.kind,
            "data": {"labels": list(self.labels), "datasets": datasets},
            "options": self.options,
            "tandem": {
                "money": self.money,
                "currency": self.currency,
                "stacked": self.stacked,
                "horizontal": self.horizontal,
                "unit": self.unit,
            },
        }

    def rows(self) -> list[tuple[str, list[Any]]]:
        """The table under the chart: one row per label, one cell per series."""
        return [
            (label, [s.values[i] if i < len(s.values) else None for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(
            not any(v not in (None, 0) for v in s.values) for s in self.series
        )


def _plain(value):
    if isinstance(value, Span):
        return [_plain(value.low), _plain(value.high)]
    if isinstance(value, Decimal):
        return float(value)
    return value

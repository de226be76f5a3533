"""Named date periods for filters: this month, next quarter and so on."""

import datetime as dt

PERIODS = [
    ("overdue", "Past close date"),
    ("this_month", "This month"),
    ("next_month", "Next month"),
    ("this_quarter", "This quarter"),
    ("next_quarter", "Next quarter"),
    ("this_year", "This year"),
]


def month_start(day: dt.date, offset: int = 0) -> dt.date:
    """The first day of the month `offset` months after `day`'s."""
    index = day.year * 12 + day.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day of the named period around `today` (None: open-ended).

    Raises KeyError for an unknown name.
    """
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    bounds = {
        "overdue": (None, today - dt.timedelta(days=1)),
        "this_month": (month_start(today, 0), month_start(today, 1) - dt.timedelta(days=1)),
        "next_month": (month_start(today, 1), month_start(today, 2) - dt.timedelta(days=1)),
        "this_quarter": (
            quarter_start,
            month_start(quarter_start, 3) - dt.timedelta(days=1),
        ),
        "next_quarter": (
            month_start(quarter_start, 3),
            month_start(quarter_start, 6) - dt.timedelta(days=1),
        ),
        "this_year": (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
    }
    return bounds[name]

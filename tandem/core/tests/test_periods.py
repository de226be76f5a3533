import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.periods import PERIODS, period_bounds

D = dt.date


@pytest.mark.parametrize(
    ("today", "period", "expected"),
    [
        # an ordinary day in the middle of a quarter
        (D(2025, 5, 14), "overdue", (None, D(2025, 5, 13))),
        (D(2025, 5, 14), "this_month", (D(2025, 5, 1), D(2025, 5, 31))),
        (D(2025, 5, 14), "next_month", (D(2025, 6, 1), D(2025, 6, 30))),
        (D(2025, 5, 14), "this_quarter", (D(2025, 4, 1), D(2025, 6, 30))),
        (D(2025, 5, 14), "next_quarter", (D(2025, 7, 1), D(2025, 9, 30))),
        (D(2025, 5, 14), "this_year", (D(2025, 1, 1), D(2025, 12, 31))),
        # December: next month and next quarter fall in the next year
        (D(2025, 12, 31), "overdue", (None, D(2025, 12, 30))),
        (D(2025, 12, 31), "this_month", (D(2025, 12, 1), D(2025, 12, 31))),
        (D(2025, 12, 31), "next_month", (D(2026, 1, 1), D(2026, 1, 31))),
        (D(2025, 12, 31), "this_quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2025, 12, 31), "next_quarter", (D(2026, 1, 1), D(2026, 3, 31))),
        (D(2025, 12, 31), "this_year", (D(2025, 1, 1), D(2025, 12, 31))),
        # November: next month is December, next quarter starts in January
        (D(2025, 11, 30), "next_month", (D(2025, 12, 1), D(2025, 12, 31))),
        (D(2025, 11, 30), "next_quarter", (D(2026, 1, 1), D(2026, 3, 31))),
        # New Year's Day: overdue reaches back into the previous year
        (D(2026, 1, 1), "overdue", (None, D(2025, 12, 31))),
        (D(2026, 1, 1), "this_month", (D(2026, 1, 1), D(2026, 1, 31))),
        (D(2026, 1, 1), "next_month", (D(2026, 2, 1), D(2026, 2, 28))),
        (D(2026, 1, 1), "this_quarter", (D(2026, 1, 1), D(2026, 3, 31))),
        (D(2026, 1, 1), "next_quarter", (D(2026, 4, 1), D(2026, 6, 30))),
        (D(2026, 1, 1), "this_year", (D(2026, 1, 1), D(2026, 12, 31))),
        # the last day of a quarter and the first of the next
        (D(2025, 9, 30), "this_quarter", (D(2025, 7, 1), D(2025, 9, 30))),
        (D(2025, 9, 30), "next_quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2025, 10, 1), "this_quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2025, 10, 1), "overdue", (None, D(2025, 9, 30))),
        # leap years: February has 29 days in 2024 and 2000, 28 in 2100
        (D(2024, 1, 31), "next_month", (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2024, 2, 10), "this_month", (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2024, 3, 1), "overdue", (None, D(2024, 2, 29))),
        (D(2024, 2, 29), "this_quarter", (D(2024, 1, 1), D(2024, 3, 31))),
        (D(2024, 2, 29), "this_year", (D(2024, 1, 1), D(2024, 12, 31))),
        (D(2023, 12, 15), "next_quarter", (D(2024, 1, 1), D(2024, 3, 31))),
        (D(2000, 2, 1), "this_month", (D(2000, 2, 1), D(2000, 2, 29))),
        (D(2100, 2, 1), "this_month", (D(2100, 2, 1), D(2100, 2, 28))),
        (D(2025, 3, 1), "overdue", (None, D(2025, 2, 28))),
    ],
)
def test_period_bounds(today, period, expected):
    assert period_bounds(period, today) == expected


def test_an_unknown_period_is_a_key_error():
    with pytest.raises(KeyError, match="last_week"):
        period_bounds("last_week", D(2025, 5, 14))


def test_the_periods_offered_are_these_in_this_order():
    assert [name for name, _label in PERIODS] == [
        "overdue",
        "this_month",
        "next_month",
        "this_quarter",
        "next_quarter",
        "this_year",
    ]


# Years with room on both sides: the next quarter of December 9999 is not a date.
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


@given(today=days)
def test_every_period_starts_on_or_before_it_ends(today):
    for name, _label in PERIODS:
        start, end = period_bounds(name, today)
        assert start is None or start <= end


@given(today=days)
def test_today_lies_in_this_month_this_quarter_and_this_year(today):
    for name in ("this_month", "this_quarter", "this_year"):
        start, end = period_bounds(name, today)
        assert start <= today <= end


@given(today=days)
def test_next_month_and_next_quarter_start_the_day_after_this_ones_end(today):
    one_day = dt.timedelta(days=1)
    _, month_end = period_bounds("this_month", today)
    _, quarter_end = period_bounds("this_quarter", today)

    assert period_bounds("next_month", today)[0] == month_end + one_day
    assert period_bounds("next_quarter", today)[0] == quarter_end + one_day


@given(today=days)
def test_a_quarter_is_three_whole_months(today):
    start, end = period_bounds("this_quarter", today)

    assert (start.day, start.month % 3) == (1, 1)
    assert (end + dt.timedelta(days=1)).day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 2


@given(today=days)
def test_overdue_ends_the_day_before_today(today):
    assert period_bounds("overdue", today) == (None, today - dt.timedelta(days=1))

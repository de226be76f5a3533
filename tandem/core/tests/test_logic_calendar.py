from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.closeplans.logic import BusinessCalendar

# June 2025: Monday 2, 9, 16, 23 and 30. Monday 9 June (Whit Monday) is the holiday.
WHIT_MONDAY = date(2025, 6, 9)
CALENDAR = BusinessCalendar(holidays=frozenset({WHIT_MONDAY}))


def jun(day):
    return date(2025, 6, day)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
calendars = st.builds(
    BusinessCalendar,
    holidays=st.frozensets(days, max_size=60),
    weekend=st.one_of(st.just(frozenset({5, 6})), st.frozensets(st.integers(0, 6), max_size=6)),
)


def count_day_by_day(calendar, start, end):
    if end < start:
        return -count_day_by_day(calendar, end, start)
    return sum(
        calendar.is_business_day(start + timedelta(days=i))
        for i in range(1, (end - start).days + 1)
    )


def add_day_by_day(calendar, day, n):
    if n == 0:
        return calendar.on_or_after(day)
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        left -= calendar.is_business_day(day)
    return day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (jun(2), True),  # Monday
        (jun(6), True),  # Friday
        (jun(7), False),  # Saturday
        (jun(8), False),  # Sunday
        (WHIT_MONDAY, False),
        (jun(10), True),
    ],
)
def test_a_business_day_is_a_weekday_that_is_not_a_holiday(day, expected):
    assert CALENDAR.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (jun(4), jun(4), jun(4)),
        (jun(7), jun(6), jun(10)),
        (jun(8), jun(6), jun(10)),
        (WHIT_MONDAY, jun(6), jun(10)),
    ],
)
def test_the_nearest_business_day_skips_weekends_and_holidays(day, before, after):
    assert CALENDAR.on_or_before(day) == before
    assert CALENDAR.on_or_after(day) == after


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (jun(4), 0, jun(4)),
        (jun(4), 1, jun(5)),
        (jun(6), 1, jun(10)),  # over the weekend and Whit Monday
        (jun(10), -1, jun(6)),
        (jun(2), 10, jun(17)),
        (jun(17), -10, jun(2)),
        (jun(7), 0, jun(10)),  # Saturday, no move: the next business day
        (jun(7), 1, jun(10)),  # Saturday, one forward: the first business day after
        (jun(7), -1, jun(6)),  # Saturday, one back: the first business day before
        (WHIT_MONDAY, 1, jun(10)),
        (WHIT_MONDAY, -1, jun(6)),
        (date(2024, 12, 31), 260, date(2025, 12, 31)),
        (date(2025, 12, 31), -260, date(2024, 12, 31)),
    ],
)
def test_adding_business_days_counts_only_business_days(day, n, expected):
    assert CALENDAR.add(day, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (jun(2), jun(2), 0),
        (jun(2), jun(6), 4),  # the start is excluded, the end included
        (jun(6), jun(10), 1),
        (jun(10), jun(6), -1),
        (jun(7), jun(8), 0),  # a weekend
        (jun(6), WHIT_MONDAY, 0),
        (jun(1), jun(30), 20),  # June 2025: 21 weekdays, one of them Whit Monday
        (date(2024, 12, 31), date(2025, 12, 31), 260),  # 261 weekdays in 2025, one holiday
        (date(2025, 12, 31), date(2024, 12, 31), -260),
    ],
)
def test_counting_business_days_counts_the_half_open_range(start, end, expected):
    assert CALENDAR.count(start, end) == expected


def test_a_holiday_on_a_weekend_changes_nothing():
    saturday_holiday = BusinessCalendar(holidays=frozenset({jun(7)}))

    assert saturday_holiday.count(jun(1), jun(30)) == BusinessCalendar().count(jun(1), jun(30))
    assert saturday_holiday.add(jun(6), 1) == jun(9)


def test_a_friday_and_saturday_weekend_works_on_sunday():
    calendar = BusinessCalendar(weekend=frozenset({4, 5}))

    assert calendar.add(jun(5), 1) == jun(8)  # Thursday + 1 is Sunday
    assert calendar.count(jun(1), jun(8)) == 5


def test_counting_decades_with_many_holidays_matches_walking_day_by_day():
    start, end = date(2000, 1, 1), date(2039, 12, 31)
    holidays = frozenset(start + timedelta(days=i) for i in range(0, (end - start).days, 11))
    calendar = BusinessCalendar(holidays=holidays)

    assert calendar.count(start, end) == count_day_by_day(calendar, start, end)
    assert calendar.add(start, 9000) == add_day_by_day(calendar, start, 9000)


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({5, 7}), frozenset({-1})])
def test_a_weekend_that_is_not_part_of_a_week_is_refused(weekend):
    with pytest.raises(ValueError, match="weekend"):
        BusinessCalendar(weekend=weekend)


def test_calendars_with_the_same_days_are_equal_and_hashable():
    first = BusinessCalendar(holidays={WHIT_MONDAY}, weekend={6, 5})
    second = BusinessCalendar(holidays=frozenset({WHIT_MONDAY}))

    assert first == second
    assert hash(first) == hash(second)
    assert first.holidays == frozenset({WHIT_MONDAY})


@settings(max_examples=200)
@given(calendar=calendars, start=days, end=days)
def test_counting_matches_walking_day_by_day(calendar, start, end):
    assert calendar.count(start, end) == count_day_by_day(calendar, start, end)


@settings(max_examples=200)
@given(calendar=calendars, day=days, n=st.integers(-300, 300))
def test_adding_matches_stepping_day_by_day_and_lands_on_a_business_day(calendar, day, n):
    result = calendar.add(day, n)

    assert result == add_day_by_day(calendar, day, n)
    assert calendar.is_business_day(result)


@settings(max_examples=200)
@given(calendar=calendars, day=days, n=st.integers(-300, 300))
def test_counting_to_where_adding_lands_gives_back_the_number_of_days(calendar, day, n):
    business_day = calendar.on_or_after(day)

    assert calendar.count(business_day, calendar.add(business_day, n)) == n


@settings(max_examples=200)
@given(calendar=calendars, day=days)
def test_the_nearest_business_days_enclose_the_day(calendar, day):
    before, after = calendar.on_or_before(day), calendar.on_or_after(day)

    assert before <= day <= after
    assert calendar.is_business_day(before)
    assert calendar.is_business_day(after)
    assert calendar.count(before, after) == (0 if before == after else 1)

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.closeplans.logic import (
    BusinessCalendar,
    Checkup,
    StepState,
    checkup_period,
    find_checkups,
)

# Today is Thursday 5 June 2025; Monday 9 June (Whit Monday) is a holiday, so three business
# days ahead reaches Wednesday 11 June.
CALENDAR = BusinessCalendar(holidays=frozenset({date(2025, 6, 9)}))
TODAY = date(2025, 6, 5)
RULES = {"due_within_days": 3, "quiet_days": 2}


def may(day):
    return date(2025, 5, day)


def jun(day):
    return date(2025, 6, day)


LAST_WEEK = date(2025, 5, 29)


def state(due, status="open", last_update=LAST_WEEK, owner="ana", step_id=1):
    return StepState(
        step_id=step_id, owner_key=owner, due=due, status=status, last_update=last_update
    )


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (state(jun(10)), ("due_soon", 2)),
        (state(jun(11)), ("due_soon", 3)),  # the holiday stretches the window
        (state(jun(12)), None),  # too far ahead
        (state(TODAY), ("due_soon", 0)),
        (state(jun(10), last_update=jun(4)), None),  # updated yesterday: leave them be
        (state(jun(10), last_update=jun(3)), ("due_soon", 2)),  # quiet for exactly two days
        (state(TODAY, last_update=TODAY), None),
        (state(jun(4)), ("overdue", 1)),
        (state(jun(4), last_update=TODAY), ("overdue", 1)),  # an update does not excuse it
        (state(may(30)), ("overdue", 4)),  # a Friday
        (state(may(31)), ("overdue", 4)),  # a Saturday: late from the Monday on
        (state(jun(30), status="blocked"), ("blocked", 5)),  # business days since 29 May
        (state(jun(2), status="blocked", last_update=jun(4)), ("blocked", 1)),  # and overdue
        (state(jun(10), status="blocked", last_update=TODAY), ("blocked", 0)),
        (state(jun(2), status="done"), None),
        (state(jun(10), status="done"), None),
    ],
)
def test_a_step_gets_at_most_one_checkup_of_the_most_urgent_kind(step, expected):
    checkups = find_checkups([step], TODAY, CALENDAR, **RULES)

    if expected is None:
        assert checkups == []
    else:
        kind, days = expected
        assert checkups == [Checkup(step_id=1, owner_key="ana", kind=kind, due=step.due, days=days)]


def test_checkups_are_grouped_by_owner_then_overdue_blocked_and_due_soon_then_due_date():
    steps = [
        state(jun(10), owner="bo", step_id=1),
        state(jun(10), step_id=2),
        state(jun(4), step_id=3),
        state(jun(20), status="blocked", step_id=4),
        state(jun(6), step_id=5),
        state(jun(6), step_id=6),
        state(jun(6), status="done", step_id=7),
    ]

    checkups = find_checkups(steps, TODAY, CALENDAR, **RULES)

    assert [(c.owner_key, c.kind, c.step_id) for c in checkups] == [
        ("ana", "overdue", 3),
        ("ana", "blocked", 4),
        ("ana", "due_soon", 5),
        ("ana", "due_soon", 6),
        ("ana", "due_soon", 2),
        ("bo", "due_soon", 1),
    ]


def test_steps_can_come_from_a_generator():
    steps = (state(jun(4), step_id=i) for i in range(3))

    assert len(find_checkups(steps, TODAY, CALENDAR, **RULES)) == 3


def test_a_step_with_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status"):
        find_checkups([state(jun(4), status="paused")], TODAY, CALENDAR, **RULES)


def test_the_checkup_period_is_the_iso_date_so_a_second_run_that_day_does_nothing():
    assert checkup_period(TODAY) == "2025-06-05"


# Properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 5, 1), max_value=date(2025, 7, 31))
calendars = st.builds(
    BusinessCalendar,
    holidays=st.frozensets(days, max_size=10),
    weekend=st.one_of(st.just(frozenset({5, 6})), st.frozensets(st.integers(0, 6), max_size=5)),
)
step_states = st.builds(
    StepState,
    step_id=st.integers(1, 10_000),
    owner_key=st.sampled_from(["ana", "bo", "cy"]),
    due=days,
    status=st.sampled_from(["open", "blocked", "done"]),
    last_update=days,
)


def checkup_one_by_one(step, today, calendar, due_within_days, quiet_days):
    """The rule written out plainly, stepping the calendar for every step."""
    if step.status == "blocked":
        return "blocked", max(0, calendar.count(step.last_update, today))
    if step.status != "open":
        return None
    if step.due < today:
        return "overdue", calendar.count(step.due, today)
    quiet = today - step.last_update >= timedelta(days=quiet_days)
    if step.due <= calendar.add(today, due_within_days) and quiet:
        return "due_soon", calendar.count(today, step.due)
    return None


@settings(max_examples=200)
@given(
    calendar=calendars,
    today=days,
    steps=st.lists(step_states, max_size=30),
    due_within_days=st.integers(0, 10),
    quiet_days=st.integers(0, 10),
)
def test_checkups_match_the_rule_applied_step_by_step_and_come_sorted(
    calendar, today, steps, due_within_days, quiet_days
):
    checkups = find_checkups(
        steps, today, calendar, due_within_days=due_within_days, quiet_days=quiet_days
    )

    expected = []
    for step in steps:
        found = checkup_one_by_one(step, today, calendar, due_within_days, quiet_days)
        if found is not None:
            kind, days_ = found
            expected.append(Checkup(step.step_id, step.owner_key, kind, step.due, days_))
    order = {"overdue": 0, "blocked": 1, "due_soon": 2}
    assert checkups == sorted(
        expected, key=lambda c: (c.owner_key, order[c.kind], c.due, c.step_id)
    )
    assert all(c.days >= 0 for c in checkups)

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.closeplans.logic import (
    BusinessCalendar,
    PlanHealth,
    RemainingStep,
    earliest_close,
    plan_health,
)

# June 2025: Monday 2, 9, 16, 23 and 30. WITH_HOLIDAY takes Whit Monday (9 June) off.
PLAIN = BusinessCalendar()
WITH_HOLIDAY = BusinessCalendar(holidays=frozenset({date(2025, 6, 9)}))
MONDAY = date(2025, 6, 2)


def jun(day):
    return date(2025, 6, day)


def step(position, duration, lead=0, status="open"):
    return RemainingStep(position=position, duration_days=duration, lead_days=lead, status=status)


# Five, five and two business days of work from Monday 2 June: done on Wednesday 18 June.
THREE_LEFT = [step(1, 5), step(2, 5), step(3, 2)]


@pytest.mark.parametrize(
    ("remaining", "today", "calendar", "expected"),
    [
        ([], MONDAY, PLAIN, MONDAY),
        ([], jun(7), PLAIN, jun(9)),  # nothing left on a Saturday: the Monday
        ([step(1, 5)], MONDAY, PLAIN, jun(9)),
        ([step(1, 5)], MONDAY, WITH_HOLIDAY, jun(10)),
        ([step(1, 5)], jun(7), PLAIN, jun(16)),  # work starts on the Monday
        ([step(1, 0)], MONDAY, PLAIN, MONDAY),  # a milestone finishes the day it starts
        ([step(1, 2, lead=5), step(2, 1)], MONDAY, PLAIN, jun(11)),  # the lead decides
        ([step(1, 2, lead=1), step(2, 1)], MONDAY, PLAIN, jun(5)),  # the last step decides
        (THREE_LEFT, MONDAY, PLAIN, jun(18)),
        (THREE_LEFT, MONDAY, WITH_HOLIDAY, jun(19)),
    ],
)
def test_the_earliest_close_works_the_steps_left_one_after_another(
    remaining, today, calendar, expected
):
    assert earliest_close(remaining, today, calendar) == expected


def test_a_blocked_step_starts_no_sooner_than_the_next_business_day():
    blocked = [step(1, 2, status="blocked")]

    assert earliest_close(blocked, MONDAY, PLAIN) == jun(5)
    assert earliest_close(blocked, jun(6), WITH_HOLIDAY) == jun(12)  # a Friday


def test_a_blocked_step_later_in_the_plan_waits_only_for_the_steps_before_it():
    remaining = [step(1, 3), step(2, 2, status="blocked")]

    assert earliest_close(remaining, MONDAY, PLAIN) == jun(9)


def test_steps_are_worked_in_position_order_whatever_order_they_come_in():
    in_order = [step(1, 2, lead=5), step(2, 1)]

    assert earliest_close(in_order[::-1], MONDAY, PLAIN) == jun(11)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (step(1, 1, status="done"), "status"),
        (step(1, -1), "negative"),
        (step(1, 1, lead=-1), "negative"),
    ],
)
def test_a_step_that_makes_no_sense_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        earliest_close([bad], MONDAY, PLAIN)


def test_a_plan_that_cannot_make_its_target_has_slipped_and_proposes_a_date():
    health = plan_health(THREE_LEFT, jun(13), MONDAY, PLAIN)

    assert health == PlanHealth(
        state="slipped",
        proposed_close=jun(18),
        slack_days=-3,
        reasons=("3 steps left need 12 business days; the earliest close is 18 Jun",),
    )


def test_a_slipped_plan_also_names_overdue_and_blocked_steps():
    remaining = [step(1, 5, status="blocked")]

    health = plan_health(remaining, MONDAY, MONDAY, PLAIN, overdue_count=2)

    assert health.state == "slipped"
    assert health.proposed_close == jun(10)
    assert health.reasons == (
        "1 step left needs 6 business days; the earliest close is 10 Jun",
        "2 steps are overdue",
        "1 step is blocked",
    )


def test_a_plan_with_nothing_left_but_a_target_in_the_past_has_slipped():
    health = plan_health([], jun(5), jun(9), PLAIN)

    assert health == PlanHealth(
        state="slipped",
        proposed_close=jun(9),
        slack_days=-2,
        reasons=("The target close of 5 Jun has passed; the earliest close is 9 Jun",),
    )


@pytest.mark.parametrize(
    ("target", "state", "slack", "reason"),
    [
        (jun(18), "at_risk", 0, "No slack: the steps left need every business day until 18 Jun"),
        (jun(19), "at_risk", 1, "Only 1 business day of slack before the target close of 19 Jun"),
        (jun(23), "at_risk", 3, "Only 3 business days of slack before the target close of 23 Jun"),
        (jun(24), "on_track", 4, "4 business days of slack before the target close of 24 Jun"),
        (
            date(2026, 1, 5),
            "on_track",
            143,
            "143 business days of slack before the target close of 5 Jan 2026",
        ),
    ],
)
def test_little_slack_puts_a_plan_at_risk(target, state, slack, reason):
    health = plan_health(THREE_LEFT, target, MONDAY, PLAIN)

    assert health == PlanHealth(
        state=state, proposed_close=None, slack_days=slack, reasons=(reason,)
    )


def test_the_slack_that_counts_as_risky_can_be_set():
    health = plan_health(THREE_LEFT, jun(23), MONDAY, PLAIN, risk_slack_days=2)

    assert health.state == "on_track"


@pytest.mark.parametrize(
    ("overdue", "blocked_count", "remaining", "reasons"),
    [
        (1, 0, THREE_LEFT, ("1 step is overdue",)),
        (0, 2, THREE_LEFT, ("2 steps are blocked",)),
        (0, 0, [step(1, 5), step(2, 2, status="blocked")], ("1 step is blocked",)),
        (3, 1, THREE_LEFT, ("3 steps are overdue", "1 step is blocked")),
    ],
)
def test_an_overdue_or_blocked_step_puts_a_plan_at_risk_whatever_the_slack(
    overdue, blocked_count, remaining, reasons
):
    health = plan_health(
        remaining, jun(30), MONDAY, PLAIN, overdue_count=overdue, blocked_count=blocked_count
    )

    assert health.state == "at_risk"
    assert health.proposed_close is None
    assert health.reasons == reasons


def test_a_plan_with_every_step_done_is_on_track():
    health = plan_health([], MONDAY, MONDAY, PLAIN)

    assert health == PlanHealth(
        state="on_track", proposed_close=None, slack_days=0, reasons=("All steps are done",)
    )


def test_a_deal_without_a_plan_says_so():
    health = plan_health(None, jun(30), MONDAY, PLAIN)

    assert health == PlanHealth(
        state="no_plan",
        proposed_close=None,
        slack_days=None,
        reasons=("There is no close plan yet",),
    )


# Properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
calendars = st.builds(
    BusinessCalendar,
    holidays=st.frozensets(days, max_size=40),
    weekend=st.one_of(st.just(frozenset({5, 6})), st.frozensets(st.integers(0, 6), max_size=5)),
)
remaining_steps = st.builds(
    RemainingStep,
    position=st.integers(0, 20),
    duration_days=st.integers(0, 15),
    lead_days=st.integers(0, 20),
    status=st.sampled_from(["open", "open", "blocked"]),
)


@settings(max_examples=200)
@given(calendar=calendars, today=days, remaining=st.lists(remaining_steps, max_size=8))
def test_the_earliest_close_is_a_business_day_no_sooner_than_the_work_left(
    calendar, today, remaining
):
    earliest = earliest_close(remaining, today, calendar)

    work = sum(step.duration_days for step in remaining)
    assert calendar.is_business_day(earliest)
    assert earliest >= calendar.add(calendar.on_or_after(today), work)


@settings(max_examples=200)
@given(
    calendar=calendars,
    today=days,
    remaining=st.lists(remaining_steps, max_size=8),
    extra=remaining_steps,
    where=st.integers(0, 8),
)
def test_adding_a_step_never_brings_the_earliest_close_forward(
    calendar, today, remaining, extra, where
):
    more = [*remaining[:where], extra, *remaining[where:]]

    assert earliest_close(more, today, calendar) >= earliest_close(remaining, today, calendar)


@settings(max_examples=200)
@given(
    calendar=calendars,
    today=days,
    target=days,
    remaining=st.lists(remaining_steps, max_size=8),
    overdue=st.integers(0, 2),
)
def test_a_plan_has_slipped_exactly_when_its_earliest_close_is_after_the_target(
    calendar, today, target, remaining, overdue
):
    earliest = earliest_close(remaining, today, calendar)

    health = plan_health(remaining, target, today, calendar, overdue_count=overdue)

    assert (health.state == "slipped") == (earliest > target)
    assert (health.state == "slipped") == (health.slack_days < 0)
    if health.state == "slipped":
        assert health.proposed_close == earliest
        assert health.proposed_close >= calendar.add(
            calendar.on_or_after(today), sum(step.duration_days for step in remaining)
        )
    else:
        assert health.proposed_close is None
    assert health.reasons

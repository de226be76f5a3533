from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tandem.closeplans.logic import (
    BusinessCalendar,
    RemainingStep,
    StepSpec,
    earliest_close,
    schedule_backwards,
    shift_steps,
)

# June 2025: Monday 2, 9, 16, 23 and 30. WITH_HOLIDAY takes Whit Monday (9 June) off.
PLAIN = BusinessCalendar()
WITH_HOLIDAY = BusinessCalendar(holidays=frozenset({date(2025, 6, 9)}))


def may(day):
    return date(2025, 5, day)


def jun(day):
    return date(2025, 6, day)


def jul(day):
    return date(2025, 7, day)


MIXED = [
    StepSpec("Discovery workshop", "us", 3, None),
    StepSpec("Proposal sent", "us", 2, 10),
    StepSpec("Security review", "customer", 5, None),
    StepSpec("Contract signed", "customer", None, 0),
]


def dates_of(schedule):
    return [(step.start, step.due) for step in schedule.steps]


def test_a_mixed_template_is_laid_out_backwards_from_the_close():
    schedule = schedule_backwards(MIXED, close=jun(27), today=jun(2), calendar=PLAIN)

    assert dates_of(schedule) == [
        (jun(6), jun(11)),  # chained: due when the proposal starts
        (jun(11), jun(13)),  # ten business days before the close
        (jun(20), jun(27)),  # chained: due when the signature is due
        (jun(27), jun(27)),  # a milestone on the close date
    ]
    assert [step.lead_days for step in schedule.steps] == [12, 10, 0, 0]
    assert [step.position for step in schedule.steps] == [1, 2, 3, 4]
    assert [step.duration_days for step in schedule.steps] == [3, 2, 5, 0]
    assert schedule.fits is True
    assert schedule.first_start == jun(6)
    assert schedule.earliest_close == jun(27)


def test_a_holiday_pushes_the_earlier_steps_back_a_day():
    schedule = schedule_backwards(MIXED, close=jun(27), today=jun(2), calendar=WITH_HOLIDAY)

    assert schedule.steps[0].start == jun(5)  # Wednesday 11 less three days, Whit Monday off


def test_an_all_chained_template_runs_each_step_into_the_next():
    specs = [
        StepSpec("Demo", "us", 2, None),
        StepSpec("Trial", "customer", 3, None),
        StepSpec("Order form signed", "customer", None, None),
    ]

    schedule = schedule_backwards(specs, close=jun(27), today=jun(2), calendar=PLAIN)

    assert dates_of(schedule) == [(jun(20), jun(24)), (jun(24), jun(27)), (jun(27), jun(27))]
    assert [step.lead_days for step in schedule.steps] == [3, 0, 0]


def test_a_lead_never_puts_a_step_after_the_start_of_the_next_one():
    specs = [
        StepSpec("Proposal sent", "us", 2, 2),
        StepSpec("Security review", "customer", 5, None),
        StepSpec("Contract signed", "customer", None, 0),
    ]

    schedule = schedule_backwards(specs, close=jun(27), today=jun(2), calendar=PLAIN)

    # Two days before the close would be 25 June, but the review must start on 20 June.
    assert schedule.steps[0].due == jun(20)
    assert schedule.steps[0].start == jun(18)


def test_a_step_without_a_duration_starts_and_ends_on_its_due_date():
    specs = [StepSpec("Budget approved", "customer", None, 5), StepSpec("Kick-off", "us", 0, 0)]

    schedule = schedule_backwards(specs, close=jun(27), today=jun(2), calendar=PLAIN)

    assert dates_of(schedule) == [(jun(20), jun(20)), (jun(27), jun(27))]
    assert [step.duration_days for step in schedule.steps] == [0, 0]


def test_a_close_on_a_saturday_plans_for_the_friday_before():
    schedule = schedule_backwards(MIXED, close=jun(28), today=jun(2), calendar=PLAIN)

    assert schedule.close == jun(28)
    assert dates_of(schedule) == dates_of(
        schedule_backwards(MIXED, close=jun(27), today=jun(2), calendar=PLAIN)
    )


def test_a_close_on_a_holiday_makes_the_last_step_due_the_business_day_before():
    specs = [StepSpec("Contract signed", "customer", 1, 0)]

    schedule = schedule_backwards(specs, close=jun(9), today=jun(2), calendar=WITH_HOLIDAY)

    assert dates_of(schedule) == [(jun(5), jun(6))]


def test_a_lead_that_lands_on_a_holiday_skips_it():
    specs = [StepSpec("Legal review done", "customer", 1, 3), StepSpec("Signed", "us", 0, 0)]

    schedule = schedule_backwards(specs, close=jun(12), today=jun(2), calendar=WITH_HOLIDAY)

    # Three business days before Thursday 12: Wednesday 11, Tuesday 10, then Friday 6.
    assert dates_of(schedule) == [(jun(5), jun(6)), (jun(12), jun(12))]


def test_a_close_too_near_for_the_template_does_not_fit_and_says_when_it_would():
    schedule = schedule_backwards(MIXED, close=jun(10), today=jun(2), calendar=PLAIN)

    assert schedule.fits is False
    assert schedule.first_start == may(20)
    assert schedule.earliest_close == jun(23)
    assert schedule_backwards(MIXED, close=jun(23), today=jun(2), calendar=PLAIN).fits is True
    assert schedule_backwards(MIXED, close=jun(20), today=jun(2), calendar=PLAIN).fits is False


def test_a_close_in_the_past_is_refused():
    with pytest.raises(ValueError, match="close date is in the past"):
        schedule_backwards(MIXED, close=jun(1), today=jun(2), calendar=PLAIN)


def test_a_close_today_is_allowed_for_a_milestone():
    schedule = schedule_backwards(
        [StepSpec("Signed", "us", None, None)], close=jun(2), today=jun(2), calendar=PLAIN
    )

    assert schedule.fits is True
    assert dates_of(schedule) == [(jun(2), jun(2))]


def test_an_empty_template_fits_any_close():
    schedule = schedule_backwards([], close=jun(27), today=jun(2), calendar=PLAIN)

    assert schedule.steps == ()
    assert schedule.fits is True
    assert schedule.first_start is None
    assert schedule.earliest_close == jun(27)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (StepSpec("Demo", "partner", 1, None), "side"),
        (StepSpec("Demo", "us", -1, None), "duration_days"),
        (StepSpec("Demo", "us", 1, -2), "lead_days"),
    ],
)
def test_a_step_that_makes_no_sense_is_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        schedule_backwards([spec], close=jun(27), today=jun(2), calendar=PLAIN)


@pytest.mark.parametrize(
    ("old_close", "new_close", "dues", "expected"),
    [
        # A week later: everything moves five business days.
        (jun(27), jul(4), [jun(6), jun(11), jun(27)], [jun(13), jun(18), jul(4)]),
        # A week earlier.
        (jun(27), jun(20), [jun(11), jun(27)], [jun(4), jun(20)]),
        # From Friday to the Saturday after: no business day moved.
        (jun(27), jun(28), [jun(11), jun(27)], [jun(11), jun(27)]),
        # A due after the close (edited by hand) is brought back to the new close.
        (jun(27), jun(20), [jun(30)], [jun(20)]),
        # A due on a Saturday moves to the next business day forwards.
        (jun(27), jun(30), [jun(7)], [jun(9)]),
        (jun(27), jun(28), [jun(7)], [jun(7)]),
    ],
)
def test_shifting_the_close_moves_open_steps_by_the_same_business_days(
    old_close, new_close, dues, expected
):
    assert shift_steps(dues, old_close, new_close, PLAIN) == expected


@pytest.mark.parametrize(
    ("old_close", "new_close", "dues", "expected"),
    [
        (jun(13), jun(16), [jun(6), jun(13)], [jun(10), jun(16)]),  # forwards over the holiday
        (jun(16), jun(13), [jun(10), jun(16)], [jun(6), jun(13)]),  # and back again
    ],
)
def test_shifting_the_close_skips_holidays(old_close, new_close, dues, expected):
    assert shift_steps(dues, old_close, new_close, WITH_HOLIDAY) == expected


# Properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
calendars = st.builds(
    BusinessCalendar,
    holidays=st.frozensets(days, max_size=40),
    weekend=st.one_of(st.just(frozenset({5, 6})), st.frozensets(st.integers(0, 6), max_size=5)),
)
specs_lists = st.lists(
    st.builds(
        StepSpec,
        title=st.just("Step"),
        side=st.sampled_from(["us", "customer"]),
        duration_days=st.none() | st.integers(0, 15),
        lead_days=st.none() | st.integers(0, 30),
    ),
    max_size=8,
)


@st.composite
def plans(draw):
    calendar = draw(calendars)
    today = draw(days)
    close = today + timedelta(days=draw(st.integers(0, 150)))
    return draw(specs_lists), close, today, calendar


def as_remaining(specs):
    return [
        RemainingStep(
            position=i,
            duration_days=s.duration_days or 0,
            lead_days=s.lead_days or 0,
            status="open",
        )
        for i, s in enumerate(specs)
    ]


@settings(max_examples=200)
@given(plan=plans())
def test_no_step_is_due_after_the_close_or_starts_after_its_due_date(plan):
    specs, close, today, calendar = plan

    schedule = schedule_backwards(specs, close, today, calendar)

    for step in schedule.steps:
        assert step.start <= step.due <= close
        assert calendar.is_business_day(step.start)
        assert calendar.is_business_day(step.due)
        assert calendar.count(step.start, step.due) == step.duration_days
        assert calendar.count(step.due, calendar.on_or_before(close)) == step.lead_days


@settings(max_examples=200)
@given(plan=plans())
def test_steps_keep_the_template_order_and_never_overlap(plan):
    specs, close, today, calendar = plan

    steps = schedule_backwards(specs, close, today, calendar).steps

    for earlier, later in zip(steps, steps[1:], strict=False):
        assert earlier.due <= later.due
        assert earlier.due <= later.start


@settings(max_examples=200)
@given(plan=plans())
def test_a_step_with_a_lead_is_due_at_least_that_lead_before_the_close(plan):
    specs, close, today, calendar = plan

    schedule = schedule_backwards(specs, close, today, calendar)

    for spec, step in zip(specs, schedule.steps, strict=True):
        if spec.lead_days is not None:
            assert step.lead_days >= spec.lead_days


@settings(max_examples=200)
@given(plan=plans())
def test_the_earliest_close_fits_and_a_business_day_earlier_does_not(plan):
    specs, close, today, calendar = plan
    assume(specs)

    schedule = schedule_backwards(specs, close, today, calendar)
    earliest = schedule.earliest_close if not schedule.fits else None
    # With or without a fit, the slip calculation finds the same earliest close.
    soonest = earliest_close(as_remaining(specs), today, calendar)

    if earliest is not None:
        assert earliest == soonest
        assert earliest > close
    assert schedule_backwards(specs, soonest, today, calendar).fits is True
    one_day_earlier = calendar.add(soonest, -1)
    if one_day_earlier >= today:
        assert schedule_backwards(specs, one_day_earlier, today, calendar).fits is False


@settings(max_examples=200)
@given(plan=plans(), moved_by=st.integers(-20, 40))
def test_shifting_a_plan_gives_the_plan_made_for_the_new_close(plan, moved_by):
    specs, close, today, calendar = plan
    new_close = calendar.add(close, moved_by)
    earliest_day = min(close, new_close, today)

    old = schedule_backwards(specs, close, earliest_day, calendar)
    new = schedule_backwards(specs, new_close, earliest_day, calendar)
    dues = [step.due for step in old.steps]

    assert shift_steps(dues, close, new_close, calendar) == [step.due for step in new.steps]
    assert (
        shift_steps(shift_steps(dues, close, new_close, calendar), new_close, close, calendar)
        == dues
    )

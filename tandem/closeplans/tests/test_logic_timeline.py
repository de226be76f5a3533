from datetime import date

import pytest

from tandem.closeplans.logic.timeline import StepFacts, plan_timeline, step_state
from tandem.core.logic.calendar import BusinessCalendar

# June 2025: Monday 2, 9, 16, 23 and 30. Whit Monday (9 June) is a holiday in HOLIDAY.
PLAIN = BusinessCalendar()
HOLIDAY = BusinessCalendar(holidays=frozenset({date(2025, 6, 9)}))


def jun(day):
    return date(2025, 6, day)


def fact(position, due, duration=1, status="open", side="us", title="Step"):
    return StepFacts(
        position=position,
        title=title,
        side=side,
        status=status,
        due=due,
        duration_days=duration,
        owner="Sam",
    )


@pytest.mark.parametrize(
    ("step", "today", "forward_due", "expected"),
    [
        (fact(1, jun(3), status="done"), jun(10), None, "done"),
        (fact(1, jun(3)), jun(4), jun(5), "overdue"),
        (fact(1, jun(3), status="blocked"), jun(4), jun(5), "overdue"),
        (fact(1, jun(10), status="blocked"), jun(4), jun(5), "at_risk"),
        (fact(1, jun(10)), jun(4), jun(11), "at_risk"),  # worked from today it finishes late
        (fact(1, jun(10)), jun(4), jun(10), "upcoming"),
        (fact(1, jun(4)), jun(4), jun(4), "upcoming"),  # due today is not overdue yet
    ],
)
def test_step_state(step, today, forward_due, expected):
    assert step_state(step, today, forward_due) == expected


def test_bars_end_on_the_due_date_and_start_their_business_days_back():
    bars = plan_timeline(
        [fact(2, jun(11), duration=3), fact(1, jun(4), duration=0), fact(3, jun(20), duration=1)],
        jun(2),
        HOLIDAY,
    )
    assert [(b.position, b.start, b.end) for b in bars] == [
        (1, jun(4), jun(4)),  # a milestone: one day
        (2, jun(6), jun(11)),  # Fri 6, Tue 10, Wed 11: the weekend and Whit Monday skipped
        (3, jun(20), jun(20)),
    ]
    assert [b.state for b in bars] == ["upcoming", "upcoming", "upcoming"]


def test_steps_left_that_cannot_finish_in_time_from_today_are_at_risk():
    # From Monday 2 June: step 1 needs five days (done Mon 9), step 2 three more (Thu 12).
    bars = plan_timeline(
        [fact(1, jun(9), duration=5), fact(2, jun(10), duration=3), fact(0, jun(1), status="done")],
        jun(2),
        PLAIN,
    )
    assert [(b.position, b.state) for b in bars] == [(0, "done"), (1, "upcoming"), (2, "at_risk")]


def test_the_task_carries_state_side_and_owner_for_the_chart():
    [bar] = plan_timeline([fact(1, jun(6), duration=2, side="customer", title="PO")], jun(2), PLAIN)
    assert bar.task() == {
        "id": "step-1",
        "name": "PO",
        "start": "2025-06-05",
        "end": "2025-06-06",
        "progress": 0,
        "dependencies": "",
        "custom_class": "tl-upcoming--customer",
        "state": "Upcoming",
        "side": "Customer",
        "owner": "Sam",
        "blocked": False,
    }


def test_an_empty_plan_has_no_bars():
    assert plan_timeline([], jun(2), PLAIN) == []

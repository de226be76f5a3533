"""Whether a close plan still makes its target date, and the earliest close it can make."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandem.core.logic.calendar import BusinessCalendar

REMAINING_STATUSES = ("open", "blocked")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class RemainingStep:
    """A step of a plan that is not done yet."""

    position: int
    duration_days: int
    lead_days: int  # business days from this step's due to the target close in the plan (>= 0)
    status: str  # "open" | "blocked"; done steps are not passed


@dataclass(frozen=True)
class PlanHealth:
    """How a plan stands against its target close, and why, in plain English."""

    state: str  # "on_track" | "at_risk" | "slipped" | "no_plan"
    proposed_close: date | None  # set when slipped: the earliest close the steps left allow
    slack_days: int | None  # business days between the earliest close and the target
    reasons: tuple[str, ...]


def forward_dues(
    remaining: Sequence[RemainingStep], today: date, calendar: BusinessCalendar
) -> list[tuple[int, date]]:
    """Return (position, due) for the steps left if they are worked from today, in order.

    Steps are worked one after another in `position` order, the first from today (or the next
    business day): each finishes `duration_days` business days after it starts (a milestone
    the same day) and the next starts the day it finishes. A blocked step still needs its whole
    duration and starts no earlier than the business day after today.

    Raises ValueError for a negative duration or lead, or a status other than open/blocked.
    """
    start = calendar.on_or_after(today)
    unblocked = None
    dues = []
    for step in sorted(remaining, key=lambda step: step.position):
        if step.status not in REMAINING_STATUSES:
            raise ValueError(f"step {step.position}: status must be open or blocked")
        if step.duration_days < 0 or step.lead_days < 0:
            raise ValueError(f"step {step.position}: duration and lead cannot be negative")
        if step.status == "blocked":
            unblocked = unblocked or calendar.add(today, 1)
            start = max(start, unblocked)
        start = calendar.add(start, step.duration_days)
        dues.append((step.position, start))
    return dues


def earliest_close(
    remaining: Sequence[RemainingStep], today: date, calendar: BusinessCalendar
) -> date:
    """Return the earliest business day the deal can close if the steps left start now.

    The steps are worked as `forward_dues` lays them out; the close comes `lead_days` after
    each step's finish, whichever is latest. Excludes done steps; with no steps left the
    answer is today (or the next business day).

    Raises ValueError for a negative duration or lead, or a status other than open/blocked.
    """
    close = calendar.on_or_after(today)
    ordered = sorted(remaining, key=lambda step: step.position)
    for step, (_, due) in zip(ordered, forward_dues(ordered, today, calendar), strict=True):
        close = max(close, calendar.add(due, step.lead_days))
    return close


def _day(day: date, today: date) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n} steps"


def _business_days(n: int) -> str:
    return "1 business day" if n == 1 else f"{n} business days"


def plan_health(
    remaining: Sequence[RemainingStep] | None,
    target_close: date,
    today: date,
    calendar: BusinessCalendar,
    *,
    overdue_count: int = 0,
    blocked_count: int = 0,
    risk_slack_days: int = 3,
) -> PlanHealth:
    """Judge a plan against its target close, so a slipping deal is re-dated early.

    - no_plan: `remaining` is None (the deal has no close plan).
    - slipped: the earliest close (see `earliest_close`) is after `target_close`;
      `proposed_close` is that earliest close and `slack_days` is negative.
    - at_risk: the slack, business days in (earliest close, target], is at most
      `risk_slack_days`, or a step is overdue or blocked. A plan with no steps left is never at
      risk for lack of slack: there is nothing left to do.
    - on_track: otherwise.

    `overdue_count` comes from the caller (overdue needs the steps' due dates); blocked steps
    are `blocked_count` or the blocked steps in `remaining`, whichever is more. Reasons name
    every cause, overdue and blocked steps included even when the plan has slipped.
    """
    if remaining is None:
        return PlanHealth(
            state="no_plan",
            proposed_close=None,
            slack_days=None,
            reasons=("There is no close plan yet",),
        )
    earliest = earliest_close(remaining, today, calendar)
    slack = calendar.count(earliest, target_close)
    blocked = max(blocked_count, sum(step.status == "blocked" for step in remaining))
    problems = []
    if overdue_count:
        problems.append(f"{_steps(overdue_count)} {'is' if overdue_count == 1 else 'are'} overdue")
    if blocked:
        problems.append(f"{_steps(blocked)} {'is' if blocked == 1 else 'are'} blocked")

    if earliest > target_close:
        if remaining:
            need = calendar.count(calendar.on_or_after(today), earliest)
            verb = "needs" if len(remaining) == 1 else "need"
            first = (
                f"{_steps(len(remaining))} left {verb} {_business_days(need)}; "
                f"the earliest close is {_day(earliest, today)}"
            )
        else:
            first = (
                f"The target close of {_day(target_close, today)} has passed; "
                f"the earliest close is {_day(earliest, today)}"
            )
        return PlanHealth(
            state="slipped",
            proposed_close=earliest,
            slack_days=slack,
            reasons=(first, *problems),
        )

    target = _day(target_close, today)
    if remaining and slack <= risk_slack_days:
        if slack == 0:
            tight = f"No slack: the steps left need every business day until {target}"
        else:
            tight = f"Only {_business_days(slack)} of slack before the target close of {target}"
        problems.insert(0, tight)
    if problems:
        return PlanHealth(
            state="at_risk", proposed_close=None, slack_days=slack, reasons=tuple(problems)
        )
    reason = (
        f"{_business_days(slack)} of slack before the target close of {target}"
        if remaining
        else "All steps are done"
    )
    return PlanHealth(state="on_track", proposed_close=None, slack_days=slack, reasons=(reason,))

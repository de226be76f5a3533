"""Close plans worked backwards from the target close date, and moved when it moves."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandem.core.logic.calendar import BusinessCalendar

SIDES = ("us", "customer")


@dataclass(frozen=True)
class StepSpec:
    """One step of a template, before it has dates.

    `duration_days` is the usual business days of work (None or 0: a milestone). `lead_days`
    is how many business days before the close the step must be done; None chains the step
    to the next one: it is due when the next step starts.
    """

    title: str
    side: str  # "us" | "customer"
    duration_days: int | None
    lead_days: int | None


@dataclass(frozen=True)
class PlannedStep:
    """One step of a plan with its dates; `lead_days` is the business days from due to close."""

    position: int  # 1 for the first step of the template
    title: str
    side: str
    start: date
    due: date
    duration_days: int
    lead_days: int


@dataclass(frozen=True)
class Schedule:
    """A template laid out before a close date, and whether it fits between today and then."""

    steps: tuple[PlannedStep, ...]
    close: date
    fits: bool  # every step starts on or after `today`
    first_start: date | None
    earliest_close: date  # the earliest close at which the template fits; `close` when it fits


def _check(spec: StepSpec) -> None:
    if spec.side not in SIDES:
        raise ValueError(f"step {spec.title!r}: side must be one of {', '.join(SIDES)}")
    if (spec.duration_days or 0) < 0:
        raise ValueError(f"step {spec.title!r}: duration_days cannot be negative")
    if (spec.lead_days or 0) < 0:
        raise ValueError(f"step {spec.title!r}: lead_days cannot be negative")


def schedule_backwards(
    specs: Sequence[StepSpec], close: date, today: date, calendar: BusinessCalendar
) -> Schedule:
    """Lay the template's steps out backwards from the close date, last step first.

    Dates are business days, counted back from `close_bd`, the close date itself or the last
    business day before it (a close on a Saturday plans for the Friday). For each step, from
    the last to the first:

    - due: with `lead_days` None, the day the following step starts (the last step: close_bd);
      with `lead_days` set, `lead_days` business days before close_bd, but never after the
      day the following step starts. Steps are worked one after another, so a lead can only
      pull a step earlier than the chain would, never push it past the next step's start.
    - start: `duration_days` business days before due (a milestone starts and ends on due).

    So every due is on or before close, every start on or before its due, and dues follow the
    template's order. `fits` is False when the first step would have to start before `today`;
    `earliest_close` is then the first business day close at which it would start on
    `today` (or the next business day), everything else keeping its business-day spacing.

    Raises ValueError when `close` is before `today` or a spec has a negative duration or
    lead or an unknown side.
    """
    if close < today:
        raise ValueError("close date is in the past")
    close_bd = calendar.on_or_before(close)
    planned: list[PlannedStep] = []
    following_start: date | None = None
    for index in range(len(specs) - 1, -1, -1):
        spec = specs[index]
        _check(spec)
        if spec.lead_days is None:
            due = close_bd if following_start is None else following_start
        else:
            due = calendar.add(close_bd, -spec.lead_days)
            if following_start is not None and following_start < due:
                due = following_start
        duration = spec.duration_days or 0
        start = calendar.add(due, -duration)
        planned.append(
            PlannedStep(
                position=index + 1,
                title=spec.title,
                side=spec.side,
                start=start,
                due=due,
                duration_days=duration,
                lead_days=calendar.count(due, close_bd),
            )
        )
        following_start = start
    planned.reverse()

    if not planned:
        return Schedule(steps=(), close=close, fits=True, first_start=None, earliest_close=close)
    first_start = planned[0].start
    fits = first_start >= today
    if fits:
        earliest = close
    else:
        # Every date is a fixed number of business days before close_bd, so moving the close
        # by k business days moves the first start by exactly k business days.
        earliest = calendar.add(close_bd, calendar.count(first_start, calendar.on_or_after(today)))
    return Schedule(
        steps=tuple(planned),
        close=close,
        fits=fits,
        first_start=first_start,
        earliest_close=earliest,
    )


def shift_steps(
    dues: Sequence[date], old_close: date, new_close: date, calendar: BusinessCalendar
) -> list[date]:
    """Move due dates by as many business days as the close date moved, in the same order.

    The close dates are measured by their business days (on or before each), so moving a close
    from Friday to the Saturday after moves nothing. A due date that would land after
    `new_close` is set to the last business day on or before `new_close`. With no move at all,
    dues are returned as they were, even ones on non-business days; otherwise a due on a
    non-business day moves as `BusinessCalendar.add` moves it. Pass only the steps still to do:
    done steps keep their dates.
    """
    moved_by = calendar.count(calendar.on_or_before(old_close), calendar.on_or_before(new_close))
    latest = calendar.on_or_before(new_close)
    shifted = []
    for due in dues:
        moved = due if moved_by == 0 else calendar.add(due, moved_by)
        shifted.append(latest if moved > new_close else moved)
    return shifted

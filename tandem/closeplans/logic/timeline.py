"""A close plan as a timeline: each step a bar ending on its due date, coloured by how it
stands, leading to the target close."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandem.closeplans.logic.slip import RemainingStep, forward_dues
from tandem.core.logic.calendar import BusinessCalendar

STATES = ("done", "overdue", "at_risk", "upcoming")
STATE_LABELS = {
    "done": "Done",
    "overdue": "Overdue",
    "at_risk": "At risk",
    "upcoming": "Upcoming",
}


@dataclass(frozen=True)
class StepFacts:
    """What the timeline needs of one plan step."""

    position: int
    title: str
    side: str  # "us" | "customer"
    status: str  # "open" | "blocked" | "done"
    due: date
    duration_days: int
    owner: str = ""


@dataclass(frozen=True)
class TimelineBar:
    """One step drawn between `start` and `end` (both days included)."""

    position: int
    title: str
    side: str
    state: str
    start: date
    end: date
    owner: str
    status: str

    def task(self) -> dict:
        """The step as a frappe-gantt task; the extra keys feed the popup and the legend."""
        return {
            "id": f"step-{self.position}",
            "name": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "progress": 100 if self.state == "done" else 0,
            "dependencies": "",
            # frappe-gantt takes one class token: state and side go in one.
            "custom_class": f"tl-{self.state.replace('_', '-')}--{self.side}",
            "state": STATE_LABELS[self.state],
            "side": "Customer" if self.side == "customer" else "Us",
            "owner": self.owner,
            "blocked": self.status == "blocked",
        }


def step_state(step: StepFacts, today: date, forward_due: date | None) -> str:
    """Say how a step stands today.

    - done: ticked off, whenever that was.
    - overdue: not done and its due date is before today.
    - at_risk: blocked, or worked from today in plan order (see `forward_dues`) it would
      finish after its due date.
    - upcoming: otherwise.
    `forward_due` is the step's finish when the steps left are worked from today (None for a
    done step).
    """
    if step.status == "done":
        return "done"
    if step.due < today:
        return "overdue"
    if step.status == "blocked" or (forward_due is not None and forward_due > step.due):
        return "at_risk"
    return "upcoming"


def plan_timeline(
    steps: Sequence[StepFacts], today: date, calendar: BusinessCalendar
) -> list[TimelineBar]:
    """Lay the plan's steps out as bars in position order.

    A step of `duration_days` business days ends on its due date and starts that many
    business days back, both included (a milestone is a one-day bar on its due date). The
    bars show the plan as it stands, not as it was first laid out; a done step keeps its
    planned dates, not the day it was ticked off.
    """
    ordered = sorted(steps, key=lambda step: step.position)
    remaining = [
        RemainingStep(step.position, step.duration_days, 0, step.status)
        for step in ordered
        if step.status != "done"
    ]
    forward = dict(forward_dues(remaining, today, calendar))
    bars = []
    for step in ordered:
        start = (
            calendar.add(step.due, -(step.duration_days - 1))
            if step.duration_days > 1
            else step.due
        )
        bars.append(
            TimelineBar(
                position=step.position,
                title=step.title,
                side=step.side,
                state=step_state(step, today, forward.get(step.position)),
                start=min(start, step.due),
                end=step.due,
                owner=step.owner,
                status=step.status,
            )
        )
    return bars

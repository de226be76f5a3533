"""Checkups: which steps to ask about before their deadline, not after it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.core.logic.calendar import BusinessCalendar

KINDS = ("overdue", "blocked", "due_soon")  # the order checkups are listed in, per owner
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class StepState:
    """What a checkup needs to know about one step of a plan."""

    step_id: int
    owner_key: str
    due: date
    status: str  # "open" | "blocked" | "done"
    last_update: date


@dataclass(frozen=True)
class Checkup:
    """A step worth asking its owner about today."""

    step_id: int
    owner_key: str
    kind: str  # "due_soon" | "overdue" | "blocked"
    due: date
    # Business days: until due (due_soon), past due (overdue), since the last update (blocked).
    days: int


def find_checkups(
    steps: Iterable[StepState],
    today: date,
    calendar: BusinessCalendar,
    *,
    due_within_days: int,
    quiet_days: int,
) -> list[Checkup]:
    """Return the checkups due today, at most one per step.

    - blocked: any blocked step, whatever its due date.
    - overdue: an open step due before today.
    - due_soon: an open step due between today and `due_within_days` business days from today
      (both included) that nobody has updated for at least `quiet_days` calendar days, so
      owners who just reported progress are not nagged.

    Done steps never get one. A step that is both blocked and overdue is reported as blocked.
    `days` counts business days; an overdue step due on a weekend day may be overdue by 0.
    Sorted by owner, then overdue, blocked, due soon, then due date and step id.

    Raises ValueError for an unknown status. Costs one pass over `steps` plus sorting what is
    found, so a million steps take about a second.
    """
    horizon = calendar.add(today, due_within_days)
    quiet_since = today - timedelta(days=quiet_days)
    count = calendar.count
    # Many steps share dates: count business days once per distinct date.
    until: dict[date, int] = {}
    since: dict[date, int] = {}
    found = []
    append = found.append
    for step in steps:
        status = step.status
        if status == "done":
            continue
        if status == "blocked":
            updated = step.last_update
            days = since.get(updated)
            if days is None:
                days = since[updated] = max(0, count(updated, today))
            append(Checkup(step.step_id, step.owner_key, "blocked", step.due, days))
        elif status == "open":
            due = step.due
            if due > horizon or (due >= today and step.last_update > quiet_since):
                continue
            days = until.get(due)
            if days is None:
                days = until[due] = count(today, due)
            if due < today:
                append(Checkup(step.step_id, step.owner_key, "overdue", due, -days))
            else:
                append(Checkup(step.step_id, step.owner_key, "due_soon", due, days))
        else:
            raise ValueError(f"step {step.step_id}: unknown status {status!r}")
    found.sort(key=lambda c: (c.owner_key, _RANK[c.kind], c.due, c.step_id))
    return found


def checkup_period(today: date) -> str:
    """Return the key of today's checkup run (the ISO date), so a second run today is skipped."""
    return today.isoformat()

"""Close plans in pure Python: business days, backwards scheduling, slip and checkups."""

from tandem.closeplans.logic.checkups import Checkup, StepState, checkup_period, find_checkups
from tandem.closeplans.logic.schedule import (
    PlannedStep,
    Schedule,
    StepSpec,
    schedule_backwards,
    shift_steps,
)
from tandem.closeplans.logic.slip import (
    PlanHealth,
    RemainingStep,
    earliest_close,
    forward_dues,
    plan_health,
)
from tandem.core.logic.calendar import BusinessCalendar

__all__ = [
    "BusinessCalendar",
    "Checkup",
    "PlanHealth",
    "PlannedStep",
    "RemainingStep",
    "Schedule",
    "StepSpec",
    "StepState",
    "checkup_period",
    "earliest_close",
    "find_checkups",
    "forward_dues",
    "plan_health",
    "schedule_backwards",
    "shift_steps",
]

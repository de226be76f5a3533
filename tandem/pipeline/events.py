"""What happens to deals, for the apps above the pipeline (see tandem.core.events)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tandem.core.events import Event


@dataclass(frozen=True)
class CloseDateChanged(Event):
    """A deal's target close date moved. `shift_plan`: what leads to the date moves along
    by as much (otherwise only what would fall after the new date is pulled in).
    `source` names the app whose own action moved the date and that has already brought
    its rows in line (say, a close plan whose realistic date was accepted)."""

    name = "pipeline.close_date_changed"
    deal_id: int
    old_date: dt.date
    new_date: dt.date
    by_id: int | None
    at: dt.datetime
    shift_plan: bool = True
    source: str = ""


@dataclass(frozen=True)
class DealStageChanged(Event):
    """A deal moved from one stage to another (won and lost included)."""

    name = "pipeline.deal_stage_changed"
    deal_id: int
    old_stage_id: int
    new_stage_id: int
    by_id: int | None
    at: dt.datetime


@dataclass(frozen=True)
class DealWon(Event):
    """A deal entered a won stage: what was sold is now to be delivered."""

    name = "pipeline.deal_won"
    deal_id: int
    account_id: int
    amount: Decimal
    currency: str
    closed_on: dt.date
    by_id: int | None
    at: dt.datetime


@dataclass(frozen=True)
class DealLost(Event):
    """A deal was closed as lost, with its reason."""

    name = "pipeline.deal_lost"
    deal_id: int
    account_id: int
    reason: str
    closed_on: dt.date
    by_id: int | None
    at: dt.datetime


@dataclass(frozen=True)
class DealReopened(Event):
    """A won or lost deal came back into an open stage."""

    name = "pipeline.deal_reopened"
    deal_id: int
    by_id: int | None
    at: dt.datetime

"""What happens to accounts and the people in them, for the apps above crm."""

import datetime as dt
from dataclasses import dataclass

from tandem.core.events import Event


@dataclass(frozen=True)
class StakeholderEnded(Event):
    """A contact's role at an account ended (they left it, or moved on): the news sales wants
    from delivery, and the start of following the person to where they went."""

    name = "crm.stakeholder_ended"
    stakeholder_id: int
    contact_id: int
    account_id: int
    end_date: dt.date
    by_id: int | None
    at: dt.datetime

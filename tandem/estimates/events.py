"""What happens to estimates, for the apps above estimating."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tandem.core.events import Event


@dataclass(frozen=True)
class EstimateAccepted(Event):
    """The customer chose a scenario: this version is what the deal sells (and what the
    handoff will freeze)."""

    name = "estimates.estimate_accepted"
    estimate_id: int
    version_id: int
    deal_id: int
    price: Decimal
    currency: str
    by_id: int | None
    at: dt.datetime

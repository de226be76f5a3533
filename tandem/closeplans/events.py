"""What close plans do when something happens to their deal."""

from tandem.closeplans.services import follow_close_date
from tandem.core.events import on
from tandem.people.models import User
from tandem.pipeline.events import CloseDateChanged
from tandem.pipeline.models import Deal

SOURCE = "closeplans"


@on(CloseDateChanged)
def plan_follows_close_date(event: CloseDateChanged) -> None:
    # The plan re-planned itself when it was the one that moved the date.
    if event.source == SOURCE:
        return
    deal = Deal.objects.select_related("stage").get(pk=event.deal_id)
    by = User.objects.filter(pk=event.by_id).first() if event.by_id else None
    follow_close_date(
        deal, event.old_date, event.new_date, by, shift_plan=event.shift_plan, now=event.at
    )

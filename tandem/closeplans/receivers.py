from django.dispatch import receiver

from tandem.closeplans.services import follow_close_date
from tandem.pipeline.signals import close_date_changed


@receiver(close_date_changed, dispatch_uid="closeplans.follow_close_date")
def plan_follows_close_date(sender, deal, old_date, new_date, by, shift_plan, now, **kwargs):
    follow_close_date(deal, old_date, new_date, by, shift_plan=shift_plan, now=now)

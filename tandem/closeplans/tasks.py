"""Background jobs of close plans, run by the task worker."""

import datetime as dt

from django_tasks import task

from tandem.closeplans.checkups import run_checkups


@task()
def send_checkups(day: str | None = None) -> dict:
    """Run the morning checkups for `day` (an ISO date; today when empty).

    The scheduler passes the day it enqueued for, so a queue that runs late still sends that
    day's checkups. Safe to run twice: the day's PeriodicRun lets one run through.
    """
    return run_checkups(dt.date.fromisoformat(day) if day else None)

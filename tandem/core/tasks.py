"""Background jobs of core, run by the task worker."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tandem.core.outbox import drain, purge
from tandem.core.scheduler import claim_run, finish_run

OUTBOX_JOB = "outbox"


@task()
def drain_outbox() -> int:
    """Hand the outbox's pending events to their later handlers; safe to run twice."""
    return drain()


@task()
def tidy_outbox(day: str | None = None) -> dict:
    """The morning pass over the outbox: drain what a lost or failed drain left pending, and
    forget handled events older than TANDEM_OUTBOX_KEEP_DAYS.

    Claims the day's run first, so a second run the same day does nothing."""
    now = timezone.now()
    period = day or timezone.localdate(now).isoformat()
    run = claim_run(OUTBOX_JOB, period, now)
    if run is None:
        return {"period": period, "skipped": True}
    keep = dt.timedelta(days=settings.TANDEM_OUTBOX_KEEP_DAYS)
    result = {"period": period, "drained": drain(), "forgotten": purge(now - keep)}
    finish_run(run, result)
    return result

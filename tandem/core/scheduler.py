"""The clock the task queue lacks: enqueue each periodic job once per period.

The jobs are whatever the apps registered (`tandem.core.registry.Job`): daily ones each day,
weekly ones once a week from their weekday on, after the morning hour. Any number of
schedulers may run (one per server, or cron calling `scheduler --once`): a PeriodicRun row
per job and period, claimed in the same transaction that enqueues the job, lets exactly one
of them enqueue it. The job claims its own run too (`claim_run`), so running it by hand in
the same period does nothing twice.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tandem.core.models import PeriodicRun
from tandem.core.registry import Job, registry

logger = logging.getLogger(__name__)

# A job that was enqueued but has not finished after this long failed or was lost: enqueue it
# again; and a run that claimed its period but has not finished after this long died: another
# run may take it over.
RETRY_AFTER = dt.timedelta(hours=1)


def period_of(job: Job, day: dt.date) -> tuple[str, dt.date] | None:
    """The period `day` falls in for `job` ("2027-04-12", or "2027-W15" for a weekly job)
    and the day the job runs for; None when a weekly job's day has not come this week."""
    if job.cadence == "daily":
        return day.isoformat(), day
    if day.weekday() < job.weekday:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", day - dt.timedelta(days=day.weekday() - job.weekday)


def claim_run(job: str, period: str, now: dt.datetime) -> PeriodicRun | None:
    """Take `job`'s run for `period`, or None when another run has it (finished, or still
    going). A claim left unfinished for RETRY_AFTER by a run that died is taken over, by
    exactly one taker: the update only matches while the row still shows the dead run's start.
    """
    try:
        with transaction.atomic():
            run, created = PeriodicRun.objects.get_or_create(
                job=job, period=period, defaults={"started_at": now}
            )
    except IntegrityError:  # a concurrent run inserted it between the read and the write
        return None
    if created:
        return run
    if run.finished_at is not None or run.started_at > now - RETRY_AFTER:
        return None
    taken = PeriodicRun.objects.filter(
        pk=run.pk, finished_at__isnull=True, started_at=run.started_at
    ).update(started_at=now)
    if not taken:
        return None
    run.started_at = now
    return run


def finish_run(run: PeriodicRun, result: dict) -> None:
    """Mark a claimed run done, keeping what it did."""
    PeriodicRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), result=result)


def enqueue_morning_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the jobs not yet enqueued in their period, once the morning hour has come.

    "Today" and the hour are the company's (TIME_ZONE). A job already run in its period (by
    hand, or by cron) is not enqueued again; one that failed, or sat in the queue, for an
    hour is enqueued once more. Returns the names of the jobs enqueued.
    """
    now = now or timezone.now()
    local = timezone.localtime(now, timezone.get_default_timezone())
    if local.hour < settings.TANDEM_MORNING_HOUR:
        return []
    enqueued = []
    for job in registry.jobs.values():
        due = period_of(job, local.date())
        if due is not None and _enqueue(job, *due, now):
            logger.info("Enqueued %s for %s", job.name, due[0])
            enqueued.append(job.name)
    return enqueued


def _enqueue(job: Job, period: str, day: dt.date, now: dt.datetime) -> bool:
    marker = f"enqueue:{job.name}"
    runs = {
        run.job: run
        for run in PeriodicRun.objects.filter(job__in=[job.name, marker], period=period)
    }
    ran, queued = runs.get(job.name), runs.get(marker)
    if ran is not None and (ran.finished_at is not None or ran.started_at > now - RETRY_AFTER):
        return False  # done this period, or running now
    if queued is not None and queued.started_at > now - RETRY_AFTER:
        return False  # enqueued within the hour: waiting for a worker
    # Not enqueued yet, or enqueued and then lost or failed: (again) once, by one scheduler.
    try:
        # The database queue writes the task in this transaction: the claim and the task
        # commit together, so a crash in between neither loses the period nor doubles it.
        with transaction.atomic():
            if queued is None:
                PeriodicRun.objects.create(
                    job=marker, period=period, started_at=now, finished_at=now
                )
            elif not PeriodicRun.objects.filter(pk=queued.pk, started_at=queued.started_at).update(
                started_at=now, finished_at=now
            ):
                return False  # another scheduler retried it a moment ago
            import_string(job.task).enqueue(day.isoformat())
    except IntegrityError:  # another scheduler enqueued it a moment ago
        return False
    return True

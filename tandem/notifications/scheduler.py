"""The clock the task queue lacks: enqueue each morning job once a day.

Any number of schedulers may run (one per server, or cron calling `scheduler --once`): a
PeriodicRun row per job and day, claimed in the same transaction that enqueues the job,
lets exactly one of them enqueue it. The job claims its own run too, so running it by hand
the same day sends nothing twice.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tandem.notifications.models import PeriodicRun

logger = logging.getLogger(__name__)

# job name (as the job claims its PeriodicRun) -> the task that runs it, given the ISO day.
MORNING_JOBS = {"checkups": "tandem.closeplans.tasks.send_checkups"}
# A job that was enqueued but has not finished after this long failed or was lost: enqueue it
# again (the job takes over a run left unfinished this long).
RETRY_AFTER = dt.timedelta(hours=1)


def enqueue_morning_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the morning jobs not yet enqueued today, once the morning hour has come.

    "Today" and the hour are the company's (TIME_ZONE). A job already run today (by hand,
    or by cron) is not enqueued again; one that failed, or sat in the queue, for an hour is
    enqueued once more. Returns the names of the jobs enqueued.
    """
    now = now or timezone.now()
    local = timezone.localtime(now, timezone.get_default_timezone())
    if local.hour < settings.TANDEM_MORNING_HOUR:
        return []
    period = local.date().isoformat()
    enqueued = []
    for job, task_path in MORNING_JOBS.items():
        marker = f"enqueue:{job}"
        runs = {
            run.job: run for run in PeriodicRun.objects.filter(job__in=[job, marker], period=period)
        }
        ran, queued = runs.get(job), runs.get(marker)
        if ran is not None and (ran.finished_at is not None or ran.started_at > now - RETRY_AFTER):
            continue  # done today, or running now
        if queued is not None and queued.started_at > now - RETRY_AFTER:
            continue  # enqueued within the hour: waiting for a worker
        # Not enqueued yet, or enqueued and then lost or failed: (again) once, by one scheduler.
        try:
            # The database queue writes the task in this transaction: the claim and the task
            # commit together, so a crash in between neither loses the day nor doubles it.
            with transaction.atomic():
                if queued is None:
                    PeriodicRun.objects.create(
                        job=marker, period=period, started_at=now, finished_at=now
                    )
                elif not PeriodicRun.objects.filter(
                    pk=queued.pk, started_at=queued.started_at
                ).update(started_at=now, finished_at=now):
                    continue  # another scheduler retried it a moment ago
                import_string(task_path).enqueue(period)
        except IntegrityError:  # another scheduler enqueued it a moment ago
            continue
        logger.info("Enqueued %s for %s", job, period)
        enqueued.append(job)
    return enqueued

"""`tandem scheduler`: the morning jobs are enqueued once a day, after the morning hour."""

import datetime as dt
import io
import os
import signal
import threading

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from tandem.core import scheduler
from tandem.core.models import PeriodicRun
from tandem.core.registry import Job, Registry, registry
from tandem.core.scheduler import enqueue_morning_jobs

MONDAY = dt.date(2027, 4, 12)


def utc(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def only_the_checkups(request, monkeypatch):
    """These tests follow one job, the checkups; the real list is checked on its own."""
    if request.node.name == "test_the_scheduler_runs_the_jobs_the_apps_registered":
        return
    jobs = Registry()
    jobs.add_job(registry.jobs["checkups"])
    monkeypatch.setattr(scheduler, "registry", jobs)


@pytest.fixture(autouse=True)
def morning(settings):
    settings.TANDEM_MORNING_HOUR = 7
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def enqueued():
    """The paths of the tasks enqueued during the test."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.module_path, list(task_result.args)))

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)


@pytest.fixture
def clock(monkeypatch):
    """Set the wall clock the command reads."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def run_once() -> str:
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    return out.getvalue()


def test_nothing_is_enqueued_before_the_morning_hour(db, clock, enqueued):
    clock(utc(6, 59))

    assert run_once() == ""
    assert enqueued == []
    assert not PeriodicRun.objects.exists()


def test_the_checkups_are_enqueued_once_from_the_morning_hour(db, clock, enqueued):
    clock(utc(7, 0))
    assert run_once() == "Enqueued checkups.\n"

    clock(utc(7, 1))
    assert run_once() == ""
    clock(utc(18, 30))
    assert run_once() == ""

    assert enqueued == [("tandem.closeplans.tasks.send_checkups", ["2027-04-12"])]
    # The test settings run tasks at once: the job claimed the day too.
    assert set(PeriodicRun.objects.values_list("job", "period")) == {
        ("enqueue:checkups", "2027-04-12"),
        ("checkups", "2027-04-12"),
    }


def test_each_day_gets_its_own_run(db, clock, enqueued):
    clock(utc(8))
    run_once()
    clock(utc(8, day=MONDAY + dt.timedelta(days=1)))
    run_once()

    assert [args for _, args in enqueued] == [["2027-04-12"], ["2027-04-13"]]


def test_the_morning_hour_is_the_companys(db, clock, enqueued, settings):
    settings.TIME_ZONE = "America/New_York"  # 7:00 in New York is 11:00 UTC in April

    clock(utc(10, 59))
    run_once()
    assert enqueued == []

    clock(utc(11, 0))
    run_once()
    assert [args for _, args in enqueued] == [["2027-04-12"]]


def test_a_day_already_run_by_hand_is_not_enqueued_again(db, clock, enqueued):
    PeriodicRun.objects.create(
        job="checkups", period="2027-04-12", started_at=utc(6), finished_at=utc(6, 2)
    )
    clock(utc(9))

    assert run_once() == ""
    assert enqueued == []


def test_a_run_still_going_is_left_alone_and_a_dead_one_is_enqueued_again_once(
    db, clock, enqueued, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    PeriodicRun.objects.create(
        job="enqueue:checkups", period="2027-04-12", started_at=utc(7), finished_at=utc(7)
    )
    PeriodicRun.objects.create(job="checkups", period="2027-04-12", started_at=utc(7, 1))
    clock(utc(7, 30))
    assert run_once() == ""  # started half an hour ago: still running

    clock(utc(8, 15))  # unfinished after more than an hour: it died (say, the mail server)
    assert run_once() == "Enqueued checkups.\n"
    clock(utc(8, 16))
    assert run_once() == ""
    assert [args for _, args in enqueued] == [["2027-04-12"]]


def test_a_task_lost_before_any_worker_ran_it_is_enqueued_again(db, clock, enqueued, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    clock(utc(7))
    assert run_once() == "Enqueued checkups.\n"
    clock(utc(7, 40))
    assert run_once() == ""  # still waiting for a worker
    clock(utc(8, 5))
    assert run_once() == "Enqueued checkups.\n"
    assert len(enqueued) == 2


def test_two_schedulers_on_the_database_queue_enqueue_one_task(db, clock, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    clock(utc(7, 0))

    enqueue_morning_jobs()
    enqueue_morning_jobs()

    task = DBTaskResult.objects.get()
    assert task.task_path == "tandem.closeplans.tasks.send_checkups"
    assert task.args_kwargs == {"args": ["2027-04-12"], "kwargs": {}}
    # Queued, not run: the worker claims the checkups' own run when it gets to it.
    assert not PeriodicRun.objects.filter(job="checkups").exists()


def test_a_scheduler_that_lost_the_race_enqueues_nothing(db, clock, enqueued, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    clock(utc(7, 0))
    # The other scheduler's claim commits between this one's check and its insert.
    original = PeriodicRun.objects.filter

    def racing_filter(*args, **kwargs):
        result = original(*args, **kwargs)
        if not PeriodicRun.objects.all().exists():
            PeriodicRun.objects.create(
                job="enqueue:checkups", period="2027-04-12", started_at=utc(7, 0)
            )
        return result.none()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PeriodicRun.objects, "filter", racing_filter)
        assert enqueue_morning_jobs() == []

    assert enqueued == []
    assert not DBTaskResult.objects.exists()


def test_an_interval_below_a_second_is_refused(db):
    with pytest.raises(CommandError, match="at least 1 second"):
        call_command("scheduler", "--interval", "0")


@pytest.mark.django_db(transaction=True)
def test_the_loop_stops_cleanly_on_sigterm(clock):
    clock(utc(6))  # before the morning: each tick checks and does nothing
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGTERM))
    out = io.StringIO()

    timer.start()
    call_command("scheduler", "--interval", "1", stdout=out)

    assert out.getvalue().splitlines() == [
        "Scheduler started: checking every 1 s.",
        "Scheduler stopped.",
    ]
    assert signal.getsignal(signal.SIGTERM) is previous


def test_a_weekly_job_runs_once_a_week_from_its_weekday(db, monkeypatch, enqueued):
    jobs = Registry()
    jobs.add_job(Job("digest", "tandem.notifications.tasks.email_notices", "weekly", weekday=2))
    monkeypatch.setattr(scheduler, "registry", jobs)
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)

    assert enqueue_morning_jobs(utc(9, day=MONDAY)) == []
    assert enqueue_morning_jobs(utc(9, day=tuesday)) == []
    assert enqueue_morning_jobs(utc(9, day=wednesday)) == ["digest"]
    # The job claims its week and finishes, as every job does.
    run = scheduler.claim_run("digest", "2027-W15", utc(9, day=wednesday))
    assert scheduler.claim_run("digest", "2027-W15", utc(9, 30, day=wednesday)) is None
    scheduler.finish_run(run, {"sent": 3})
    # Later the same week: done already.
    assert enqueue_morning_jobs(utc(9, day=wednesday + dt.timedelta(days=2))) == []
    # The next week's Wednesday: again, for that week.
    assert enqueue_morning_jobs(utc(9, day=wednesday + dt.timedelta(days=7))) == ["digest"]
    assert [args for path, args in enqueued] == [["2027-04-14"], ["2027-04-21"]]
    assert PeriodicRun.objects.get(job="digest").result == {"sent": 3}


def test_the_scheduler_runs_the_jobs_the_apps_registered():
    assert {name: job.task for name, job in registry.jobs.items()} == {
        "checkups": "tandem.closeplans.tasks.send_checkups",
        "outbox": "tandem.core.tasks.tidy_outbox",
    }

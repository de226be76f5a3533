import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from tandem.core.scheduler import enqueue_morning_jobs

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs the apps registered (daily ones each day, weekly ones each "
        "week) at or after TANDEM_MORNING_HOUR, checking every minute. Any number may run: "
        "each job is enqueued once per period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Check once and exit (for cron and tests)."
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between checks (default 60)."
        )

    def handle(self, *args, once: bool, interval: int, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if once:
            self.report(enqueue_morning_jobs())
            return
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
        self.stdout.write(f"Scheduler started: checking every {interval} s.")
        try:
            while True:
                self.tick()
                if stop.wait(interval):
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")

    def tick(self) -> None:
        try:
            self.report(enqueue_morning_jobs())
        except DatabaseError as error:
            # The database may be restarting: say so and try again at the next tick.
            self.stderr.write(f"Could not check the jobs: {error}")
        finally:
            # A process that lives for weeks must not hold on to a dropped connection.
            close_old_connections()

    def report(self, jobs: list[str]) -> None:
        for job in jobs:
            self.stdout.write(f"Enqueued {job}.")

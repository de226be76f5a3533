"""`tandem seed demo [--if-empty]` and
`tandem seed large [--force [--yes-wipe NAME]] [--scale F]`."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tandem.crm.models import Contact
from tandem.demo.company import seed_demo
from tandem.demo.large import FULL, data_exists, delete_sales_data, seed_large
from tandem.pipeline.models import Activity, CloseDateChange, Deal

# The databases bench/run.py fills with the large data set: --force wipes them without
# --yes-wipe. The SQLite file is relative to the project folder.
BENCH_SQLITE = Path("var") / "bench" / "large.sqlite3"
BENCH_POSTGRES = "tandem_bench"


def database_name(vendor: str, name: str) -> str:
    """Name the database as --yes-wipe repeats it: its NAME setting; for SQLite the file name
    (its whole path is taken too)."""
    return Path(name).name if vendor == "sqlite" else name


def is_bench_database(vendor: str, name: str) -> bool:
    if vendor == "sqlite":
        return Path(name).resolve() == (Path(settings.BASE_DIR) / BENCH_SQLITE).resolve()
    return vendor == "postgresql" and name == BENCH_POSTGRES


def check_may_wipe(*, debug: bool, vendor: str, name: str, yes_wipe: str | None) -> None:
    """Refuse --force unless DEBUG is on and the database is the bench's or --yes-wipe names
    it: the sales data of a real company must never be one flag away from deletion."""
    shown = database_name(vendor, name)
    if not debug:
        raise CommandError(
            f"--force would delete every account, contact and deal in the database {shown!r}; "
            "it runs only with DEBUG=true, on a development machine. Nothing was deleted."
        )
    if is_bench_database(vendor, name):
        return
    if yes_wipe is None:
        raise CommandError(
            f"--force would delete every account, contact and deal in the database {shown!r}. "
            f"Pass --yes-wipe {shown} to confirm. Nothing was deleted."
        )
    if yes_wipe not in (shown, name):
        raise CommandError(
            f"--yes-wipe {yes_wipe!r} does not name this database ({shown!r}). Nothing was deleted."
        )


class Command(BaseCommand):
    help = (
        "Fill the database: 'demo' builds the Northlight AV & Staging demo company through the "
        "services; 'large' bulk-inserts 50,000 accounts and 170,000 deals (about 100,000 "
        "open, each with a 10-step close plan) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=["demo", "large"])
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="demo: do nothing when any deal exists (safe to run on every start).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="large: delete every account, contact and deal first (only with DEBUG=true, "
            "on the bench's database or with --yes-wipe).",
        )
        parser.add_argument(
            "--yes-wipe",
            metavar="NAME",
            help="large: confirm --force by naming the database it empties (its NAME setting; "
            "for SQLite the file name, e.g. tandem.sqlite3).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="large: a fraction of the full size, e.g. 0.01 for 500 accounts.",
        )

    def handle(
        self,
        *args,
        dataset: str,
        if_empty: bool,
        force: bool,
        yes_wipe: str | None,
        scale: float,
        **options,
    ):
        started = time.monotonic()
        if yes_wipe is not None and not (dataset == "large" and force):
            raise CommandError("--yes-wipe confirms `seed large --force`: pass them together.")
        if dataset == "demo":
            self._demo(if_empty)
        else:
            self._large(force, yes_wipe, scale)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s."))

    def _demo(self, if_empty: bool) -> None:
        if Deal.objects.exists():
            if if_empty:
                self.stdout.write("Deals exist already: the demo company was not seeded again.")
                return
            raise CommandError(
                "Deals exist already. Seed the demo into an empty database, or pass --if-empty "
                "to skip quietly."
            )
        seed_demo(stdout=self.stdout)
        self.stdout.write(
            f"{Deal.objects.count()} deals, "
            f"{CloseDateChange.objects.count()} close-date changes, "
            f"{Activity.objects.count()} activities."
        )

    def _large(self, force: bool, yes_wipe: str | None, scale: float) -> None:
        if not 0 < scale <= 1:
            raise CommandError("--scale must be more than 0 and at most 1.")
        if force:
            check_may_wipe(
                debug=settings.DEBUG,
                vendor=connection.vendor,
                name=str(connection.settings_dict["NAME"]),
                yes_wipe=yes_wipe,
            )
        if data_exists():
            if not force:
                raise CommandError(
                    "Accounts, contacts or deals exist already. Pass --force to delete them "
                    "all first (users and stages stay)."
                )
            self.stdout.write("Deleting every account, contact and deal…")
            delete_sales_data()
        counts = seed_large(FULL.times(scale), stdout=self.stdout)
        self.stdout.write(
            f"{counts['accounts']:,} accounts, {Contact.objects.count():,} contacts, "
            f"{counts['deals']:,} deals, {counts['close_date_changes']:,} close-date changes, "
            f"{counts['plans']:,} close plans with {counts['plan_steps']:,} steps."
        )

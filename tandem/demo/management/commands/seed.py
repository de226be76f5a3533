"""`tandem seed demo [--if-empty]` and `tandem seed large [--force] [--scale F]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from tandem.crm.models import Contact
from tandem.demo.company import seed_demo
from tandem.demo.large import FULL, data_exists, delete_sales_data, seed_large
from tandem.pipeline.models import Activity, CloseDateChange, Deal


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
            help="large: delete every account, contact and deal first.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="large: a fraction of the full size, e.g. 0.01 for 500 accounts.",
        )

    def handle(self, *args, dataset: str, if_empty: bool, force: bool, scale: float, **options):
        started = time.monotonic()
        if dataset == "demo":
            self._demo(if_empty)
        else:
            self._large(force, scale)
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

    def _large(self, force: bool, scale: float) -> None:
        if not 0 < scale <= 1:
            raise CommandError("--scale must be more than 0 and at most 1.")
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

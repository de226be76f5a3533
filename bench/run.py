"""Time the busiest pages against the large data set: `make bench`.

Runs once on SQLite (var/bench/large.sqlite3) and, when TANDEM_TEST_DATABASE_URL names a
PostgreSQL server, once more on its database `tandem_bench`. Each database is migrated and
seeded with `seed large` the first time, then reused. Each database runs in its own Python
process (this script calls itself), so the settings are read fresh for each.

Prints, per database, a header line (`# sqlite`) and one line per page:
`<name> p50=<ms> p95=<ms> queries=<n>`, the time spent serving a request through Django's
test client and the number of queries of one request.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
CHILD = "TANDEM_BENCH_DATABASE"  # set in the child process: the database it measures
PG_DATABASE = "tandem_bench"
WARMUP = 3
SAMPLES = 30
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def main() -> int:
    if os.environ.get(CHILD):
        return measure()
    CACHE.mkdir(parents=True, exist_ok=True)
    targets = [("sqlite", f"sqlite:///{CACHE / 'large.sqlite3'}")]
    if pg_url := os.environ.get("TANDEM_TEST_DATABASE_URL"):
        targets.append(("postgresql", _with_database(pg_url, PG_DATABASE)))
    failed = 0
    for name, url in targets:
        env = {
            **os.environ,
            CHILD: name,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "tandem.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-secret-key-not-for-production",
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        }
        failed |= subprocess.call([sys.executable, __file__], env=env, cwd=ROOT)
    return failed


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _create_pg_database(url: str) -> None:
    """Create the bench database on the server when it is missing."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))


def _log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def prepare() -> None:
    """Migrate, and seed the large data set unless it is there already."""
    from django.core.management import call_command

    from tandem.core.seed import FULL, data_exists, delete_sales_data, seed_large
    from tandem.pipeline.models import Deal

    call_command("migrate", verbosity=0)
    if Deal.objects.count() == FULL.deals:
        return
    _log("seeding the large data set once (about a minute on SQLite)…")
    started = time.monotonic()
    if data_exists():
        delete_sales_data()
    seed_large(FULL)
    _log(f"seeded in {time.monotonic() - started:.0f}s")


def measure() -> int:
    sys.path.insert(0, str(ROOT))
    if os.environ[CHILD] == "postgresql":
        _create_pg_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from tandem.crm.models import Account
    from tandem.people.models import User

    # Plain static file URLs: the pages render the same without a collectstatic manifest.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}}
    override_settings(STORAGES=storages).enable()
    prepare()
    print(f"# {connection.vendor}", flush=True)
    seller = User.objects.get(username="seller01")
    client = Client()
    client.force_login(seller)
    # Accounts with deals and people: the first ones by id, which include the big accounts.
    accounts = list(
        Account.objects.filter(deals__isnull=False, stakeholders__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")[: WARMUP + SAMPLES]
    )
    pages = [
        ("board", ["/pipeline/"]),
        ("deal_list", ["/deals/"]),
        ("deal_list_sorted_filtered", ["/deals/?sort=-amount&close_period=this_quarter"]),
        ("account_detail", [f"/accounts/{pk}/" for pk in accounts]),
        ("api_deals", ["/api/v1/deals/"]),
    ]
    for name, urls in pages:
        timings = []
        for i in range(WARMUP + SAMPLES):
            url = urls[i % len(urls)]
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, f"{name}: GET {url} answered {response.status_code}"
            if i >= WARMUP:
                timings.append(elapsed)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls[-1])
        assert response.status_code == 200, (
            f"{name}: GET {urls[-1]} answered {response.status_code}"
        )
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
        print(f"{name} p50={p50:.1f} p95={p95:.1f} queries={len(queries)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

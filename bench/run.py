"""Time the busiest pages and the morning jobs against the large data set: `make bench`.

Runs once on SQLite (var/bench/large.sqlite3) and, when TANDEM_TEST_DATABASE_URL names a
PostgreSQL server, once more on its database `tandem_bench`. Each database is migrated and
seeded with `seed large` the first time, then reused (and seeded again when it lacks what
the bench measures, such as the close plans). Each database runs in its own Python process
(this script calls itself), so the settings are read fresh for each.

After the pages and the morning jobs, each database also times the estimate pages over a
2,000-line scenario (bench/estimate_pages.py, which adds its data to the database once).

Prints, per database, a header line (`# sqlite`) and one line per page or job:
`<name> p50=<ms> p95=<ms> queries=<n>`, the time spent serving a request through Django's
test client (or running a job once: then p50 and p95 are that run) and the number of queries
of one request or run; job lines add what the run did (`changed=`, `notified=`...).
"""

import datetime as dt
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
# `bench/run.py today` times only the Today pages (the child reads it from here).
ONLY = "TANDEM_BENCH_ONLY"
PG_DATABASE = "tandem_bench"
WARMUP = 3
SAMPLES = 30
# The limits: the morning checkups over 100,000 plans, and the board's p95.
CHECKUPS_LIMIT_MS = 30_000
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def main() -> int:
    if os.environ.get(CHILD):
        return measure()
    CACHE.mkdir(parents=True, exist_ok=True)
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    if only not in ("", "today"):
        print(
            f"Unknown part {only!r}: `bench/run.py` times everything, `bench/run.py today` "
            "only the Today pages.",
            file=sys.stderr,
        )
        return 2
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
            # The checkups job emails its notices: keep them in memory, off the bench's output.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            ONLY: only,
        }
        failed |= subprocess.call([sys.executable, __file__], env=env, cwd=ROOT)
    if only:
        return failed
    # The estimate computations are pure Python: timed once, without a database.
    print("# pure", flush=True)
    for script in ("estimate_totals.py", "estimate_history.py"):
        failed |= subprocess.call([sys.executable, str(ROOT / "bench" / script)], cwd=ROOT)
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


def _seeded() -> bool:
    """Whether the database holds the whole large data set, close plans included."""
    from tandem.closeplans.models import ClosePlan, PlanStep
    from tandem.demo.large import FULL, PLAN_STEPS
    from tandem.pipeline.models import Deal

    if Deal.objects.count() != FULL.deals:
        return False
    plans = ClosePlan.objects.count()
    # A data set from before close plans, or one whose seeding stopped half-way.
    return plans > 0 and PlanStep.objects.count() == PLAN_STEPS * plans


def prepare() -> None:
    """Migrate, and seed the large data set unless it is there already."""
    from django.core.management import call_command

    from tandem.closeplans.models import ClosePlan
    from tandem.closeplans.services import refresh_all_health
    from tandem.demo.large import FULL, data_exists, delete_sales_data, seed_large

    call_command("migrate", verbosity=0)
    if _seeded():
        if ClosePlan.objects.filter(health_checked_on__isnull=True).exists():
            _log("judging the health of plans never judged…")
            refresh_all_health()
    else:
        _log("seeding the large data set once (a few minutes on SQLite)…")
        started = time.monotonic()
        if data_exists():
            delete_sales_data()
        seed_large(FULL, stdout=_LogStream())
        _log(f"seeded in {time.monotonic() - started:.0f}s")
    _vacuum()


def _vacuum() -> None:
    """Clean up after the seed and earlier benches' morning jobs, as autovacuum would on a
    server (some test machines run PostgreSQL without it): millions of dead plan rows would
    otherwise be measured instead of the pages."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("pipeline_deal", "closeplans_closeplan", "closeplans_planstep"):
            cursor.execute(f"VACUUM ANALYZE {table}")


class _LogStream:
    """What seed_large writes its progress to: the bench's log on stderr."""

    def write(self, text: str) -> None:
        for line in text.splitlines():
            _log(line.strip())


def _report(name: str, timings: list[float], queries: int, **extra) -> None:
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else p50
    tail = "".join(f" {key}={value}" for key, value in extra.items())
    print(f"{name} p50={p50:.1f} p95={p95:.1f} queries={queries}{tail}", flush=True)


def _timed(job, *args, **kwargs):
    """Run `job` once; return its result, milliseconds and number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = job(*args, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
    return result, elapsed, len(queries)


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
    from estimate_pages import measure_estimates  # bench/, beside this script
    from today_pages import measure_today

    from tandem.crm.models import Account
    from tandem.people.models import User
    from tandem.pipeline.models import Deal

    # Plain static file URLs: the pages render the same without a collectstatic manifest.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}}
    override_settings(STORAGES=storages).enable()
    prepare()
    print(f"# {connection.vendor}", flush=True)
    if os.environ.get(ONLY) == "today":
        return 0 if measure_today(_report, _log, warmup=WARMUP, samples=SAMPLES) else 1
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
    # Deals of seller01's with a close plan, the deal page's heaviest case.
    planned = list(
        Deal.objects.filter(owner=seller, close_plan__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: WARMUP + SAMPLES]
    )
    pages = [
        ("board", ["/pipeline/"]),
        ("deal_list", ["/deals/"]),
        ("deal_list_sorted_filtered", ["/deals/?sort=-amount&close_period=this_quarter"]),
        ("account_detail", [f"/accounts/{pk}/" for pk in accounts]),
        ("deal_with_plan", [f"/deals/{pk}/" for pk in planned]),
        ("checkups_page", ["/checkups/"]),
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
        _report(name, timings, len(queries))
    measure_jobs()
    # After the jobs, so the lines above keep the conditions of earlier benches (no estimate
    # setup written between the pages and the jobs), and a failing estimate page cannot cost
    # the job figures. The estimate pages read no plan tables, so the jobs do not skew them.
    estimates_ok = measure_estimates(_report, _log, warmup=WARMUP, samples=SAMPLES)
    # Last: its setup (users, the estimate bench's requests) changes nothing measured above.
    today_ok = measure_today(_report, _log, warmup=WARMUP, samples=SAMPLES)
    return 0 if estimates_ok and today_ok else 1


def measure_jobs() -> None:
    """Time the morning's work over every plan: judging health, then the checkups, twice.

    Health is first judged as of yesterday, so the runs meet what a real morning meets: most
    plans' slack has shrunk by a day since. The checkups' own rows from earlier benches go
    first, or their run would find the day done and measure nothing.
    """
    from django.utils import timezone

    from tandem.closeplans.models import PlanStep
    from tandem.closeplans.services import refresh_all_health
    from tandem.core.models import PeriodicRun
    from tandem.notifications.models import Notification

    checkups = _checkups_module()
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    steps = PlanStep.objects.count()

    refresh_all_health(yesterday)
    changed, elapsed, queries = _timed(refresh_all_health, today)
    _report("health_refresh_morning", [elapsed], queries, changed=changed)
    changed, elapsed, queries = _timed(refresh_all_health, today)
    _report("health_refresh_again", [elapsed], queries, changed=changed)
    if checkups is None:
        _log("tandem.closeplans.checkups.run_checkups is missing: checkups not measured")
        return

    PeriodicRun.objects.filter(job=checkups.JOB).delete()
    Notification.objects.filter(kind=checkups.NOTIFICATION_KIND).delete()
    refresh_all_health(yesterday)
    first, elapsed, queries = _timed(checkups.run_checkups, today)
    _report(
        "checkups_run",
        [elapsed],
        queries,
        steps=steps,
        checkups=first.get("checkups"),
        notified=first.get("notified"),
        emailed=first.get("emailed"),
        plans_refreshed=first.get("plans_refreshed"),
    )
    if elapsed > CHECKUPS_LIMIT_MS:
        _log(f"checkups took {elapsed / 1000:.1f}s: over the {CHECKUPS_LIMIT_MS // 1000}s limit")
    notices = Notification.objects.filter(kind=checkups.NOTIFICATION_KIND).count()
    second, elapsed, queries = _timed(checkups.run_checkups, today)
    again = Notification.objects.filter(kind=checkups.NOTIFICATION_KIND).count()
    _report("checkups_run_again", [elapsed], queries, skipped=second.get("skipped"))
    assert second.get("skipped"), "the second checkups run did the work again"
    assert again == notices, "the second checkups run sent notices"


def _checkups_module():
    try:
        from tandem.closeplans import checkups
    except ImportError:
        return None
    return checkups if hasattr(checkups, "run_checkups") else None


if __name__ == "__main__":
    sys.exit(main())

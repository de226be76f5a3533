"""Time each role's Today page at scale, for bench/run.py's child process (Django set up).

The large data set gives `seller01` thousands of open deals with close plans, close-date
changes and won deals; `prepare_today` adds what the other roles' cards read: the project
manager `pm01` with the estimate bench's 50 requests (20 overdue, see estimate_pages.py),
and the users `finance01` and `exec01`. `measure_today` requests `/` as each of them and
fails when one request reads more queries than another of the same page: the cards' queries
must not depend on the data.
"""

import sys
import time
from collections.abc import Callable

from estimate_pages import _project_manager, _requests  # bench/, beside this script

# The target for every Today page.
P95_LIMIT_MS = 100
USERS = {
    "today_seller": ("seller01", "seller"),
    "today_project_manager": ("pm01", "project_manager"),
    "today_finance": ("finance01", "finance"),
    "today_executive": ("exec01", "executive"),
}


def _log_default(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def _user(username: str, role: str):
    from tandem.people.models import User
    from tandem.people.services import do_create_user

    return User.objects.filter(username=username).first() or do_create_user(
        username, role=role, display_name=username.title(), email=f"{username}@northlight.example"
    )


def prepare_today(log: Callable[[str], None] = _log_default) -> dict:
    pm = _project_manager()
    _requests(pm, log)
    return {name: _user(username, role) for name, (username, role) in USERS.items()}


def measure_today(report, log=_log_default, *, warmup: int = 3, samples: int = 30) -> bool:
    """Time `/` for each role; True when every page kept one query count and its p95 the
    target (a slower page is logged, not failed: the machine's load varies)."""
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = prepare_today(log)
    ok = True
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        timings, counts = [], set()
        for i in range(warmup + samples):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/")
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, f"{name}: GET / answered {response.status_code}"
            counts.add(len(queries))
            if i >= warmup:
                timings.append(elapsed)
        report(name, timings, max(counts))
        if len(counts) > 1:
            log(f"{name}: the query count varied between requests: {sorted(counts)}")
            ok = False
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
        if p95 > P95_LIMIT_MS:
            log(f"{name}: p95 {p95:.0f} ms is over the {P95_LIMIT_MS} ms target")
    return ok

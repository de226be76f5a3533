"""Serve the demo: the web server, one task worker and the scheduler together; Ctrl-C stops
all three. Once the web server answers, the demo's sign-ins and the customer link are printed
last, so they are what is on the screen; the worker's and scheduler's routine lines (a task
started, a task done, a job enqueued) are left out, while their warnings and errors show."""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent

# What the worker (django-tasks) and the scheduler say about every task and job when all goes
# well. A failed task logs its state and traceback, which are not matched and so still show.
ROUTINE = re.compile(
    r"^(Task id=\S+ path=\S+ (state=(READY|RUNNING|SUCCESSFUL)|enqueued backend=\S+)"
    r"|Starting worker worker_id=.*"
    r"|Scheduler (started|stopped).*"
    r"|Enqueued .+)\s*$"
)


def is_routine(line: str) -> bool:
    """Whether a helper's output line is one the demo leaves out."""
    return bool(ROUTINE.match(line))


def forward(lines: Iterable[str], out: TextIO, keep: Callable[[str], bool]) -> None:
    """Copy the lines `keep` accepts to `out` as they come."""
    for line in lines:
        if keep(line):
            out.write(line)
            out.flush()


def wait_until_up(url: str, timeout: float = 60.0, pause: float = 0.25, opener=None) -> bool:
    """Poll `url` until it answers (any HTTP status) or `timeout` seconds have passed."""
    opener = opener or urllib.request.urlopen
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            opener(url, timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True  # the server answered, if not with 200
        except (urllib.error.URLError, OSError):
            time.sleep(pause)
    return False


def _quiet_helper(command: list[str]) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    threading.Thread(
        target=forward,
        args=(process.stdout, sys.stdout, lambda line: not is_routine(line)),
        daemon=True,
    ).start()
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument(
        "--no-logins",
        dest="logins",
        action="store_false",
        help="Do not print the demo's sign-ins once the server is up.",
    )
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = [_quiet_helper([*manage, "db_worker", "--no-reload"])]
    try:
        processes.append(_quiet_helper([*manage, "scheduler"]))
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{args.port}", "--noreload"], cwd=ROOT
        )
        processes.append(server)
        if args.logins and wait_until_up(f"http://127.0.0.1:{args.port}/healthz"):
            subprocess.call([*manage, "demo_logins", "--port", str(args.port)], cwd=ROOT)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in reversed(processes):
            _stop(process)


if __name__ == "__main__":
    sys.exit(main())

"""Serve the demo: the web server, one task worker and the scheduler together; Ctrl-C stops
all three."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    helpers = [subprocess.Popen([*manage, "db_worker", "--no-reload"], cwd=ROOT)]
    try:
        helpers.append(subprocess.Popen([*manage, "scheduler"], cwd=ROOT))
        return subprocess.call(
            [*manage, "runserver", f"127.0.0.1:{args.port}", "--noreload"], cwd=ROOT
        )
    except KeyboardInterrupt:
        return 0
    finally:
        for process in reversed(helpers):
            _stop(process)


if __name__ == "__main__":
    sys.exit(main())

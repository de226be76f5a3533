"""scripts/serve.py: the demo's helpers keep quiet about routine work, and the sign-ins wait
for the web server so they are printed last."""

import importlib.util
import io
import urllib.error
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "serve", Path(__file__).resolve().parent.parent / "scripts" / "serve.py"
)
serve = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(serve)


@pytest.mark.parametrize(
    "line",
    [
        "Task id=0c5e-11 path=tandem.closeplans.tasks.refresh_plan_health state=RUNNING\n",
        "Task id=0c5e-11 path=tandem.closeplans.tasks.refresh_plan_health state=SUCCESSFUL\n",
        "Task id=9 path=tandem.notifications.tasks.send enqueued backend=default\n",
        "Starting worker worker_id=AbC queues=default\n",
        "Scheduler started: checking every 60 s.\n",
        "Enqueued closeplans.morning_health.\n",
        "Enqueued outbox for 2026-12-04\n",
    ],
)
def test_routine_worker_and_scheduler_lines_are_left_out(line):
    assert serve.is_routine(line)


@pytest.mark.parametrize(
    "line",
    [
        "Task id=0c5e-11 path=tandem.closeplans.tasks.refresh_plan_health state=FAILED\n",
        "Traceback (most recent call last):\n",
        "Could not check the jobs: database is locked\n",
        "Task id=1 path=x state=SUCCESSFUL and then something odd\n",
        "\n",
    ],
)
def test_failures_and_anything_else_still_show(line):
    assert not serve.is_routine(line)


def test_forward_copies_only_the_lines_kept():
    out = io.StringIO()
    lines = [
        "Task id=1 path=a.b state=RUNNING\n",
        "Task id=1 path=a.b state=FAILED\n",
        "Traceback (most recent call last):\n",
        "Task id=2 path=a.c state=SUCCESSFUL\n",
    ]
    serve.forward(lines, out, lambda line: not serve.is_routine(line))
    assert out.getvalue() == "Task id=1 path=a.b state=FAILED\nTraceback (most recent call last):\n"


class _Answer:
    def close(self):
        pass


def test_the_sign_ins_wait_until_the_server_answers():
    calls = []

    def opener(url, timeout):
        calls.append(url)
        if len(calls) < 3:
            raise urllib.error.URLError("connection refused")
        return _Answer()

    assert serve.wait_until_up("http://127.0.0.1:1/healthz", pause=0, opener=opener)
    assert calls == ["http://127.0.0.1:1/healthz"] * 3


def test_an_error_status_still_means_the_server_is_up():
    def opener(url, timeout):
        raise urllib.error.HTTPError(url, 503, "starting", {}, None)

    assert serve.wait_until_up("http://x/healthz", pause=0, opener=opener)


def test_a_server_that_never_answers_is_given_up_on():
    def opener(url, timeout):
        raise ConnectionRefusedError

    assert not serve.wait_until_up("http://x/healthz", timeout=0.05, pause=0.01, opener=opener)


def test_the_demo_target_prints_the_sign_ins_through_serve_not_before_it():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "demo_logins" not in demo
    assert "scripts/serve.py" in demo


def test_the_sign_ins_come_after_every_process_started_and_the_server_answered(monkeypatch):
    events = []

    class FakeProcess:
        def __init__(self, command, **kwargs):
            self.command = command
            self.stdout = iter(())
            events.append(("start", command[2]))

        def wait(self, timeout=None):
            events.append(("wait", self.command[2]))
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(
        serve.subprocess, "call", lambda command, **kwargs: events.append(("call", command[2]))
    )
    monkeypatch.setattr(
        serve, "wait_until_up", lambda url, **kwargs: events.append(("up?", url)) or True
    )
    monkeypatch.setattr(serve.sys, "argv", ["serve.py", "--port", "8123"])

    assert serve.main() == 0
    assert events == [
        ("start", "db_worker"),
        ("start", "scheduler"),
        ("start", "runserver"),
        ("up?", "http://127.0.0.1:8123/healthz"),
        ("call", "demo_logins"),
        ("wait", "runserver"),
    ]

"""The apps' layers hold (pyproject.toml's import-linter contract, DESIGN.md's order)."""

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[3]


def test_every_app_imports_only_the_apps_below_it(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    # Reads pyproject.toml from the project folder; the cache would land in it too.
    exit_code = lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report

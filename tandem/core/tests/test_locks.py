"""Row locks take the rows of the table queried only: on PostgreSQL a plain FOR UPDATE of a
query that joins (select_related) would lock the joined rows too, e.g. a deal's stage, and
every move in that stage would wait on it."""

import re
from pathlib import Path

import tandem

PACKAGE = Path(tandem.__file__).resolve().parent
# Other arguments (skip_locked, nowait) may follow.
OWN_ROWS_ONLY = 'select_for_update(of=("self",)'


def test_every_select_for_update_locks_its_own_rows_only():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for call in re.finditer(r"select_for_update\(", line)
        if not line.startswith(OWN_ROWS_ONLY, call.start())
    ]

    assert offenders == []

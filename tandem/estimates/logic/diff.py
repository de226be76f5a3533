"""What changed between two versions of an estimate: lines added, removed and changed.

Lines are plain mappings of field name to value. A line is matched with the line of the
other version that has the same key (kind and name, case-insensitive, plus the role or
catalog item when there is one); when several lines share a key they pair up in order, so a
second "Stagehands" line is compared with the other version's second one. Fields are compared
by value, so Decimal("2.50") equals Decimal("2.5").
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Line = Mapping[str, object]
KEY_FIELDS = ("kind", "name", "role", "catalog_item")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class LineChange:
    """One line's fate: `change` is "added", "removed" or "changed" (with its fields)."""

    change: str
    kind: str
    name: str
    old: Line | None
    new: Line | None
    fields: tuple[FieldChange, ...] = ()


def _key(line: Line) -> tuple:
    return (
        line.get("kind"),
        str(line.get("name", "")).strip().casefold(),
        line.get("role"),
        line.get("catalog_item"),
    )


def diff_lines(old: Sequence[Line], new: Sequence[Line], fields: Iterable[str]) -> list[LineChange]:
    """Compare two versions' lines on `fields`; return the changes in the new version's order.

    Unchanged lines are left out. Removed lines come last, in the old version's order.
    """
    fields = tuple(fields)
    waiting: dict[tuple, list[Line]] = defaultdict(list)
    for line in old:
        waiting[_key(line)].append(line)
    changes = []
    for line in new:
        matches = waiting.get(_key(line))
        if not matches:
            changes.append(_whole("added", None, line))
            continue
        before = matches.pop(0)
        differing = tuple(
            FieldChange(field, before.get(field), line.get(field))
            for field in fields
            if before.get(field) != line.get(field)
        )
        if differing:
            changes.append(
                LineChange("changed", str(line["kind"]), str(line["name"]), before, line, differing)
            )
    for line in old:
        matches = waiting.get(_key(line))
        if matches and matches[0] is line:
            matches.pop(0)
            changes.append(_whole("removed", line, None))
    return changes


def _whole(change: str, old: Line | None, new: Line | None) -> LineChange:
    line = new if new is not None else old
    return LineChange(change, str(line["kind"]), str(line["name"]), old, new)


def diff_figures(old: Mapping[str, object], new: Mapping[str, object]) -> list[FieldChange]:
    """Compare two versions' headline figures (price, cost, ...), keeping the given order."""
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in new
        if old.get(name) != new.get(name)
    ]

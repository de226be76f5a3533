"""Print which of Tandem's apps each app imports (tests and migrations aside), lowest layer
first, and the largest source files: `python scripts/app_graph.py`.

Reads the same import graph as `lint-imports` (grimp), so what it prints is what the layers
contract in pyproject.toml checks.
"""

import sys
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LARGEST = 12


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 3 or "tests" in parts or "migrations" in parts:
        return None
    return parts[1]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("tandem", cache_dir=None)
    edges: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        app = app_of(module)
        if app is None:
            continue
        edges.setdefault(app, set())
        for imported in graph.find_modules_directly_imported_by(module):
            other = app_of(imported) if imported.startswith("tandem.") else None
            if other and other != app:
                edges[app].add(other)
    # Lowest first: an app comes after everything it imports.
    order, placed = [], set()
    while len(order) < len(edges):
        ready = sorted(a for a in edges if a not in placed and edges[a] <= placed)
        if not ready:
            print("cycle among:", ", ".join(sorted(set(edges) - placed)))
            return 1
        order += ready
        placed |= set(ready)
    print("App imports (lowest layer first):")
    for app in order:
        print(f"  {app:<14} -> {', '.join(sorted(edges[app])) or '(nothing)'}")
    files = [
        (len(path.read_text().splitlines()), path.relative_to(ROOT))
        for path in (ROOT / "tandem").rglob("*.py")
        if "migrations" not in path.parts
    ]
    print("\nLargest files (lines), tests included:")
    for lines, path in sorted(files, reverse=True)[:LARGEST]:
        print(f"  {lines:>5}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

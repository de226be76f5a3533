"""Print which of Tandem's apps each app imports (tests and migrations aside), lowest layer
first, and the largest source files: `python scripts/app_graph.py`.

Reads the same import graph as `lint-imports` (grimp), so what it prints is what the layers
contract in pyproject.toml checks.
"""

import sys
import tomllib
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


def _layer_ranks() -> dict[str, int]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    ranks = {}
    for rank, layer in enumerate(reversed(layers)):
        for name in layer.replace(":", "|").split("|"):
            ranks[name.strip(" ()")] = rank
    return ranks


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
    rank = _layer_ranks()
    order = sorted(edges, key=lambda app: (rank.get(app, len(rank)), app))
    print("App imports, lowest layer first (the layers of pyproject.toml's contract):")
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

"""Read past projects from CSV or ARFF files as they come from the field.

Real files are untidy: attribute names quoted with stray spaces, nominal columns declared as
`{a,b,c}`, `?` for a missing value, `%` and `#` comments, blank lines, a header line repeated
inside the data, and whole data sections repeated (the COCOMO81 file lists its 63 projects twice,
once with numeric multipliers and once with ordinal ones). The reader keeps the first data
section, skips rows that echo the header, and skips rows whose target is missing or not
positive, counting each so the caller can say what was left out.
"""

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

Value = float | str | None

NUMERIC_TYPES = {"numeric", "real", "integer", "int"}
_ATTRIBUTE = re.compile(r"@attribute\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    """Rows as dicts (numbers as float, categories as str, missing as None)."""

    columns: tuple[str, ...]
    nominal: frozenset[str]
    target: str
    rows: list[dict[str, Value]]
    skipped: int = 0  # target missing or not positive
    incomplete: int = 0  # a feature missing while complete rows were asked for
    header_rows: int = 0  # rows repeating the column names
    ignored_sections: int = 0  # further @data sections after the first
    dropped: tuple[str, ...] = field(default=())

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c != self.target and c not in self.dropped)

    def targets(self) -> list[float]:
        return [float(row[self.target]) for row in self.rows]  # type: ignore[arg-type]


def read_dataset(
    path: str | Path,
    target: str,
    *,
    drop: tuple[str, ...] | list[str] = (),
    missing: tuple[str, ...] | list[str] = (),
    complete: bool = False,
) -> Dataset:
    """Read FILE (ARFF when it says so, CSV otherwise); `missing` adds tokens meaning
    "not known" (besides `?` and empty cells), `complete` skips rows missing any feature."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_text(
        text,
        target,
        arff=_looks_like_arff(path, text),
        drop=drop,
        missing=missing,
        complete=complete,
    )


def parse_text(
    text: str,
    target: str,
    *,
    arff: bool,
    drop: tuple[str, ...] | list[str] = (),
    missing: tuple[str, ...] | list[str] = (),
    complete: bool = False,
) -> Dataset:
    if arff:
        columns, declared_nominal, raw_rows, ignored = _parse_arff(text)
    else:
        columns, raw_rows = _parse_csv(text)
        declared_nominal, ignored = None, 0
    if not columns:
        raise ValueError("the file has no columns: is it empty?")
    lookup = {c.casefold(): c for c in columns}
    target_name = lookup.get(target.strip().casefold())
    if target_name is None:
        raise ValueError(f"unknown target column {target!r}; columns are: {', '.join(columns)}")
    dropped = []
    for name in drop:
        found = lookup.get(name.strip().casefold())
        if found is None:
            raise ValueError(f"unknown column to drop {name!r}; columns are: {', '.join(columns)}")
        if found == target_name:
            raise ValueError(f"cannot drop the target column {target_name!r}")
        dropped.append(found)

    missing_tokens, missing_numbers = _missing_tokens(missing)
    header_rows = 0
    cells: list[list[str | None]] = []
    for line_no, values in raw_rows:
        if len(values) != len(columns):
            raise ValueError(f"line {line_no}: expected {len(columns)} values, found {len(values)}")
        if _echoes_header(values, columns):
            header_rows += 1
            continue
        cells.append([_clean(v, missing_tokens, missing_numbers) for v in values])

    if declared_nominal is None:
        # CSV says nothing about types: a column is numeric when every known value is a number.
        nominal = frozenset(
            c
            for i, c in enumerate(columns)
            if any(row[i] is not None and _number(row[i]) is None for row in cells)
        )
    else:
        nominal = frozenset(declared_nominal)
    if target_name in nominal:
        raise ValueError(f"target column {target_name!r} is not numeric")

    features = [c for c in columns if c != target_name and c not in dropped]
    rows: list[dict[str, Value]] = []
    skipped = incomplete = 0
    for row_cells in cells:
        row: dict[str, Value] = {}
        for name, cell in zip(columns, row_cells, strict=True):
            if cell is None:
                row[name] = None
            elif name in nominal:
                row[name] = cell
            else:
                row[name] = _number(cell)  # a word in a numeric column counts as missing
        value = row[target_name]
        if value is None or not value > 0:  # type: ignore[operator]
            skipped += 1
            continue
        if complete and any(row[f] is None for f in features):
            incomplete += 1
            continue
        rows.append(row)
    return Dataset(
        columns=tuple(columns),
        nominal=nominal,
        target=target_name,
        rows=rows,
        skipped=skipped,
        incomplete=incomplete,
        header_rows=header_rows,
        ignored_sections=ignored,
        dropped=tuple(dropped),
    )


def _looks_like_arff(path: Path, text: str) -> bool:
    if path.suffix.lower() == ".arff":
        return True
    head = text.lstrip()[:4096].lower()
    return "@relation" in head or "@attribute" in head


def _parse_arff(text: str) -> tuple[list[str], set[str], list[tuple[int, list[str]]], int]:
    columns: list[str] = []
    nominal: set[str] = set()
    rows: list[tuple[int, list[str]]] = []
    sections = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        lowered = stripped.lower()
        if lowered.startswith("@relation"):
            continue
        if lowered.startswith("@attribute"):
            if sections:
                raise ValueError(f"line {line_no}: @attribute after @data")
            name, kind = _attribute(stripped, line_no)
            if name in columns:
                raise ValueError(f"line {line_no}: attribute {name!r} declared twice")
            columns.append(name)
            if kind.lower() not in NUMERIC_TYPES:
                nominal.add(name)
            continue
        if lowered.startswith("@data"):
            sections += 1
            continue
        if stripped.startswith("@"):
            raise ValueError(f"line {line_no}: unknown declaration {stripped.split()[0]!r}")
        if not sections:
            continue  # stray header text someone forgot to comment out
        if sections > 1:
            continue  # a repeated section lists the same projects again
        if stripped.startswith("{"):
            raise ValueError(f"line {line_no}: sparse ARFF rows are not supported")
        rows.append((line_no, _split(_strip_comment(stripped), quotechar="'")))
    if columns and not sections:
        raise ValueError("the ARFF file has no @data section")
    return columns, nominal, rows, max(sections - 1, 0)


def _attribute(line: str, line_no: int) -> tuple[str, str]:
    rest = _ATTRIBUTE.sub("", line, count=1).strip()
    if not rest:
        raise ValueError(f"line {line_no}: @attribute without a name")
    if rest[0] in "'\"":
        end = rest.find(rest[0], 1)
        if end < 0:
            raise ValueError(f"line {line_no}: unclosed quote in attribute name")
        name, kind = rest[1:end], rest[end + 1 :]
    else:
        name, _, kind = rest.partition(" ")
        if "\t" in name:
            name, _, more = name.partition("\t")
            kind = more + " " + kind
    name = " ".join(name.split())
    kind = _strip_comment(kind).strip()
    if not name or not kind:
        raise ValueError(f"line {line_no}: @attribute needs a name and a type")
    if kind.startswith("{"):
        return name, "nominal"
    return name, kind.split()[0]


def _strip_comment(text: str) -> str:
    # A `%` outside quotes starts a comment (values here are numbers and short words).
    quote = None
    for i, char in enumerate(text):
        if char in "'\"":
            quote = None if quote == char else (quote or char)
        elif char == "%" and quote is None:
            return text[:i].rstrip()
    return text


def _parse_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    lines = [
        (no, line)
        for no, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith(("#", "%"))
    ]
    if not lines:
        return [], []
    sample = lines[0][1]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    header = [" ".join(c.split()) for c in _split(sample, delimiter=delimiter)]
    if any(not c for c in header):
        raise ValueError(f"line {lines[0][0]}: a column has no name")
    if len(set(header)) != len(header):
        raise ValueError(f"line {lines[0][0]}: a column name appears twice")
    return header, [(no, _split(line, delimiter=delimiter)) for no, line in lines[1:]]


def _split(line: str, *, delimiter: str = ",", quotechar: str = '"') -> list[str]:
    reader = csv.reader(
        io.StringIO(line), delimiter=delimiter, quotechar=quotechar, skipinitialspace=True
    )
    values = next(reader, [])
    return [v.strip().strip("'\"").strip() for v in values]


def _missing_tokens(extra: tuple[str, ...] | list[str]) -> tuple[set[str], set[float]]:
    tokens = {"?", ""} | {t.strip() for t in extra}
    numbers = {n for t in tokens if (n := _number(t)) is not None}
    return tokens, numbers


def _clean(value: str, tokens: set[str], numbers: set[float]) -> str | None:
    if value in tokens:
        return None
    if numbers and (n := _number(value)) is not None and n in numbers:
        return None
    return value


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _echoes_header(values: list[str], columns: list[str]) -> bool:
    names = [c.casefold() for c in columns]
    same = sum(v.casefold() == n for v, n in zip(values, names, strict=False))
    return same * 2 >= len(columns)

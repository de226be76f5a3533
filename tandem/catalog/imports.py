"""CSV import of catalog items: a dry run that reports every row, then the write.

The file is read as a stream (one row at a time) and checked against the database with two
queries whatever its length: every supplier, and every existing item keyed by SKU. Nothing is
written while the file has errors, unless the caller asks for the valid rows only.

The reading (`read_rows`), the report (`ImportReport`, `RowResult`), the file checks and the
number cells (`parse_decimal`) serve the other imports too (past projects, in estimating).
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tandem.catalog.models import CatalogItem, Category, Supplier, Unit
from tandem.people.models import User

MAX_BYTES = 20 * 1024 * 1024
REQUIRED_COLUMNS = ("sku", "name", "category", "unit", "unit_cost", "list_price", "supplier")
OPTIONAL_COLUMNS = ("lead_time_days", "active")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# What the import compares to decide between "updated" and "unchanged".
COMPARED = (
    "name",
    "category",
    "unit",
    "unit_cost",
    "list_price",
    "supplier_id",
    "lead_time_days",
    "active",
)
MAX_MONEY = Decimal("9999999999.99")
BATCH = 500
ITEM_COLUMNS = {"sku", "name", "category", "unit", "unit_cost", "list_price", "supplier"} | {
    "lead_time_days",
    "active",
}

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"

_UNIT_ALIASES = {"m": "metre", "meter": "metre", "ea": "each", "pc": "each", "pcs": "each"}
_TRUE = {"yes", "y", "true", "1", "active"}
_FALSE = {"no", "n", "false", "0", "inactive"}


def _lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices:
        table[value.lower()] = value
        table[str(label).lower()] = value
    return table


_CATEGORIES = _lookup(Category.choices)
_UNITS = _lookup(Unit.choices) | _UNIT_ALIASES


@dataclass
class RowResult:
    line: int
    key: str  # what names the row: an item's SKU, a past project's reference
    status: str
    errors: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict, repr=False)
    existing_id: int | None = None

    @property
    def sku(self) -> str:
        return self.key


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    written: bool = False

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.status == ERROR for row in self.rows)

    @property
    def valid_rows(self) -> int:
        return sum(1 for row in self.rows if row.status != ERROR)

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == ERROR]


def file_size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def check_file(fileobj, noun: str = "item") -> str | None:
    """Why the file cannot be imported at all (too big, empty, binary), or None."""
    size = file_size(fileobj)
    if size > MAX_BYTES:
        return (
            f"The file is {size / 1024 / 1024:.1f} MB; files up to "
            f"{MAX_BYTES // 1024 // 1024} MB can be imported. Split it and import the parts."
        )
    if size == 0:
        return f"The file is empty: it needs a header line and at least one {noun}."
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    if b"\x00" in head:
        return "This is not a CSV text file (it contains binary data). Export the sheet as CSV."
    return None


def parse_decimal(
    text: str, label: str, errors: list[str], *, maximum: Decimal = MAX_MONEY
) -> Decimal | None:
    """A cell as a number that is not negative, to the cent; a problem goes to `errors`."""
    if text == "":
        errors.append(f"{label} is missing.")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(f"{label} is not a number: “{text}”.")
        return None
    if not value.is_finite():
        errors.append(f"{label} is not a number: “{text}”.")
    elif value < 0:
        errors.append(f"{label} cannot be negative ({text}).")
    elif value.as_tuple().exponent < -2:
        errors.append(f"{label} has more than 2 decimal places ({text}).")
    elif value > maximum:
        errors.append(f"{label} is too large ({text}).")
    else:
        return value.quantize(Decimal("0.01"))
    return None


def _parse_row(raw: dict, suppliers: dict[str, Supplier]) -> tuple[dict, list[str]]:
    errors: list[str] = []
    values: dict = {}
    sku = raw["sku"]
    if not sku:
        errors.append("SKU is missing.")
    elif len(sku) > 64:
        errors.append("SKU is longer than 64 characters.")
    values["sku"] = sku
    name = raw["name"]
    if not name:
        errors.append("Name is missing.")
    elif len(name) > 200:
        errors.append("Name is longer than 200 characters.")
    values["name"] = name
    for column, table, label, choices in (
        ("category", _CATEGORIES, "Category", Category),
        ("unit", _UNITS, "Unit", Unit),
    ):
        text = raw[column]
        if not text:
            errors.append(f"{label} is missing.")
        elif text.lower() not in table:
            known = ", ".join(str(c.label) for c in choices)
            errors.append(f"Unknown {label.lower()} “{text}” (use one of: {known}).")
        else:
            values[column] = table[text.lower()]
    values["unit_cost"] = parse_decimal(raw["unit_cost"], "Unit cost", errors)
    values["list_price"] = parse_decimal(raw["list_price"], "List price", errors)
    supplier_name = raw["supplier"]
    if not supplier_name:
        errors.append("Supplier is missing.")
    elif (supplier := suppliers.get(supplier_name.lower())) is None:
        errors.append(f"Unknown supplier “{supplier_name}”: add the supplier first.")
    else:
        values["supplier"] = supplier
    if "lead_time_days" in raw:
        text = raw["lead_time_days"]
        if text == "":
            values["lead_time_days"] = None
        elif not text.lstrip("-").isdigit():
            errors.append(f"Lead time is not a whole number of days: “{text}”.")
        elif int(text) < 0:
            errors.append(f"Lead time cannot be negative ({text}).")
        elif int(text) > 32767:
            errors.append(f"Lead time is too long ({text} days).")
        else:
            values["lead_time_days"] = int(text)
    if "active" in raw and raw["active"] != "":
        text = raw["active"].lower()
        if text in _TRUE:
            values["active"] = True
        elif text in _FALSE:
            values["active"] = False
        else:
            errors.append(f"Active must be yes or no, not “{raw['active']}”.")
    return values, errors


def _header(row: list[str]) -> tuple[list[str], list[str]]:
    names = [" ".join(cell.split()).lower().replace(" ", "_") for cell in row]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [n or "(blank)" for n in names if n not in COLUMNS]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if missing:
        problems.append(f"Missing column(s): {', '.join(missing)}.")
    if unknown:
        problems.append(f"Unknown column(s): {', '.join(unknown)}.")
    if repeated:
        problems.append(f"Repeated column(s): {', '.join(repeated)}.")
    if problems:
        problems.append(
            f"The first line must name the columns: {', '.join(COLUMNS)} "
            f"({', '.join(OPTIONAL_COLUMNS)} optional)."
        )
    return names, problems


def read_rows(
    fileobj,
    header: Callable[[list[str]], tuple[list[str], list[str]]],
    parse: Callable[[dict[str, str]], tuple[str, dict, list[str]]],
    *,
    key_label: str = "SKU",
    noun: str = "item",
) -> ImportReport:
    """Read a CSV file into a report of its rows, without writing anything.

    `header(cells)` names the columns of the first line and says what is wrong with it;
    `parse(raw)` gives a row's key, values and errors from its cells (white space folded).
    Blank lines are skipped. A key on two lines (in any case) is an error on both.
    """
    report = ImportReport()
    if problem := check_file(fileobj, noun):
        report.file_errors.append(problem)
        return report
    fileobj.seek(0)
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    first_line: dict[str, RowResult] = {}
    repeated: set[str] = set()
    try:
        header_cells = next(reader, None)
        if header_cells is None:
            report.file_errors.append(
                f"The file is empty: it needs a header line and at least one {noun}."
            )
            return report
        names, problems = header(header_cells)
        if problems:
            report.file_errors.extend(problems)
            return report
        report.columns = tuple(names)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(names):
                result = RowResult(line, row[0].strip() if row else "", ERROR)
                result.errors.append(f"Expected {len(names)} values, found {len(row)}.")
                report.rows.append(result)
                continue
            raw = {name: " ".join(cell.split()) for name, cell in zip(names, row, strict=True)}
            key, values, errors = parse(raw)
            result = RowResult(line, key, ERROR if errors else CREATED, errors, [], values)
            folded = key.upper()
            if folded and (first := first_line.get(folded)) is not None:
                # Which of the two lines is right cannot be told, so neither is imported.
                result.status = ERROR
                result.errors.append(f"{key_label} {key} is also on line {first.line}.")
                if folded not in repeated:
                    repeated.add(folded)
                    first.status = ERROR
                    first.errors.append(f"{key_label} {first.key} is repeated on line {line}.")
            elif folded:
                first_line[folded] = result
            report.rows.append(result)
    except UnicodeDecodeError:
        report.file_errors.append(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
        )
        report.rows.clear()
        return report
    except csv.Error as exc:
        report.file_errors.append(
            f"The file is not a readable CSV (line {reader.line_num}): {exc}."
        )
        report.rows.clear()
        return report
    finally:
        # The caller owns the file: let go of it without closing it.
        text.detach()
    if not report.rows:
        report.file_errors.append(f"The file has a header but no {noun}s.")
    return report


def dry_run(fileobj) -> ImportReport:
    """Check a CSV file against the catalog without writing anything."""
    suppliers: dict[str, Supplier] | None = None

    def parse(raw: dict[str, str]) -> tuple[str, dict, list[str]]:
        nonlocal suppliers
        if suppliers is None:
            # Read at the first row, so a file that cannot be read costs no query.
            suppliers = {s.name.lower(): s for s in Supplier.objects.all()}
        values, errors = _parse_row(raw, suppliers)
        return values["sku"], values, errors

    report = read_rows(fileobj, _header, parse)
    if not report.file_errors:
        _compare_with_catalog(report)
    return report


def _compare_with_catalog(report: ImportReport) -> None:
    existing = {
        values["sku"].upper(): values
        for values in CatalogItem.objects.values("id", "sku", "created_at", *COMPARED)
    }
    for result in report.rows:
        if result.status == ERROR:
            continue
        current = existing.get(result.sku.upper())
        if current is None:
            continue
        result.existing_id = current["id"]
        wanted = _wanted(result.values)
        # A new SKU is written as typed; an existing one keeps its spelling.
        result.values["sku"] = current["sku"]
        result.changed = [name for name, value in wanted.items() if current[name] != value]
        result.status = UPDATED if result.changed else UNCHANGED
        result.values["_current"] = current


def _wanted(values: dict) -> dict:
    wanted = {name: values[name] for name in COMPARED if name in values and name != "supplier_id"}
    wanted["supplier_id"] = values["supplier"].pk
    return wanted


def check_writable(report: ImportReport, valid_rows_only: bool) -> None:
    """Refuse to write a file that cannot be read, or one with errors unless the caller asks
    for its valid rows only."""
    if report.file_errors:
        raise ValidationError(report.file_errors)
    if report.has_errors and not valid_rows_only:
        raise ValidationError(
            f"{report.count(ERROR)} row(s) have errors; nothing was imported. Fix the file, "
            "or choose to import only the valid rows."
        )


@transaction.atomic
def do_import_catalog(
    by: User | None,
    fileobj,
    *,
    valid_rows_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Write the file's items: new SKUs are created, known ones updated.

    The file is checked again here (the catalog may have moved since the dry run). With any
    error nothing is written and a ValidationError says so, unless `valid_rows_only`.
    """
    report = dry_run(fileobj)
    check_writable(report, valid_rows_only)
    now = now or timezone.now()
    new, changed, fields = [], [], set()
    for result in report.rows:
        if result.status == CREATED:
            values = {k: v for k, v in result.values.items() if k in ITEM_COLUMNS}
            new.append(CatalogItem(created_at=now, updated_at=now, **values))
        elif result.status == UPDATED:
            current = dict(result.values["_current"])
            item = CatalogItem(**current)
            for name, value in _wanted(result.values).items():
                setattr(item, name, value)
            item.updated_at = now
            fields.update("supplier" if n == "supplier_id" else n for n in result.changed)
            changed.append(item)
    if new:
        bulk_create_with_history(
            new, CatalogItem, batch_size=BATCH, default_user=by, default_date=now
        )
    if changed:
        bulk_update_with_history(
            changed,
            CatalogItem,
            sorted(fields | {"updated_at"}),
            batch_size=BATCH,
            default_user=by,
            default_date=now,
        )
    report.written = True
    return report

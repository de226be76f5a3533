"""Estimate rows → the plain lines that `logic.totals` adds up, and back to comparable dicts."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tandem.estimates.logic.diff import FieldChange, LineChange, diff_figures, diff_lines
from tandem.estimates.logic.lines import EquipmentLine, ExpenseLine, LabourLine, SubcontractLine
from tandem.estimates.models import EstimateLine, LineKind

# What each kind of line is made of, as forms, the API and the diff see it.
LINE_FIELDS: dict[str, tuple[str, ...]] = {
    LineKind.EQUIPMENT: (
        "name",
        "description",
        "catalog_item",
        "qty",
        "unit_cost",
        "unit_price",
        "markup_pct",
        "lead_time_days",
    ),
    LineKind.LABOUR: (
        "name",
        "description",
        "role",
        "crew_size",
        "hours_low",
        "hours_likely",
        "hours_high",
        "overtime_share",
        "calls",
    ),
    LineKind.SUBCONTRACT: ("name", "description", "cost", "markup_pct"),
    LineKind.EXPENSE: ("name", "description", "cost", "markup_pct"),
}
# Copied from the rate card when a labour line is first priced, then kept with the estimate.
RATE_FIELDS = ("cost_rate", "bill_rate", "overtime_multiplier", "minimum_call_hours")
# Fields that reveal what things cost us: left out for people who may not see costs.
COST_FIELDS = frozenset({"unit_cost", "cost_rate", "cost", "line_cost", "markup_pct"})
ALL_FIELDS = tuple(
    dict.fromkeys(field for fields in LINE_FIELDS.values() for field in fields + RATE_FIELDS)
)


FOREIGN_KEYS = ("role", "catalog_item")


def _value(line, field: str):
    # Rows and dicts both work; foreign keys compare by id.
    if isinstance(line, Mapping):
        value = line.get(field)
    elif field in FOREIGN_KEYS:
        value = getattr(line, f"{field}_id")
    else:
        value = getattr(line, field)
    return getattr(value, "pk", value)


def to_logic(line: EstimateLine | Mapping, currency: str, role_name: str = ""):
    """Make the pure line for one estimate line (a row or a dict of its fields)."""
    kind = _value(line, "kind")
    name = str(_value(line, "name") or "").strip()
    if kind == LineKind.EQUIPMENT:
        return EquipmentLine(
            name=name,
            currency=currency,
            qty=_value(line, "qty"),
            unit_cost=_value(line, "unit_cost"),
            markup_pct=_value(line, "markup_pct"),
            lead_time_days=int(_value(line, "lead_time_days") or 0),
            unit_price=_value(line, "unit_price"),
        )
    if kind == LineKind.LABOUR:
        return LabourLine(
            name=name,
            currency=currency,
            role=role_name or str(_value(line, "role")),
            crew_size=_value(line, "crew_size"),
            hours_low=_value(line, "hours_low"),
            hours_likely=_value(line, "hours_likely"),
            hours_high=_value(line, "hours_high"),
            cost_rate=_value(line, "cost_rate"),
            bill_rate=_value(line, "bill_rate"),
            overtime_share=_value(line, "overtime_share"),
            overtime_multiplier=_value(line, "overtime_multiplier"),
            minimum_call_hours=_value(line, "minimum_call_hours"),
            calls=int(_value(line, "calls") or 1),
        )
    if kind in (LineKind.SUBCONTRACT, LineKind.EXPENSE):
        cls = SubcontractLine if kind == LineKind.SUBCONTRACT else ExpenseLine
        return cls(
            name=name,
            currency=currency,
            cost=_value(line, "cost"),
            markup_pct=_value(line, "markup_pct"),
        )
    raise ValueError(f"Unknown line kind {kind!r}.")


def hours_by_role(lines: Iterable[EstimateLine]) -> list[tuple[str, Decimal]]:
    """A version's expected hours summed per role, by role name (labour rows with roles
    loaded)."""
    hours: dict[str, Decimal] = {}
    for line in lines:
        if line.kind == LineKind.LABOUR:
            hours[line.role.name] = hours.get(line.role.name, Decimal(0)) + (
                line.expected_hours or Decimal(0)
            )
    return sorted(hours.items())


def comparable(lines: Iterable[EstimateLine], *, costs: bool = True) -> list[dict]:
    """Lines as dicts of their own fields (ids for foreign keys), for `logic.diff`."""
    rows = []
    for line in lines:
        fields = LINE_FIELDS[line.kind] + (RATE_FIELDS if line.kind == LineKind.LABOUR else ())
        row = {"kind": line.kind, "line_price": line.line_price}
        if costs:
            row["line_cost"] = line.line_cost
        for field in fields:
            if costs or field not in COST_FIELDS:
                row[field] = _value(line, field)
        rows.append(row)
    return rows


# A version's headline figures, in the order pages and the API list them.
VERSION_FIGURES = (
    "contingency_pct",
    "cost",
    "price",
    "margin",
    "margin_pct",
    "budget_low",
    "budget_high",
    "longest_lead_time_days",
    "line_count",
)
VERSION_COST_FIGURES = ("cost", "margin")


@dataclass(frozen=True)
class VersionChanges:
    """What changed from one version of a scenario to another (`old` None: the empty
    scenario before its first save). `lines` holds both versions' rows, roles and catalog
    items loaded, for naming ids."""

    figures: list[FieldChange]
    lines: list[LineChange]
    rows: list[EstimateLine]


def version_changes(old, new, *, costs: bool) -> VersionChanges:
    """Compare two versions in one query; cost figures and cost fields only with `costs`."""
    versions = [new] if old is None else [old, new]
    rows = list(
        EstimateLine.objects.filter(version__in=versions)
        .select_related("role", "catalog_item")
        .order_by("position")
    )
    before = comparable([r for r in rows if old and r.version_id == old.pk], costs=costs)
    after = comparable([r for r in rows if r.version_id == new.pk], costs=costs)
    fields = dict.fromkeys(field for row in before + after for field in row)
    fields.pop("kind", None)
    # What was typed first, then what it came to: "qty 10 → 5, line price 1,500 → 750".
    fields = sorted(fields, key=lambda field: field in ("line_cost", "line_price"))
    figures = [name for name in VERSION_FIGURES if costs or name not in VERSION_COST_FIGURES]
    return VersionChanges(
        figures=diff_figures(
            {name: getattr(old, name, None) for name in figures},
            {name: getattr(new, name) for name in figures},
        ),
        lines=diff_lines(before, after, fields),
        rows=rows,
    )

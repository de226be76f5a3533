"""CSV import of past projects and their actual hours: a dry run, then the write.

Columns: reference, name, project_type, venue_type, screen_area_m2, show_days, completed_on,
then one column per role named `hours:<role name>` (`hours:Stagehand`). An empty hours cell
means the role was not on that project; a role without a column in the file keeps the hours
it has. A known reference (in any case) updates that project.

The reading, the report and the number cells are the catalog import's (catalog.imports);
the checks are the service's (actuals/services.py). The file is checked against the database
with three queries whatever its length (the roles, the past projects, their hours), and
nothing is written while it has errors unless the caller asks for the valid rows only.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.catalog.imports import (
    CREATED,
    ERROR,
    UNCHANGED,
    UPDATED,
    ImportReport,
    RowResult,
    check_writable,
    parse_decimal,
    read_rows,
)
from tandem.catalog.models import LabourRole
from tandem.estimates.actuals.services import PROJECT_FIELDS, check_completed_on, check_hours
from tandem.estimates.models import PastProject, PastProjectHours, VenueType
from tandem.people.models import User
from tandem.pipeline.models import ProjectType

REQUIRED_COLUMNS = ("reference", "name")
OPTIONAL_COLUMNS = (
    "project_type",
    "venue_type",
    "screen_area_m2",
    "show_days",
    "completed_on",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
HOURS_PREFIX = "hours:"
MAX_AREA = Decimal("999999.99")
MAX_HOURS = Decimal("99999999.99")
MAX_SHOW_DAYS = 366
BATCH = 500


def _choices(choices) -> dict[str, str]:
    # A value is recognised by its code or its label, in any case.
    return {str(text).lower(): value for value, label in choices for text in (value, label)}


_PROJECT_TYPES = _choices(ProjectType.choices)
_VENUE_TYPES = _choices(VenueType.choices)


class _Header:
    """Names the columns of the first line; the roles are read when the file gets that far."""

    def __init__(self) -> None:
        self.roles: dict[str, LabourRole] = {}  # column name -> role

    def __call__(self, cells: list[str]) -> tuple[list[str], list[str]]:
        roles = {role.name.lower(): role for role in LabourRole.objects.all()}
        names, unknown_roles, unknown = [], [], []
        for cell in cells:
            folded = " ".join(cell.split())
            prefix, colon, role_name = folded.partition(":")
            if colon and prefix.strip().lower() == HOURS_PREFIX[:-1]:
                role = roles.get(role_name.strip().lower())
                name = f"{HOURS_PREFIX}{role.name if role else role_name.strip()}"
                if role is None:
                    unknown_roles.append(name)
                else:
                    self.roles[name] = role
            else:
                name = folded.lower().replace(" ", "_")
                if name not in COLUMNS:
                    unknown.append(name or "(blank)")
            names.append(name)
        return names, self._problems(names, unknown, unknown_roles, roles)

    def _problems(self, names, unknown, unknown_roles, roles) -> list[str]:
        problems = []
        if missing := [c for c in REQUIRED_COLUMNS if c not in names]:
            problems.append(f"Missing column(s): {', '.join(missing)}.")
        if unknown:
            problems.append(f"Unknown column(s): {', '.join(unknown)}.")
        if unknown_roles:
            known = ", ".join(role.name for role in roles.values()) or "none yet"
            problems.append(
                f"No role is called {', '.join(n[len(HOURS_PREFIX) :] for n in unknown_roles)} "
                f"(columns {', '.join(unknown_roles)}). Roles: {known}. Add the role to the "
                "rate cards first, or rename the column."
            )
        if repeated := sorted({n for n in names if n and names.count(n) > 1}):
            problems.append(f"Repeated column(s): {', '.join(repeated)}.")
        if not self.roles and not unknown_roles:
            problems.append(
                "No hours columns: add one column per role, named hours:<role name> "
                "(hours:Stagehand)."
            )
        if problems and (missing or unknown):
            problems.append(
                f"The first line must name the columns: {', '.join(COLUMNS)} "
                f"({', '.join(OPTIONAL_COLUMNS)} optional), then hours:<role name> per role."
            )
        return problems

    def parse(self, raw: dict[str, str]) -> tuple[str, dict, list[str]]:
        errors: list[str] = []
        values = _parse_project(raw, errors)
        values["hours"] = {
            role: _parse_hours(raw[name], role, errors) for name, role in self.roles.items()
        }
        return values["reference"], values, errors


def _parse_project(raw: dict[str, str], errors: list[str]) -> dict:
    values: dict = {}
    for column, label, longest in (("reference", "Reference", 64), ("name", "Name", 200)):
        text = raw[column]
        if not text:
            errors.append(f"{label} is missing.")
        elif len(text) > longest:
            errors.append(f"{label} is longer than {longest} characters.")
        values[column] = text
    for column, table, label, choices in (
        ("project_type", _PROJECT_TYPES, "Project type", ProjectType),
        ("venue_type", _VENUE_TYPES, "Venue type", VenueType),
    ):
        text = raw.get(column, "")
        if text and text.lower() not in table:
            known = ", ".join(str(c.label) for c in choices)
            errors.append(f"Unknown {label.lower()} “{text}” (use one of: {known}).")
        values[column] = table.get(text.lower(), "")
    area = raw.get("screen_area_m2", "")
    values["screen_area_m2"] = (
        parse_decimal(area, "Screen area", errors, maximum=MAX_AREA) if area else None
    )
    values["show_days"] = _show_days(raw.get("show_days", ""), errors)
    values["completed_on"] = _completed_on(raw.get("completed_on", ""), errors)
    return values


def _show_days(text: str, errors: list[str]) -> int | None:
    if not text:
        return None
    try:
        days = int(text)
    except ValueError:
        errors.append(f"Show days is not a whole number: “{text}”.")
        return None
    if not 0 <= days <= MAX_SHOW_DAYS:
        errors.append(f"Show days must be between 0 and {MAX_SHOW_DAYS} ({text}).")
        return None
    return days


def _completed_on(text: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        completed_on = dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f"Completed on is not a date like 2025-03-31: “{text}”.")
        return None
    try:
        check_completed_on(completed_on, timezone.localdate())
    except ValidationError as exc:
        errors.extend(exc.messages)
        return None
    return completed_on


def _parse_hours(text: str, role: LabourRole, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    label = f"{HOURS_PREFIX}{role.name}"
    value = parse_decimal(text, label, errors, maximum=MAX_HOURS)
    if value is not None and value <= 0:
        errors.append(f"{label} must be more than 0 (leave it empty if the role was not on it).")
    return value


def dry_run(fileobj) -> ImportReport:
    """Check a CSV file of past projects against the database without writing anything."""
    header = _Header()
    report = read_rows(fileobj, header, header.parse, key_label="Reference", noun="past project")
    if not report.file_errors:
        _compare_with_actuals(report)
    return report


def _compare_with_actuals(report: ImportReport) -> None:
    existing = {
        values["reference"].upper(): values
        for values in PastProject.objects.values("id", "updated_at", *PROJECT_FIELDS)
    }
    hours: dict[int, dict[LabourRole, Decimal]] = {}
    for row in PastProjectHours.objects.select_related("role").order_by():
        hours.setdefault(row.project_id, {})[row.role] = row.hours
    for result in (r for r in report.rows if r.status != ERROR):
        current = existing.get(result.key.upper())
        if current is None:
            _check_new_hours(result)
            continue
        result.existing_id = current["id"]
        # A new reference is written as typed; an existing one keeps its spelling.
        result.values["reference"] = current["reference"]
        result.changed = [
            name
            for name in PROJECT_FIELDS
            if name != "reference" and current[name] != result.values[name]
        ]
        had = hours.get(current["id"], {})
        wanted = {**had, **result.values["hours"]}
        wanted = {role: value for role, value in wanted.items() if value is not None}
        result.changed += [
            f"{HOURS_PREFIX}{role.name}"
            for role in sorted(set(had) | set(wanted), key=lambda r: r.name)
            if had.get(role) != wanted.get(role)
        ]
        result.values["hours"] = wanted
        if _check_new_hours(result):
            result.status = UPDATED if result.changed else UNCHANGED


def _check_new_hours(result: RowResult) -> bool:
    # A project needs one role with hours: on the row, or (for an update) kept from before.
    try:
        check_hours(result.values["hours"])
    except ValidationError as exc:
        result.status = ERROR
        result.errors.extend(exc.messages)
        return False
    return True


@transaction.atomic
def do_import_past_projects(
    by: User | None,
    fileobj,
    *,
    valid_rows_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Create the file's new past projects and update the known ones, with their hours.

    Checked again first, as the past projects may have changed since the dry run: a file with
    errors writes nothing (ValidationError) unless `valid_rows_only`.
    """
    report = dry_run(fileobj)
    check_writable(report, valid_rows_only)
    now = now or timezone.now()
    created = [r for r in report.rows if r.status == CREATED]
    updated = [r for r in report.rows if r.status == UPDATED]
    projects = PastProject.objects.bulk_create(
        [_project(result, now) for result in created], batch_size=BATCH
    )
    changed = []
    for result in updated:
        project = _project(result, now)
        project.pk = result.existing_id
        changed.append(project)
    # updated_at is set by hand (bulk_update skips auto_now): it tells the predictions' cache.
    PastProject.objects.bulk_update(
        changed, [f for f in PROJECT_FIELDS if f != "reference"] + ["updated_at"], BATCH
    )
    PastProjectHours.objects.filter(project__in=[p.pk for p in changed]).delete()
    PastProjectHours.objects.bulk_create(
        [
            PastProjectHours(project=project, role=role, hours=value)
            for result, project in zip(created + updated, projects + changed, strict=True)
            for role, value in result.values["hours"].items()
            if value is not None
        ],
        batch_size=BATCH,
    )
    report.written = True
    return report


def _project(result: RowResult, now: dt.datetime) -> PastProject:
    fields = {name: result.values[name] for name in PROJECT_FIELDS}
    return PastProject(created_at=now, updated_at=now, **fields)

"""Every write to past projects (the actuals that estimates learn from) goes through here.

A past project's hours are written with it: the project row is saved on every change to its
hours too, so its `updated_at` moves and the predictions' cached models (predictions.py) see
new actuals.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.catalog.models import LabourRole
from tandem.core.services import apply_changes, check_not_stale, day, full_clean_or_raise
from tandem.estimates.models import PastProject, PastProjectHours
from tandem.people.models import User

PROJECT_FIELDS = (
    "reference",
    "name",
    "project_type",
    "venue_type",
    "screen_area_m2",
    "show_days",
    "completed_on",
)


def check_reference_free(reference: str, *, exclude_pk: int | None = None) -> None:
    """Refuse a reference another past project has, in any case ("NL-101" and "nl-101")."""
    clash = PastProject.objects.filter(reference__iexact=reference).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"reference": f"Another past project has reference {reference}."})


def check_completed_on(completed_on: dt.date | None, today: dt.date) -> None:
    """A past project is finished: its completion date cannot be after today."""
    if completed_on is not None and completed_on > today:
        raise ValidationError(
            {
                "completed_on": f"{day(completed_on)} is in the future: a past project has "
                "finished. Leave the date empty if it is not known."
            }
        )


def check_hours(hours: Mapping[LabourRole, Decimal | None]) -> dict[LabourRole, Decimal]:
    """The hours each role took: more than zero, and at least one role.

    A role with no hours (None) was not on the project and is left out of the answer.
    """
    taken = {role: value for role, value in hours.items() if value is not None}
    problems = [
        f"{role.name}: the hours must be more than 0 (leave them empty if the role was not "
        "on the project)."
        for role, value in taken.items()
        if value <= 0
    ]
    if problems:
        raise ValidationError({"hours": problems})
    if not taken:
        raise ValidationError(
            {"hours": "Give the hours of at least one role: they are what estimates learn from."}
        )
    return taken


def _check_hour_rows(project: PastProject, hours: dict[LabourRole, Decimal]) -> None:
    # Digits and places as the columns hold them, worded per role.
    problems = []
    for role, value in hours.items():
        try:
            full_clean_or_raise(
                PastProjectHours(project=project, role=role, hours=value),
                exclude=["project", "role"],
            )
        except ValidationError as exc:
            problems += [f"{role.name}: {message}" for message in exc.messages]
    if problems:
        raise ValidationError({"hours": problems})


def _check_project(project: PastProject, hours: dict[LabourRole, Decimal], today: dt.date) -> None:
    # Before full_clean, whose own uniqueness check is case-sensitive and less clear.
    check_reference_free(project.reference, exclude_pk=project.pk)
    full_clean_or_raise(project)
    check_completed_on(project.completed_on, today)
    _check_hour_rows(project, hours)


@transaction.atomic
def do_create_past_project(
    by: User | None,
    *,
    reference: str,
    name: str,
    project_type: str = "",
    venue_type: str = "",
    screen_area_m2: Decimal | None = None,
    show_days: int | None = None,
    completed_on: dt.date | None = None,
    hours: Mapping[LabourRole, Decimal | None],
    source: str = "import",
    now: dt.datetime | None = None,
) -> PastProject:
    """Record a finished project and the hours each role actually took on it.

    Refused (ValidationError): a reference another past project has (in any case), hours
    that are not more than zero, no role with hours, a completion date after today.
    """
    now = now or timezone.now()
    project = PastProject(
        reference=reference.strip(),
        name=name.strip(),
        project_type=project_type or "",
        venue_type=venue_type or "",
        screen_area_m2=screen_area_m2,
        show_days=show_days,
        completed_on=completed_on,
        source=source,
        created_at=now,
    )
    taken = check_hours(hours)
    _check_project(project, taken, timezone.localdate(now))
    project.save()
    PastProjectHours.objects.bulk_create(
        PastProjectHours(project=project, role=role, hours=value) for role, value in taken.items()
    )
    return project


@transaction.atomic
def do_update_past_project(
    project: PastProject,
    by: User | None,
    changes: dict,
    *,
    hours: Mapping[LabourRole, Decimal | None] | None = None,
    version: str | None = None,
    now: dt.datetime | None = None,
) -> PastProject:
    """Change a past project's drivers and, when `hours` is given, replace its hours.

    `hours` is the whole new set: a role left out or given None was not on the project. The
    checks are the creation's; a save based on an old copy (`version`) is refused.
    """
    project = PastProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    check_not_stale(project, version)
    changes = dict(changes)
    for text in ("reference", "name"):
        if isinstance(changes.get(text), str):
            changes[text] = changes[text].strip()
    for choice in ("project_type", "venue_type"):
        if choice in changes and changes[choice] is None:
            changes[choice] = ""
    changed = apply_changes(project, changes, PROJECT_FIELDS)
    current = {row.role: row for row in project.hours.select_related("role")} if hours else {}
    taken = check_hours(hours) if hours is not None else None
    if taken is not None and {role: row.hours for role, row in current.items()} != taken:
        changed.append("hours")
    if not changed:
        return project
    _check_project(project, taken or {}, timezone.localdate(now or timezone.now()))
    # Saved even when only the hours changed: updated_at tells the predictions' cache.
    project.save()
    if taken is not None:
        gone = [row.pk for role, row in current.items() if role not in taken]
        PastProjectHours.objects.filter(pk__in=gone).delete()
        for role, value in taken.items():
            row = current.get(role)
            if row is None:
                PastProjectHours.objects.create(project=project, role=role, hours=value)
            elif row.hours != value:
                row.hours = value
                row.save(update_fields=["hours"])
    return project


@transaction.atomic
def do_delete_past_project(project: PastProject, by: User | None) -> None:
    """Forget a past project and its hours (a mistaken import, a duplicate)."""
    PastProject.objects.filter(pk=project.pk).delete()

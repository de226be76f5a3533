"""Helpers shared by the write services of every app."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models


def apply_changes(instance: models.Model, changes: dict, allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields of `changes` on `instance`; return the names that really changed.

    An unknown field name is a programming error in the caller, so it raises.
    """
    allowed = set(allowed)
    changed = []
    for field, value in changes.items():
        if field not in allowed:
            raise ValueError(f"{type(instance).__name__}.{field} cannot be changed here")
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def full_clean_or_raise(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """Validate a model instance as a form would, including its constraints."""
    instance.full_clean(exclude=list(exclude), validate_unique=True, validate_constraints=True)


def version_of(instance: models.Model) -> str:
    """The token a form or API client sends back to prove it edited the latest copy."""
    return instance.updated_at.isoformat()


def check_not_stale(instance: models.Model, expected_version: str | None) -> None:
    """Refuse a write based on an old copy of the row (optimistic concurrency).

    `instance` must have been read with select_for_update so nobody can slip in between.
    No version (a script that does not care) skips the check.
    """
    if expected_version and version_of(instance) != expected_version:
        raise ValidationError(
            "Someone else changed this since you opened it. Your changes were not saved: "
            "reload to see theirs, then apply yours again.",
            code="stale",
        )


def day(value) -> str:
    """A date as messages write it: 5 Feb 2027."""
    return f"{value.day} {value:%b %Y}"

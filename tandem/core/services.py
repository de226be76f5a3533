"""Helpers shared by the write services of every app."""

from collections.abc import Iterable

from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from tandem.core import forms as words

# Django's model messages (what a script or the API meets when a service refuses a row),
# and the plain words that replace them; a message a model sets itself is kept.
_MODEL_MESSAGES = {
    "blank": (models.Field.default_error_messages["blank"], words.REQUIRED),
    "null": (models.Field.default_error_messages["null"], words.REQUIRED),
    "invalid_choice": (
        models.Field.default_error_messages["invalid_choice"],
        "“%(value)s” is not one of the choices.",
    ),
    "max_length": (validators.MaxLengthValidator.message, words.MAX_LENGTH),
    "min_value": (validators.MinValueValidator.message, words.MIN_VALUE),
    "max_value": (validators.MaxValueValidator.message, words.MAX_VALUE),
}


def _in_plain_words(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                field: [_in_plain_words(e) for e in errors]
                for field, errors in error.error_dict.items()
            }
        )
    if len(error.error_list) > 1 or error.error_list[0] is not error:
        return ValidationError([_in_plain_words(e) for e in error.error_list])
    default, plain = _MODEL_MESSAGES.get(error.code, (None, None))
    if default is not None and str(error.message) == str(default):
        return ValidationError(plain, code=error.code, params=error.params)
    return error


class ErrorCollector:
    """Every refusal of a series of checks, so that one answer lists them all (a form shows
    each beside its field) rather than the first alone.

        errors = ErrorCollector()
        with errors:
            check_amount(amount)
        with errors:
            check_close_date(deal, date)
        errors.raise_if_any()
    """

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc_type is not None and issubclass(exc_type, ValidationError):
            self.add(exc)
            return True
        return False

    def add(self, error: ValidationError, *, only_new_fields: bool = False) -> None:
        """Keep `error`'s messages. With `only_new_fields`, a field that has a message already
        keeps only that one (a model's generic message would repeat a check's clearer one)."""
        found = (
            error.error_dict
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.error_list}
        )
        for field, errors in found.items():
            if only_new_fields and field in self.errors:
                continue
            self.errors.setdefault(field, []).extend(errors)

    def has(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


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
    """Validate a model instance as a form would, including its constraints; Django's own
    messages come out in plain words."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        raise _in_plain_words(error) from None


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

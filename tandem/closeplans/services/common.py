"""What every close-plan service shares: field lists, the clock, history attribution."""

import datetime as dt

from django.utils import timezone

from tandem.people.models import User

TEMPLATE_FIELDS = ("name", "project_type", "description", "is_active")
TEMPLATE_STEP_FIELDS = (
    "title",
    "side",
    "owner_role",
    "duration_days",
    "lead_days",
    "value_statement",
)
STEP_FIELDS = (
    "title",
    "side",
    "owner_user",
    "owner_contact",
    "due_date",
    "duration_days",
    "value_statement",
)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(_now(now))


def _attribute(instance, by: User | None, reason: str = ""):
    # simple_history reads these: who made the change and, for the customer link, from where.
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    return instance


def _renumber(rows: list, moving=None, position: int | None = None) -> None:
    """Give `rows` the positions 1..n, with `moving` at `position` (clamped to the ends).

    Positions are unique per parent, so the rows that move first park far above any real
    position, then take their new ones.
    """
    rows = [row for row in rows if moving is None or row.pk != moving.pk]
    if moving is not None:
        index = min(max(position or 1, 1), len(rows) + 1) - 1
        rows.insert(index, moving)
    targets = [(row, number) for number, row in enumerate(rows, 1) if row.position != number]
    if not targets:
        return
    model = type(targets[0][0])
    for row, number in targets:
        model.objects.filter(pk=row.pk).update(position=_PARKED + number)
    for row, number in targets:
        row.position = number
        model.objects.filter(pk=row.pk).update(position=number)


_PARKED = 20_000

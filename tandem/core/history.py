"""Readable change history from django-simple-history records."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    subject: str = ""
    changes: list[Change] = field(default_factory=list)


def _display(model, field_name: str, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return related.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return date_format(value, "j M Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    return str(value)


def history_for(instance, limit: int = 20, related_names: dict | None = None) -> list:
    """The latest `limit` changes to `instance`, newest first, each with its field changes.

    One query: the records are read once and compared with their neighbour in memory.
    `related_names` maps (model, pk) to a label for foreign keys worth naming.
    """
    return history_entries(type(instance), instance.history.all(), limit, related_names)


def history_entries(
    model, records, limit: int = 20, related_names: dict | None = None, describe=None
) -> list:
    """Readable entries for the newest `limit` history `records` of `model` (any mix of rows).

    Each record is compared with the previous record of the same row when that one is among
    the records read; one query. `describe(record)` names the row when records of several
    rows are mixed.
    """
    fetched = list(records.select_related("history_user").order_by("-history_id")[: limit * 2])
    related = related_names or {}
    previous: dict[int, object] = {}
    older_of: dict[int, object] = {}
    for record in reversed(fetched):
        older_of[record.history_id] = previous.get(record.id)
        previous[record.id] = record
    skip = {"updated_at", "created_at"}
    entries = []
    for newer in fetched:
        if len(entries) == limit:
            break
        older = older_of[newer.history_id]
        user = newer.history_user
        entry = HistoryEntry(
            when=newer.history_date,
            who=user.name if user else "system",
            kind={"+": "created", "~": "changed", "-": "deleted"}[newer.history_type],
            subject=describe(newer) if describe else "",
        )
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in skip:
                    continue
                entry.changes.append(
                    Change(
                        label=str(model._meta.get_field(change.field).verbose_name).capitalize(),
                        old=_display(model, change.field, change.old, related),
                        new=_display(model, change.field, change.new, related),
                    )
                )
            if not entry.changes:
                continue
        entries.append(entry)
    return entries

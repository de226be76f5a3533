"""Readable change history from django-simple-history records."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
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


# Money fields to the cent (prices, costs, rates); any other amount in whole units, as the
# pages show them.
_TO_THE_CENT = ("price", "cost", "rate")


def _money(model_field, value, currency: str) -> str:
    from tandem.core.templatetags.tandem import money, price

    if any(word in model_field.name for word in _TO_THE_CENT):
        return price(value, currency)
    return money(value, currency)


def _is_percent(model_field) -> bool:
    # Probabilities and the *_pct fields (contingency, margin, markup) are percentages, not
    # money, even on a row that has a currency.
    name = model_field.name
    return name == "probability" or name.endswith("_pct")


def _plain_number(value) -> str:
    """12.50 -> 12.5, 40.00 -> 40: a percentage as people write it."""
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _display(model, field_name: str, value, related: dict, record=None) -> str:
    """`value` of `field_name` as the pages show it: choices by label, foreign keys by name,
    dates as dates, and a decimal of a row that has a currency as money in that currency
    (the currency of `record`, the history row the value comes from)."""
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(field_name)
    if _is_percent(model_field):
        return f"{_plain_number(value)}%"
    currency = getattr(record, "currency", None)
    if isinstance(model_field, models.DecimalField) and isinstance(currency, str):
        return _money(model_field, value, currency)
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


def history_for(instance, limit: int = 20) -> list:
    """The latest `limit` changes to `instance`, newest first, each with its field changes."""
    return history_entries(type(instance), instance.history.all(), limit)


def history_entries(model, records, limit: int = 20, related_names=None, describe=None) -> list:
    """Readable entries for the newest `limit` history `records` of `model` (any mix of rows).

    Each record is compared with the previous record of the same row when that one is among
    the records read: one query, plus one per kind of foreign key that changed, to name it
    (`related_names` can supply (model, pk) -> label up front). `describe(record)` names the
    row when records of several rows are mixed.
    """
    fetched = list(records.select_related("history_user").order_by("-history_id")[: limit * 2])
    previous: dict[int, object] = {}
    older_of: dict[int, object] = {}
    for record in reversed(fetched):
        older_of[record.history_id] = previous.get(record.id)
        previous[record.id] = record
    skip = {"updated_at", "created_at"}
    raw = []
    for newer in fetched:
        if len(raw) == limit:
            break
        older = older_of[newer.history_id]
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            changes = [(c.field, c.old, c.new) for c in delta.changes if c.field not in skip]
            if not changes:
                continue
        raw.append((newer, older, changes))
    related = dict(related_names or {})
    related |= _name_related(model, [c for _, _, changes in raw for c in changes], related)
    entries = []
    for record, older, changes in raw:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.name if user else "system",
                kind={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                subject=describe(record) if describe else "",
                changes=[
                    Change(
                        label=str(model._meta.get_field(name).verbose_name).capitalize(),
                        old=_display(model, name, old, related, older),
                        new=_display(model, name, new, related, record),
                    )
                    for name, old, new in changes
                ],
            )
        )
    return entries


def _name_related(model, changes, known: dict) -> dict:
    """Labels for the foreign keys among `changes`: one query per related model."""
    wanted: dict = {}
    for name, old, new in changes:
        field_ = model._meta.get_field(name)
        if field_.is_relation:
            ids = wanted.setdefault(field_.related_model, set())
            ids.update(
                v for v in (old, new) if v is not None and (field_.related_model, v) not in known
            )
    names = {}
    for related_model, ids in wanted.items():
        if ids:
            for obj in related_model._default_manager.filter(pk__in=ids):
                names[(related_model, obj.pk)] = str(obj)
    return names

"""Typed domain events: what happened in a lower app, for the higher apps that care.

A service emits an event inside its transaction (`emit`). Handlers registered with `on` run
at once, in the same transaction, so their writes commit or roll back with the change that
caused them. Every event is also written to the outbox (`OutboxEvent`); after the commit a
task drains it and calls the handlers registered with `on(..., later=True)` — notices,
webhooks, signals and health: work that may fail or be slow without undoing the change.

Events carry plain values (ids, dates, amounts, text), never model instances, so they can
be stored and read back unchanged.
"""

import dataclasses
import datetime as dt
import logging
import types
import typing
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

_EVENT_TYPES: dict[str, type["Event"]] = {}
_handlers: dict[type, list[Callable]] = defaultdict(list)
_later_handlers: dict[type, list[Callable]] = defaultdict(list)


@dataclasses.dataclass(frozen=True)
class Event:
    """Base of every domain event. Subclasses are frozen dataclasses with a unique `name`
    ("pipeline.deal_won"); their fields hold ints, strings, booleans, dates, datetimes,
    Decimals or None."""

    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.name:
            raise TypeError(f"{cls.__qualname__} needs a name")
        if cls.name in _EVENT_TYPES and _EVENT_TYPES[cls.name] is not cls:
            raise TypeError(f"Two events are named {cls.name}")
        _EVENT_TYPES[cls.name] = cls

    def to_payload(self) -> dict:
        """The event as JSON-ready values."""
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, payload: dict) -> "Event":
        """Read an event back from `to_payload`; fields added since keep their defaults."""
        hints = typing.get_type_hints(cls)
        values = {
            f.name: _decode(payload[f.name], hints[f.name])
            for f in dataclasses.fields(cls)
            if f.name in payload
        }
        return cls(**values)


def _encode(value):
    if isinstance(value, dt.date | Decimal):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _decode(value, hint):
    if value is None:
        return None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is Decimal:
        return Decimal(value)
    return value


def event_type(name: str) -> type[Event]:
    return _EVENT_TYPES[name]


def on(event_class: type[Event], *, later: bool = False) -> Callable[[Callable], Callable]:
    """Decorator: call the function with each `event_class` event.

    By default in the emitting transaction; with `later`, from the outbox after the commit
    (then it must be safe to run twice: a drain that fails half-way is run again).
    """

    def register(function: Callable) -> Callable:
        handlers = (_later_handlers if later else _handlers)[event_class]
        if function not in handlers:
            handlers.append(function)
        return function

    return register


def emit(event: Event) -> None:
    """Tell the handlers that `event` happened, and keep it in the outbox.

    Must be called inside the transaction that made the change (a service's atomic block).
    """
    from tandem.core.models import OutboxEvent

    if not connection.in_atomic_block:
        raise RuntimeError(f"{event.name} must be emitted inside the transaction that caused it")
    for handler in list(_handlers.get(type(event), ())):
        handler(event)
    later = bool(_later_handlers.get(type(event)))
    OutboxEvent.objects.create(
        name=event.name,
        payload=event.to_payload(),
        # Nothing waits for it: kept as the record of what happened, already handled.
        processed_at=None if later else timezone.now(),
    )
    if later:
        transaction.on_commit(_enqueue_drain, robust=True)


def _enqueue_drain() -> None:
    from tandem.core.tasks import drain_outbox

    drain_outbox.enqueue()


def handlers_later(event: Event) -> list[Callable]:
    return list(_later_handlers.get(type(event), ()))

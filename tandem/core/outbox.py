"""Draining the outbox: the events' later handlers, after the commit, each event once."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from tandem.core.events import event_type, handlers_later
from tandem.core.models import OutboxEvent

logger = logging.getLogger(__name__)

BATCH = 200
# An event whose handlers failed this often stays in the outbox for a person to look at.
MAX_ATTEMPTS = 5


def drain(batch: int = BATCH) -> int:
    """Run the later handlers of pending events, oldest first; return how many were done.

    Each event is claimed with a row lock that other workers skip, so several workers drain
    side by side without running an event twice at the same time. A handler that raises
    leaves its event pending (the error is kept) for the next drain.
    """
    done = 0
    after = 0  # an event that fails waits for the next drain, not the next batch
    while True:
        with transaction.atomic():
            events = list(
                OutboxEvent.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS, id__gt=after)
                .order_by("id")[:batch]
            )
            if not events:
                return done
            for row in events:
                done += _process(row)
            after = events[-1].pk


def _process(row: OutboxEvent) -> int:
    row.attempts += 1
    try:
        event = event_type(row.name).from_payload(row.payload)
        with transaction.atomic():
            for handler in handlers_later(event):
                handler(event)
    except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
        logger.exception("Outbox event %s failed", row)
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.save(update_fields=["attempts", "last_error"])
        return 0
    row.processed_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "processed_at", "last_error"])
    return 1


def purge(before: dt.datetime) -> int:
    """Forget handled events older than `before`; pending ones stay whatever their age."""
    deleted, _ = OutboxEvent.objects.filter(
        processed_at__isnull=False, created_at__lt=before
    ).delete()
    return deleted

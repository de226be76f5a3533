import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from tandem.core import events
from tandem.core.events import Event, emit, on
from tandem.core.models import OutboxEvent
from tandem.core.outbox import MAX_ATTEMPTS, drain
from tandem.core.tasks import tidy_outbox


@dataclasses.dataclass(frozen=True)
class ThingHappened(Event):
    name = "tests.thing_happened"
    thing_id: int
    on_day: dt.date
    at: dt.datetime
    amount: Decimal
    note: str = ""
    by_id: int | None = None


@dataclasses.dataclass(frozen=True)
class LaterThing(Event):
    name = "tests.later_thing"
    thing_id: int


THING = ThingHappened(
    thing_id=7,
    on_day=dt.date(2027, 3, 1),
    at=dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC),
    amount=Decimal("1250.50"),
)


@pytest.fixture
def handled(monkeypatch):
    """Handlers registered by a test are gone after it."""
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))
    monkeypatch.setattr(events, "_later_handlers", events.defaultdict(list))
    seen = []
    return seen


def test_an_event_reads_back_from_its_payload_unchanged():
    assert ThingHappened.from_payload(THING.to_payload()) == THING


def test_a_payload_missing_a_field_added_since_keeps_its_default():
    payload = THING.to_payload()
    del payload["note"]
    assert ThingHappened.from_payload(payload).note == ""


def test_two_event_classes_cannot_share_a_name():
    with pytest.raises(TypeError, match="Two events"):

        @dataclasses.dataclass(frozen=True)
        class Impostor(Event):
            name = "tests.thing_happened"


def test_an_event_needs_a_name():
    with pytest.raises(TypeError, match="needs a name"):

        @dataclasses.dataclass(frozen=True)
        class Nameless(Event):
            pass


@pytest.mark.django_db
def test_emitting_outside_a_transaction_is_refused(handled):
    # pytest-django wraps each test in a transaction: pretend to be outside it.
    connection = transaction.get_connection()
    inside = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            emit(THING)
    finally:
        connection.in_atomic_block = inside


@pytest.mark.django_db
def test_handlers_run_in_the_emitting_transaction_and_the_event_is_kept(handled):
    on(ThingHappened)(handled.append)
    with transaction.atomic():
        emit(THING)
    assert handled == [THING]
    row = OutboxEvent.objects.get()
    assert row.name == "tests.thing_happened"
    assert row.payload["amount"] == "1250.50"
    # Nothing waits for it after the commit.
    assert row.processed_at is not None


@pytest.mark.django_db
def test_a_failing_handler_undoes_the_change_and_keeps_no_event(handled):
    def refuse(event):
        raise ValueError("no")

    on(ThingHappened)(refuse)
    with pytest.raises(ValueError, match="no"), transaction.atomic():
        emit(THING)
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_later_handlers_run_after_the_commit_from_the_outbox(
    handled, django_capture_on_commit_callbacks
):
    on(LaterThing, later=True)(handled.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            emit(LaterThing(thing_id=3))
        assert handled == []
    assert len(callbacks) == 1
    assert handled == [LaterThing(thing_id=3)]
    assert OutboxEvent.objects.get().processed_at is not None
    # Drained once: a second drain finds nothing to do.
    assert drain() == 0
    assert handled == [LaterThing(thing_id=3)]


@pytest.mark.django_db
def test_a_failing_later_handler_leaves_its_event_pending_with_the_error(handled):
    calls = []

    def flaky(event):
        calls.append(event)
        if len(calls) == 1:
            raise ConnectionError("webhook down")

    on(LaterThing, later=True)(flaky)
    with transaction.atomic():
        emit(LaterThing(thing_id=1))
        emit(LaterThing(thing_id=2))
    assert drain() == 1
    failed = OutboxEvent.objects.get(payload__thing_id=1)
    assert failed.processed_at is None
    assert failed.attempts == 1
    assert failed.last_error == "ConnectionError: webhook down"
    assert drain() == 1
    failed.refresh_from_db()
    assert failed.processed_at is not None
    assert failed.last_error == ""


@pytest.mark.django_db
def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt(handled):
    def broken(event):
        raise RuntimeError("bug")

    on(LaterThing, later=True)(broken)
    with transaction.atomic():
        emit(LaterThing(thing_id=1))
    for _ in range(MAX_ATTEMPTS + 2):
        drain()
    row = OutboxEvent.objects.get()
    assert row.attempts == MAX_ATTEMPTS
    assert row.processed_at is None


@pytest.mark.django_db
def test_the_morning_tidy_drains_stragglers_and_forgets_old_handled_events(handled, settings):
    settings.TANDEM_OUTBOX_KEEP_DAYS = 30
    on(LaterThing, later=True)(handled.append)
    with transaction.atomic():
        emit(LaterThing(thing_id=1))  # its drain was lost: still pending
        emit(THING)  # handled at once
    old = timezone.now() - dt.timedelta(days=31)
    OutboxEvent.objects.update(created_at=old)
    with transaction.atomic():
        emit(THING)  # handled, and recent

    result = tidy_outbox.call("2027-04-12")

    # The straggler is handled first, then forgotten with the other old one: age counts from
    # when the event happened.
    assert result == {"period": "2027-04-12", "drained": 1, "forgotten": 2}
    assert handled == [LaterThing(thing_id=1)]
    assert list(OutboxEvent.objects.values_list("name", flat=True)) == ["tests.thing_happened"]
    assert tidy_outbox.call("2027-04-12") == {"period": "2027-04-12", "skipped": True}

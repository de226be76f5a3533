"""Sending notices once, and emailing them in batches that survive a failing mail server."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from tandem.notifications import services
from tandem.notifications.models import Notification
from tandem.people.tests.factories import UserFactory

MORNING = dt.datetime(2027, 4, 12, 7, 0, tzinfo=dt.UTC)


def notice(user, key="checkups:2027-04-12", title="3 checkups today: 3 overdue"):
    return Notification(
        recipient=user, key=key, kind="checkups", title=title, url="/checkups/", created_at=MORNING
    )


@pytest.fixture
def people(db):
    return [UserFactory(username=f"person{n}", email=f"person{n}@example.com") for n in range(3)]


def test_a_notice_already_sent_is_not_sent_again(people):
    services.do_notify_many([notice(people[0])])

    services.do_notify_many([notice(people[0], title="changed"), notice(people[1])])

    assert Notification.objects.count() == 2
    assert Notification.objects.get(recipient=people[0]).title == "3 checkups today: 3 overdue"


def test_pending_notices_are_emailed_once(people, settings):
    settings.TANDEM_SITE_URL = "https://tandem.example.com"
    services.do_notify_many(notice(person) for person in people)

    assert services.do_email_pending("checkups:2027-04-12", now=MORNING, batch_size=2) == 3
    assert services.do_email_pending("checkups:2027-04-12", now=MORNING) == 0

    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]
    assert mail.outbox[0].subject == "3 checkups today: 3 overdue"
    assert "Open it in Tandem: https://tandem.example.com/checkups/" in mail.outbox[0].body
    assert set(Notification.objects.values_list("emailed_at", flat=True)) == {MORNING}


def test_other_keys_are_left_for_their_own_job(people):
    services.do_notify_many([notice(people[0]), notice(people[1], key="digest:2027-W15")])

    assert services.do_email_pending("checkups:2027-04-12", now=MORNING) == 1
    assert Notification.objects.get(key="digest:2027-W15").emailed_at is None


class FailsOnSecondBatch(EmailBackend):
    calls = 0

    def send_messages(self, messages):
        FailsOnSecondBatch.calls += 1
        if FailsOnSecondBatch.calls == 2:
            raise ConnectionResetError("mail server went away")
        return super().send_messages(messages)


def test_a_failing_batch_leaves_it_and_the_rest_pending(people, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnSecondBatch"
    FailsOnSecondBatch.calls = 0
    services.do_notify_many(notice(person) for person in people)

    with pytest.raises(ConnectionResetError):
        services.do_email_pending("checkups:2027-04-12", now=MORNING, batch_size=2)

    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert emailed.count() == 2
    assert len(mail.outbox) == 2
    assert services.do_email_pending("checkups:2027-04-12", now=MORNING) == 1
    assert len(mail.outbox) == 3


def test_mark_all_read_counts_what_it_marked(people):
    services.do_notify_many([notice(people[0]), notice(people[0], key="other")])

    assert services.do_mark_all_read(people[0], now=MORNING) == 2
    assert services.do_mark_all_read(people[0], now=MORNING) == 0
    assert services.unread_count(people[0]) == 0

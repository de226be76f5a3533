"""The notifications endpoint: each person reads and marks read only their own."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.core.tests.api_clients import as_user, url
from tandem.notifications.models import Notification
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"


def test_anonymous_requests_to_notifications_are_refused_with_401():
    client = APIClient()

    read = client.get(NOTIFICATIONS)
    write = client.post(NOTIFICATIONS, {"title": "Sneaky"})

    assert read.status_code == 401
    assert write.status_code == 401


def _notice(recipient, title, *, read=False, minutes_ago=0):
    moment = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=recipient,
        key=f"test:{title}",
        kind="checkups",
        title=title,
        created_at=moment,
        read_at=moment if read else None,
    )


def test_each_person_reads_only_their_own_notifications(seller, other_seller):
    _notice(seller, "Mine, read", read=True, minutes_ago=5)
    _notice(seller, "Mine, new", minutes_ago=10)
    theirs = _notice(other_seller, "Theirs")
    client = as_user(seller)

    listed = client.get(NOTIFICATIONS)
    unread = client.get(f"{NOTIFICATIONS}?unread=true")
    other = client.get(url(NOTIFICATIONS, theirs))
    marked = client.post(url(NOTIFICATIONS, theirs, "read"))

    assert [n["title"] for n in listed.data["results"]] == ["Mine, new", "Mine, read"]
    assert [n["title"] for n in unread.data["results"]] == ["Mine, new"]
    assert (other.status_code, marked.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_is_marked_read_once(seller):
    notice = _notice(seller, "Checkups")
    client = as_user(seller)

    first = client.post(url(NOTIFICATIONS, notice, "read"))
    read_at = Notification.objects.get().read_at
    again = client.post(url(NOTIFICATIONS, notice, "read"))

    assert first.status_code == 200
    assert first.data["is_read"] is True
    assert again.status_code == 200
    assert Notification.objects.get().read_at == read_at


def test_reading_all_leaves_other_peoples_notifications_alone(seller, other_seller):
    _notice(seller, "One")
    _notice(seller, "Two")
    _notice(seller, "Old", read=True)
    theirs = _notice(other_seller, "Theirs")

    response = as_user(seller).post(f"{NOTIFICATIONS}read-all/")

    assert response.status_code == 200
    assert response.data == {"marked": 2}
    assert not Notification.objects.filter(recipient=seller, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("rows", [5, 50])
def test_the_notification_list_takes_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_num_queries, executive, rows
):
    for i in range(rows):
        _notice(executive, f"Notice {i}")
    _notice(UserFactory(), "Someone else's")
    client = as_user(executive)

    # Session, user, COUNT(*), the page: anyone signed in reads their own inbox, so no
    # permission is read.
    with django_assert_num_queries(4):
        response = client.get(NOTIFICATIONS)

    assert response.status_code == 200
    assert len(response.data["results"]) == rows

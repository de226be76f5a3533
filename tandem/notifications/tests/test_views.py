"""The inbox and the navbar's unread count."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from tandem.notifications.context_processors import unread_notifications
from tandem.notifications.models import Notification

INBOX = reverse("notifications:inbox")
MORNING = dt.datetime(2027, 4, 12, 7, 0, tzinfo=dt.UTC)


def notice(recipient, number: int = 1, *, read: bool = False, url: str = "/checkups/"):
    created = MORNING + dt.timedelta(days=number)
    return Notification.objects.create(
        recipient=recipient,
        key=f"test:{number}",
        kind="checkups",
        title=f"Notice {number}",
        body=f"Body {number}",
        url=url,
        created_at=created,
        read_at=created + dt.timedelta(hours=1) if read else None,
    )


def test_the_inbox_lists_unread_first_then_newest(seller_client, seller, other_seller):
    notice(seller, 1)
    notice(seller, 2, read=True)
    notice(seller, 3)
    notice(other_seller, 4)

    response = seller_client.get(INBOX)

    assert [n.title for n in response.context["page_obj"]] == ["Notice 3", "Notice 1", "Notice 2"]
    body = response.content.decode()
    assert body.count("fw-bold") == 2
    assert "Notice 4" not in body
    assert "Mark all read" in body


def test_the_navbar_shows_the_unread_count(seller_client, seller):
    notice(seller, 1)
    notice(seller, 2)
    notice(seller, 3, read=True)

    body = seller_client.get(INBOX).content.decode()

    assert 'id="nav-notifications"' in body
    assert (
        '<span class="badge rounded-pill text-bg-warning">2<span class="visually-hidden"> unread</span>'
        in body
    )


def test_no_unread_notices_shows_no_badge(seller_client, seller):
    notice(seller, 1, read=True)

    body = seller_client.get(INBOX).content.decode()

    assert "rounded-pill" not in body
    assert "Mark all read" not in body


def test_the_unread_count_costs_nothing_for_anonymous_visitors(db, django_assert_num_queries):
    request = RequestFactory().get("/login/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread_notifications(request) == {}


def test_the_unread_count_is_one_query_and_only_when_shown(seller, django_assert_num_queries):
    notice(seller, 1)
    request = RequestFactory().get("/")
    request.user = seller

    with django_assert_num_queries(0):
        context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 1
        assert bool(context["unread_notifications"])


def test_the_inbox_is_paginated(seller_client, seller):
    for number in range(30):
        notice(seller, number)

    first = seller_client.get(INBOX)
    second = seller_client.get(INBOX, {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5


@pytest.mark.parametrize("rows", [5, 50])
def test_the_inbox_runs_the_same_queries_whatever_the_data(
    seller_client, seller, rows, django_assert_num_queries
):
    for number in range(rows):
        notice(seller, number, read=number % 2 == 0)
    seller_client.get(INBOX)

    # session, user, count, the page of notices, the unread count, and the top bar's
    # permission checks (the user's own permissions, then their role group's)
    with django_assert_num_queries(7):
        seller_client.get(INBOX)


def test_an_empty_inbox_says_so(seller_client):
    body = seller_client.get(INBOX).content.decode()

    assert "No notifications yet" in body


def test_opening_a_notice_marks_it_read_and_follows_its_link(seller_client, seller):
    unread = notice(seller, 1, url="/checkups/?owner=mine")

    response = seller_client.get(reverse("notifications:notification_open", args=[unread.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/checkups/?owner=mine"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_opening_a_read_notice_keeps_its_first_reading(seller_client, seller):
    read = notice(seller, 1, read=True)
    first_read = read.read_at

    seller_client.get(reverse("notifications:notification_open", args=[read.pk]))

    read.refresh_from_db()
    assert read.read_at == first_read


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", ""])
def test_a_notice_never_sends_anyone_off_site(seller_client, seller, url):
    unsafe = notice(seller, 1, url=url)

    response = seller_client.get(reverse("notifications:notification_open", args=[unsafe.pk]))

    assert response["Location"] == INBOX


def test_someone_elses_notice_cannot_be_opened_or_marked(seller_client, other_seller):
    theirs = notice(other_seller, 1)

    opened = seller_client.get(reverse("notifications:notification_open", args=[theirs.pk]))
    marked = seller_client.post(reverse("notifications:notification_read", args=[theirs.pk]))

    assert opened.status_code == 404
    assert marked.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_one_read_replaces_its_row(seller_client, seller):
    unread = notice(seller, 1)

    response = seller_client.post(
        reverse("notifications:notification_read", args=[unread.pk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<div class="list-group-item" id="notification-{unread.pk}"')
    assert "fw-bold" not in body
    assert "Mark read" not in body
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_marking_one_read_without_javascript_returns_to_the_inbox(seller_client, seller):
    unread = notice(seller, 1)

    response = seller_client.post(reverse("notifications:notification_read", args=[unread.pk]))

    assert response["Location"] == INBOX


def test_mark_all_read_touches_only_my_unread_notices(seller_client, seller, other_seller):
    mine = [notice(seller, 1), notice(seller, 2)]
    earlier = notice(seller, 3, read=True)
    theirs = notice(other_seller, 4)

    response = seller_client.post(reverse("notifications:notification_read_all"), follow=True)

    assert "Marked 2 notices read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=earlier.pk).read_at == earlier.read_at
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_actions_only_answer_posts(seller_client, seller):
    unread = notice(seller, 1)

    assert seller_client.get(reverse("notifications:notification_read_all")).status_code == 405
    assert (
        seller_client.get(reverse("notifications:notification_read", args=[unread.pk])).status_code
        == 405
    )


def test_signed_out_visitors_go_to_the_login_page(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admins_read_notices_and_runs_but_never_write_them(admin_client_, seller):
    notice(seller, 1)

    notices = admin_client_.get(reverse("admin:notifications_notification_changelist"))
    runs = admin_client_.get(reverse("admin:core_periodicrun_changelist"))
    add = admin_client_.get(reverse("admin:notifications_notification_add"))

    assert notices.status_code == 200
    assert "Notice 1" in notices.content.decode()
    assert runs.status_code == 200
    assert add.status_code == 403

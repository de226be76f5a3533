"""The inbox and the navbar's unread count."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
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


# The bell's dropdown ------------------------------------------------------------------------

BELL = reverse("notifications:bell")


def test_the_bell_lists_my_newest_notices_each_linking_through_its_opening(
    seller_client, seller, other_seller
):
    for number in range(1, 11):
        notice(seller, number, read=number % 3 == 0)
    notice(other_seller, 20)

    response = seller_client.get(BELL)

    assert response.status_code == 200
    assert [n.title for n in response.context["latest"]] == [
        f"Notice {number}" for number in range(10, 2, -1)
    ]
    text = response.content.decode()
    assert "Notice 20" not in text
    opened = [int(pk) for pk in re.findall(r'href="/notifications/(\d+)/"', text)]
    assert opened == [n.pk for n in response.context["latest"]]
    assert response.context["unread"] == 7
    assert '<strong id="bell-unread">7 unread notices</strong>' in text
    assert '<span id="bell-count" hx-swap-oob="true"><span class="badge' in text
    assert 'href="/notifications/" class="small">See all notices' in text


def test_the_bell_the_navbar_and_the_inbox_state_the_same_unread_count(seller_client, seller):
    for number in range(1, 31):
        notice(seller, number, read=number > 26)

    bell = seller_client.get(BELL)
    inbox = seller_client.get(INBOX)

    assert bell.context["unread"] == 26
    assert '<span class="badge rounded-pill text-bg-warning">26<' in bell.content.decode()
    assert '<span class="badge rounded-pill text-bg-warning">26<' in inbox.content.decode()
    assert "26 unread" in inbox.content.decode()


def test_an_empty_bell_says_so(seller_client):
    text = seller_client.get(BELL).content.decode()

    assert "No notices yet." in text
    assert "No unread notices" in text
    assert "Mark all read" not in text


def test_mark_all_read_from_the_bell_answers_the_bell_again(seller_client, seller):
    notice(seller, 1)
    notice(seller, 2)

    response = seller_client.post(
        reverse("notifications:notification_read_all"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.context["unread"] == 0
    assert "No unread notices" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_bell_is_for_signed_in_people_and_only_answers_get(seller_client):
    assert Client().get(BELL).status_code == 302
    assert seller_client.post(BELL).status_code == 405


@pytest.mark.parametrize("rows", [3, 40])
def test_the_bell_runs_the_same_queries_whatever_the_data(
    seller_client, seller, rows, django_assert_num_queries
):
    for number in range(rows):
        notice(seller, number)
    seller_client.get(BELL)

    # session, user, the newest notices, the unread count, and the Checkups panel's
    # permissions (user, group), company days off and checkup count (in its two parts)
    with django_assert_num_queries(9):
        seller_client.get(BELL)


def test_the_bell_states_my_checkups_beside_the_notices(seller_client):
    text = seller_client.get(BELL).content.decode()

    assert 'id="bell-checkups" href="/checkups/"' in text
    assert "0 checkups of yours today" in text

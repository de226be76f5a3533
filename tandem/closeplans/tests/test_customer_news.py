"""What the customer does through the link reaches the seller: a notice per deal and hour
(bundled, also under concurrent posts), and "new from the customer" on the deal page and the
seller's Today page, since they last looked."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import CustomerActivity, PlanSeen, StepComment
from tandem.closeplans.panels import customer_news_card
from tandem.closeplans.tests.factories import av_template
from tandem.core.links import LinkRefused
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.notifications.models import Notification
from tandem.pipeline.services import do_move_deal
from tandem.pipeline.tests.factories import DealFactory, stage

# A weekday morning; every write below happens at a given moment after it.
LAID_OUT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
TEN = dt.datetime(2027, 3, 8, 10, 5, tzinfo=dt.UTC)


def make_plan(owner, name="Auditorium refit", account="Lakeside University"):
    deal = DealFactory(
        owner=owner,
        name=name,
        account=AccountFactory(name=account),
        stage=stage("Negotiation"),
        amount=Decimal("90000"),
        target_close_date=dt.date(2027, 6, 30),
    )
    StakeholderFactory(account=deal.account, influence="user")
    return services.do_apply_template(deal, av_template(f"AV for {name}"), owner, now=LAID_OUT)


@pytest.fixture
def plan(seller):
    return make_plan(seller)


@pytest.fixture
def link(plan, seller):
    return services.do_create_share_link(plan, seller, days=365, now=LAID_OUT)


def step_id(plan, title="Technical walkthrough") -> int:
    return plan.steps.get(title=title).pk


def tick(link, plan, at, title="Technical walkthrough", name="Una Userton"):
    return services.do_customer_mark_step(link, step_id(plan, title), True, name, now=at)


def comment(link, plan, at, body="See you Tuesday", title="Budget approval", name="Una Userton"):
    return services.do_customer_comment(link, step_id(plan, title), body, name, now=at)


def notices(user):
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "id"))


# The seller's notice ------------------------------------------------------------------------


def test_a_tick_through_the_link_tells_the_deals_owner_with_a_link_to_the_deal(
    link, plan, seller, other_seller
):
    tick(link, plan, TEN)

    (notice,) = notices(seller)
    assert notice.title == "Una Userton ticked off “Technical walkthrough” · Lakeside University"
    assert notice.body == "Auditorium refit:\n- Una Userton ticked off “Technical walkthrough”"
    assert notice.url == reverse("pipeline:deal_detail", args=[plan.deal_id]) + "#customer-news"
    assert notice.kind == "customer_activity"
    assert notice.read_at is None
    assert notice.created_at == TEN
    assert notices(other_seller) == []
    activity = CustomerActivity.objects.get()
    assert (activity.kind, activity.name, activity.at) == ("ticked", "Una Userton", TEN)


def test_updates_within_the_hour_make_one_notice_that_counts_them(link, plan, seller):
    tick(link, plan, TEN)
    comment(link, plan, TEN + dt.timedelta(minutes=20), body="Budget meeting is on the 14th")
    Notification.objects.update(read_at=TEN + dt.timedelta(minutes=30))
    services.do_customer_mark_step(
        link, step_id(plan), False, "Una Userton", now=TEN + dt.timedelta(minutes=50)
    )

    (notice,) = notices(seller)
    assert notice.title == "3 updates from Lakeside University on the close plan"
    assert notice.body.splitlines() == [
        "Auditorium refit:",
        "- Una Userton ticked off “Technical walkthrough”",
        "- Una Userton commented on “Budget approval”: “Budget meeting is on the 14th”",
        "- Una Userton reopened “Technical walkthrough”",
    ]
    # Brought up to date: unread again, and at the top of the bell as of the latest update.
    assert notice.read_at is None
    assert notice.created_at == TEN + dt.timedelta(minutes=50)


def test_an_update_in_the_next_hour_makes_a_new_notice(link, plan, seller):
    tick(link, plan, TEN)
    comment(link, plan, TEN + dt.timedelta(hours=1))

    first, second = notices(seller)
    assert first.title.startswith("Una Userton ticked off")
    assert second.title == "Una Userton commented on “Budget approval” · Lakeside University"
    assert first.key != second.key


def test_each_deal_gets_its_own_notice_in_the_same_hour(link, plan, seller):
    other = make_plan(seller, "Harbour screens", "Harbour Sports Club")
    other_link = services.do_create_share_link(other, seller, days=365, now=LAID_OUT)

    tick(link, plan, TEN)
    tick(other_link, other, TEN + dt.timedelta(minutes=1))

    assert [n.title.split(" · ")[1] for n in notices(seller)] == [
        "Lakeside University",
        "Harbour Sports Club",
    ]


def test_the_bundle_is_emailed_once_when_it_starts(link, plan, seller):
    seller.email = "sam@northlight.example"
    seller.save(update_fields=["email"])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, using=None: func())
        tick(link, plan, TEN)
        comment(link, plan, TEN + dt.timedelta(minutes=5))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@northlight.example"]
    assert "Una Userton ticked off" in mail.outbox[0].subject


def test_an_owner_who_left_gets_no_notice_but_the_activity_is_kept(link, plan, seller):
    seller.is_active = False
    seller.save(update_fields=["is_active"])

    tick(link, plan, TEN)

    assert notices(seller) == []
    assert CustomerActivity.objects.count() == 1


def test_what_the_link_refuses_records_nothing(link, plan, seller):
    with pytest.raises(ValidationError):
        comment(link, plan, TEN, body="   ")
    with pytest.raises(ValidationError):
        comment(link, plan, TEN, name="")
    with pytest.raises(ValidationError):
        services.do_customer_mark_step(link, step_id(plan, "Discovery call"), True, "Una", now=TEN)
    services.do_revoke_share_link(link, seller, now=TEN)
    with pytest.raises(LinkRefused):
        tick(link, plan, TEN + dt.timedelta(minutes=1))

    assert CustomerActivity.objects.count() == 0
    assert notices(seller) == []


def test_a_closed_deal_takes_no_customer_activity(link, plan, seller):
    do_move_deal(plan.deal, seller, stage("Won"))

    with pytest.raises(ValidationError, match="closed"):
        tick(link, plan, TEN)

    assert CustomerActivity.objects.count() == 0
    assert notices(seller) == []


def test_ticking_a_step_already_done_is_no_news(link, plan, seller):
    tick(link, plan, TEN)
    tick(link, plan, TEN + dt.timedelta(minutes=5))

    assert CustomerActivity.objects.count() == 1
    assert notices(seller)[0].title.startswith("Una Userton ticked off")


@pytest.mark.django_db(transaction=True)
def test_two_customer_posts_at_once_make_one_notice_that_counts_both(seller):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the key and row lock are what PostgreSQL needs")
    plan = make_plan(seller)
    link = services.do_create_share_link(plan, seller, days=365, now=LAID_OUT)
    barrier = threading.Barrier(2)
    failures = []

    def post(title, body):
        try:
            barrier.wait()
            comment(link, plan, TEN, body=body, title=title)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=("Budget approval", "Budget is in")),
        threading.Thread(target=post, args=("Contract signature", "Legal has it")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert StepComment.objects.count() == 2
    (notice,) = notices(seller)
    assert notice.title == "2 updates from Lakeside University on the close plan"


# New from the customer on the deal page -----------------------------------------------------


def deal_page(client, plan):
    return client.get(reverse("pipeline:deal_detail", args=[plan.deal_id]))


def news_lines(response) -> list[str]:
    return [activity.line for activity in response.context["customer_news"]]


def test_the_deal_page_shows_whats_new_once_and_reads_the_deals_notices(
    seller_client, link, plan, seller
):
    now = timezone.now()
    tick(link, plan, now - dt.timedelta(hours=2))
    comment(link, plan, now - dt.timedelta(minutes=5), body="Budget is in")

    first = deal_page(seller_client, plan)
    second = deal_page(seller_client, plan)

    assert news_lines(first) == [
        "Una Userton commented on “Budget approval”: “Budget is in”",
        "Una Userton ticked off “Technical walkthrough”",
    ]
    text = first.content.decode()
    assert 'id="customer-news"' in text
    assert "New from the customer" in text
    # The navbar was drawn before the notices were read: the page asks for the bell again.
    assert 'hx-trigger="load" hx-target="#bell-menu"' in text
    assert news_lines(second) == []
    assert 'id="customer-news"' not in second.content.decode()
    assert 'hx-trigger="load" hx-target="#bell-menu"' not in second.content.decode()
    assert all(n.read_at is not None for n in notices(seller))
    assert PlanSeen.objects.get(user=seller, plan=plan).seen_at >= now


def test_news_after_the_last_look_is_new_again(seller_client, link, plan):
    deal_page(seller_client, plan)
    comment(link, plan, timezone.now() + dt.timedelta(seconds=1), body="One more thing")

    response = deal_page(seller_client, plan)

    assert news_lines(response) == ["Una Userton commented on “Budget approval”: “One more thing”"]
    assert response.context["customer_news_since"] is not None


def test_each_person_has_their_own_last_look(seller_client, client, link, plan, project_manager):
    comment(link, plan, timezone.now() - dt.timedelta(minutes=1))
    deal_page(seller_client, plan)
    client.force_login(project_manager)

    response = deal_page(client, plan)

    assert len(news_lines(response)) == 1


def test_news_older_than_the_window_is_not_new(seller_client, link, plan):
    comment(link, plan, timezone.now() - dt.timedelta(days=31))

    assert news_lines(deal_page(seller_client, plan)) == []


def test_a_deal_without_a_plan_shows_no_news_panel(seller_client, seller):
    deal = DealFactory(owner=seller)

    response = seller_client.get(reverse("pipeline:deal_detail", args=[deal.pk]))

    assert response.status_code == 200
    assert response.context["customer_news"] == []
    assert PlanSeen.objects.count() == 0


def test_a_seller_who_cannot_see_the_deal_gets_no_news_and_no_marker(client, outsider, plan):
    client.force_login(outsider)

    response = deal_page(client, plan)

    assert response.status_code in (403, 404)
    assert PlanSeen.objects.count() == 0


# New from your customers on Today -----------------------------------------------------------


def card(rf, user):
    request = rf.get("/")
    request.user = user
    return customer_news_card(request, user)["today"]


def test_the_today_card_lists_the_sellers_deals_with_news_latest_first(
    rf, seller, other_seller, link, plan
):
    other = make_plan(seller, "Harbour screens", "Harbour Sports Club")
    other_link = services.do_create_share_link(other, seller, days=365, now=LAID_OUT)
    theirs = make_plan(other_seller, "Not mine", "Elsewhere Ltd")
    theirs_link = services.do_create_share_link(theirs, other_seller, days=365, now=LAID_OUT)
    now = timezone.now()
    tick(link, plan, now - dt.timedelta(hours=3))
    comment(link, plan, now - dt.timedelta(hours=2))
    comment(other_link, other, now - dt.timedelta(hours=1), name="Hal Harbour")
    comment(theirs_link, theirs, now - dt.timedelta(minutes=5))

    today = card(rf, seller)

    assert today.title == "New from your customers"
    assert today.count == 2
    assert [item.label for item in today.items] == [
        "Harbour screens · Harbour Sports Club",
        "Auditorium refit · Lakeside University",
    ]
    assert today.items[1].note == ("2 updates · latest: Una Userton commented on “Budget approval”")
    assert today.items[0].url == (
        reverse("pipeline:deal_detail", args=[other.deal_id]) + "#customer-news"
    )


def test_opening_the_deal_takes_it_off_the_today_card(rf, seller_client, seller, link, plan):
    comment(link, plan, timezone.now() - dt.timedelta(minutes=1))
    assert card(rf, seller).count == 1

    deal_page(seller_client, plan)

    today = card(rf, seller)
    assert (today.count, today.items) == (0, [])
    assert today.empty == "Nothing new on your shared plans since you last looked."


def test_the_today_card_shows_on_a_sellers_today_page_only(
    client, seller, project_manager, link, plan
):
    comment(link, plan, timezone.now() - dt.timedelta(minutes=1))

    client.force_login(seller)
    assert "New from your customers" in client.get("/").content.decode()
    client.force_login(project_manager)
    assert "New from your customers" not in client.get("/").content.decode()


@pytest.mark.parametrize("deals", [1, 12])
def test_the_today_card_reads_three_queries_whatever_the_data(rf, seller, deals):
    now = timezone.now()
    for number in range(deals):
        plan = make_plan(seller, f"Deal {number}", f"Account {number}")
        link = services.do_create_share_link(plan, seller, days=365, now=LAID_OUT)
        for minutes in (30, 20, 10):
            comment(link, plan, now - dt.timedelta(minutes=minutes + number))

    with CaptureQueriesContext(connection) as queries:
        today = card(rf, seller)

    # the plans with news lately, the user's deals among them (grouped), then the latest
    # activity of the deals shown
    assert len(queries) == 3
    assert today.count == deals
    assert len(today.items) == min(deals, 5)


@pytest.mark.parametrize("updates", [1, 30])
def test_the_deal_panel_reads_the_same_queries_whatever_the_news(rf, seller, link, plan, updates):
    from tandem.closeplans.panels import customer_news

    now = timezone.now()
    for minutes in range(updates):
        comment(link, plan, now - dt.timedelta(minutes=minutes + 1), body=f"Note {minutes}")
    request = rf.get("/")
    request.user = seller

    with CaptureQueriesContext(connection) as queries:
        context = customer_news(request, plan.deal)

    # the plan, the last look (read, then written), the deal's notices read, and the news
    # with their steps and comments (the savepoint of the marking is not a query)
    assert len([q for q in queries if "SAVEPOINT" not in q["sql"]]) == 5
    assert len(context["customer_news"]) == min(updates, 20)
    assert context["customer_news_refresh_bell"] is True


def test_the_today_card_reads_one_query_when_no_customer_did_anything(rf, seller):
    make_plan(seller, "Quiet deal", "Quiet account")

    with CaptureQueriesContext(connection) as queries:
        today = card(rf, seller)

    assert len(queries) == 1
    assert today.count == 0

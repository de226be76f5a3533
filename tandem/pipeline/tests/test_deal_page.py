"""The deal page: its lost, nurture and reopen forms keep what was typed; activity is logged
in place; the history reads like the page; the people who decide are named; the page's
queries do not grow with the deal's history, activities or people."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.crm.tests.factories import ContactFactory, StakeholderFactory
from tandem.pipeline import services
from tandem.pipeline.models import Activity
from tandem.pipeline.tests.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, name="Kestrel booth", amount=Decimal("340000.00"))


def _client(client, user):
    client.force_login(user)
    return client


# --- lost, nurture, reopen: input kept, errors beside the field ----------------------------


def test_marking_lost_without_a_reason_keeps_the_note_and_says_why_beside_the_field(
    seller_client, deal
):
    response = seller_client.post(
        reverse("pipeline:deal_lost", args=[deal.pk]),
        {"lost_reason": "", "lost_note": "They went with the rental house down the road"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Say why the deal was lost." in body
    assert "They went with the rental house down the road" in body
    assert (
        'id="lost-modal" tabindex="-1" aria-labelledby="lost-title" aria-hidden="true" data-show-on-load'
        in body
    )
    deal.refresh_from_db()
    assert deal.stage.name == "Discovery"


def test_marking_lost_with_a_reason_that_does_not_exist_is_refused(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_lost", args=[deal.pk]), {"lost_reason": "bored", "lost_note": "x"}
    )

    assert response.status_code == 400
    assert "Choose one of the options in the list." in response.content.decode()


def test_marking_lost_works_and_goes_back_to_the_deal(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_lost", args=[deal.pk]), {"lost_reason": "price", "lost_note": ""}
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage.is_lost


def test_nurturing_a_deal_already_in_nurture_says_so_above_the_page(seller_client, deal, seller):
    services.do_nurture(deal, seller, "Check back in spring")

    response = seller_client.post(
        reverse("pipeline:deal_nurture", args=[deal.pk]), {"note": "Call after the budget"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="action-errors"' in body
    assert "in nurture already" in body


def test_reopening_into_a_stage_that_does_not_exist_says_why_beside_the_stage(
    seller_client, deal, seller
):
    services.do_mark_lost(deal, seller, reason="price")

    response = seller_client.post(reverse("pipeline:deal_reopen", args=[deal.pk]), {"stage": "999"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="reopen-form"' in body
    assert "That choice is not available" in body
    deal.refresh_from_db()
    assert deal.stage.is_lost


def test_reopening_into_the_lost_stage_is_refused_and_the_choice_kept(seller_client, deal, seller):
    services.do_mark_lost(deal, seller, reason="price")

    response = seller_client.post(
        reverse("pipeline:deal_reopen", args=[deal.pk]), {"stage": stage("Won").pk}
    )

    assert response.status_code == 400
    assert "That choice is not available" in response.content.decode()


def test_another_seller_cannot_mark_my_deal_lost(client, other_seller, deal):
    response = _client(client, other_seller).post(
        reverse("pipeline:deal_lost", args=[deal.pk]), {"lost_reason": "price"}
    )

    assert response.status_code == 403
    deal.refresh_from_db()
    assert not deal.stage.is_closed


# --- log activity in place ------------------------------------------------------------------


def test_log_activity_in_place_answers_with_the_section_and_the_new_entry(
    seller_client, deal, seller
):
    champion = StakeholderFactory(account=deal.account).contact

    response = seller_client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {
            "kind": "call",
            "subject": "Half-booth budget call",
            "occurred_at": "2026-11-02T10:30",
            "contacts": [champion.pk],
            "body": "They want both ranges by Friday.",
        },
        **HTMX,
    )

    body = response.content.decode()
    activity = Activity.objects.get()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="card-section" id="activity">')
    assert "Logged: Half-booth budget call" in body
    assert activity.deal == deal
    assert activity.account == deal.account
    assert list(activity.contacts.all()) == [champion]
    assert list(activity.attendees.all()) == [seller]


def test_log_activity_in_place_keeps_what_was_typed_when_refused(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {"kind": "call", "subject": "", "occurred_at": "not a time", "body": "Notes to keep"},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert '<details id="log-activity" class="mb-3" open>' in body
    assert "Fill this in." in body
    assert "Enter a date and time like 2026-12-31 14:30." in body
    assert "Notes to keep" in body
    assert Activity.objects.count() == 0


def test_log_activity_without_javascript_goes_back_to_the_deal(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {"kind": "note", "subject": "Sent both ranges", "occurred_at": "2026-11-02T10:30"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{deal.get_absolute_url()}#activity"
    assert Activity.objects.get().deal == deal


def test_log_activity_without_javascript_shows_the_deal_again_when_refused(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {"kind": "gossip", "subject": "Kept subject", "occurred_at": "2026-11-02T10:30"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Kestrel booth" in body
    assert "Choose one of the options in the list." in body
    assert 'value="Kept subject"' in body


def test_a_contact_of_another_account_cannot_be_named_on_the_deal(seller_client, deal):
    stranger = ContactFactory()

    response = seller_client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {
            "kind": "note",
            "subject": "x",
            "occurred_at": "2026-11-02T10:30",
            "contacts": [stranger.pk],
        },
        **HTMX,
    )

    assert "That choice is not available" in response.content.decode()
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("persona", ["finance", "crew"])
def test_read_only_roles_neither_see_nor_use_log_activity(client, deal, persona, request):
    user = request.getfixturevalue(persona)
    client = _client(client, user)

    page = client.get(deal.get_absolute_url()).content.decode()
    post = client.post(
        reverse("pipeline:deal_log_activity", args=[deal.pk]),
        {"kind": "note", "subject": "x", "occurred_at": "2026-11-02T10:30"},
    )

    assert "Log activity" not in page
    assert post.status_code == 403
    assert Activity.objects.count() == 0


def test_the_deal_page_no_longer_sends_log_activity_to_the_account(seller_client, deal):
    body = seller_client.get(deal.get_absolute_url()).content.decode()

    assert "#log-activity" not in body
    assert reverse("pipeline:deal_log_activity", args=[deal.pk]) in body


# --- history, stakeholders ------------------------------------------------------------------


def test_the_history_shows_money_dates_and_names_as_the_page_does(seller_client, deal, seller):
    services.do_update_deal(
        deal,
        seller,
        {"amount": Decimal("215039.97"), "requested_delivery_date": dt.date(2027, 3, 5)},
    )
    services.do_move_deal(deal, seller, stage("Proposal"))

    body = seller_client.get(deal.get_absolute_url()).content.decode()

    assert "$340,000</span> → $215,040" in body
    assert "215039.97" not in body
    assert "→ 5 Mar 2027" in body
    assert "Discovery</span> → Proposal" in body
    # The move set the stage's probability: a percentage, as the page shows it.
    assert re.search(r"\b\d+%</span> → \d+%", body)


def test_the_deal_page_names_who_decides_first_and_leaves_out_who_left(seller_client, deal):
    StakeholderFactory(account=deal.account, influence="user", contact__last_name="Aaron")
    StakeholderFactory(account=deal.account, influence="decision_maker", contact__last_name="Zed")
    StakeholderFactory(account=deal.account, influence="champion", contact__last_name="Mid")
    StakeholderFactory(
        account=deal.account,
        influence="decision_maker",
        contact__last_name="Gone",
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )

    response = seller_client.get(deal.get_absolute_url())

    names = [s.contact.last_name for s in response.context["stakeholders"]]
    assert names == ["Zed", "Mid", "Aaron"]
    assert "Decision maker" in response.content.decode()


def test_the_history_is_below_the_activity_and_the_people_not_beside_them(seller_client, deal):
    body = seller_client.get(deal.get_absolute_url()).content.decode()

    assert (
        body.index('id="activity"') < body.index('id="stakeholders"') < body.index('id="history"')
    )


def test_the_deal_page_queries_do_not_grow_with_history_activities_or_people(
    seller_client, deal, seller
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert seller_client.get(deal.get_absolute_url()).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        StakeholderFactory(account=deal.account)
        ActivityFactory(account=deal.account, deal=deal, author=seller)
        services.do_update_deal(deal, seller, {"amount": Decimal(1000 + n)})
        services.do_change_close_date(deal, seller, deal.target_close_date - dt.timedelta(days=1))

    # One of each first: an empty list skips its prefetches.
    add(0)
    seller_client.get(deal.get_absolute_url())  # warm the session and permission caches
    few = queries()
    for n in range(1, 9):
        add(n)
    many = queries()

    assert few == many


# --- the board's locked cards, the deal list on a phone -------------------------------------


def test_a_card_the_user_cannot_move_is_locked_and_says_whose_it_is(seller_client, other_seller):
    theirs = DealFactory(owner=other_seller, name="Their booth")

    body = seller_client.get(reverse("pipeline:board")).content.decode()

    card = body[body.index(f'id="deal-{theirs.pk}"') :]
    card = card[: card.index("</article>")]
    assert 'data-locked="1"' in card
    assert f"{other_seller.name}'s deal: only {other_seller.name} or a manager can move it" in (
        card.replace("&#x27;", "'")
    )
    assert "bi-lock-fill" in card


def test_a_card_the_user_can_move_has_no_lock(seller_client, deal):
    body = seller_client.get(reverse("pipeline:board")).content.decode()

    card = body[body.index(f'id="deal-{deal.pk}"') :]
    card = card[: card.index("</article>")]
    assert "data-locked" not in card
    assert "bi-lock-fill" not in card


def test_a_manager_sees_no_lock_on_anyones_card(pm_client, other_seller):
    theirs = DealFactory(owner=other_seller)

    body = pm_client.get(reverse("pipeline:board")).content.decode()

    card = body[body.index(f'id="deal-{theirs.pk}"') :]
    assert "data-locked" not in card[: card.index("</article>")]


def test_the_deal_list_puts_amount_and_close_date_under_the_name_for_phones(seller_client, deal):
    body = seller_client.get(reverse("pipeline:deal_list")).content.decode()

    line = body[body.index('class="d-sm-none small deal-phone-line"') :]
    line = line[: line.index("</td>")]
    assert "$340,000" in line
    assert f"closes {deal.target_close_date.day} {deal.target_close_date:%b %Y}" in line
    assert deal.account.name in line

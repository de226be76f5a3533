import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline.models import CloseDateChange, Deal
from tandem.pipeline.services import do_change_close_date
from tandem.pipeline.tests.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db


def _deals(n, **kwargs):
    return DealFactory.create_batch(n, **kwargs)


# --- personas: who may see and do what ------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["pipeline:board", "pipeline:deal_list", "pipeline:deal_create"]
)
def test_an_outsider_is_sent_to_the_login_page(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_outsider_cannot_see_a_deal(client):
    deal = DealFactory()

    response = client.get(deal.get_absolute_url())

    assert response.status_code == 302
    assert deal.name not in response.content.decode()


def test_finance_reads_the_board_but_cannot_open_deals(finance_client):
    deal = DealFactory()

    board = finance_client.get(reverse("pipeline:board"))
    create = finance_client.get(reverse("pipeline:deal_create"))

    assert board.status_code == 200
    assert deal.name in board.content.decode()
    assert create.status_code == 403


def test_a_seller_cannot_edit_someone_elses_deal(seller_client, other_seller):
    deal = DealFactory(owner=other_seller)

    page = seller_client.get(reverse("pipeline:deal_edit", args=[deal.pk]))
    post = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": "2030-01-01", "reason": "mine now"},
    )

    assert page.status_code == 403
    assert post.status_code == 403
    assert CloseDateChange.objects.count() == 0


def test_a_project_manager_edits_any_deal(pm_client, other_seller):
    deal = DealFactory(owner=other_seller)
    later = deal.target_close_date + dt.timedelta(days=14)

    response = pm_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": later.isoformat(), "reason": "Venue moved the load-in"},
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.target_close_date == later


def test_unknown_deal_is_a_404(seller_client):
    assert seller_client.get(reverse("pipeline:deal_detail", args=[999999])).status_code == 404


# --- the board ------------------------------------------------------------------------------


def test_the_board_shows_counts_amounts_and_weighted_amounts(seller_client, seller):
    DealFactory(owner=seller, stage=stage("Proposal"), amount=Decimal("100000"), probability=40)
    DealFactory(owner=seller, stage=stage("Proposal"), amount=Decimal("50000"), probability=40)

    response = seller_client.get(reverse("pipeline:board"))

    proposal = next(c for c in response.context["columns"] if c.stage.name == "Proposal")
    assert proposal.count == 2
    assert proposal.amount == Decimal("150000")
    assert proposal.weighted == Decimal("60000")
    assert "$150k" in response.content.decode()


def test_the_board_shows_recent_closes_only(seller_client, seller):
    today = dt.date.today()
    DealFactory(
        owner=seller,
        name="Won last month",
        stage=stage("Won"),
        closed_on=today - dt.timedelta(days=30),
    )
    DealFactory(
        owner=seller,
        name="Won last year",
        stage=stage("Won"),
        closed_on=today - dt.timedelta(days=400),
    )

    response = seller_client.get(reverse("pipeline:board"))

    won = next(c for c in response.context["columns"] if c.stage.name == "Won")
    assert won.count == 1
    assert [d.name for d in won.cards] == ["Won last month"]


def test_the_board_leaves_nurtured_deals_out(seller_client, seller):
    DealFactory(owner=seller, name="Sleeping giant", nurture=True)

    response = seller_client.get(reverse("pipeline:board"))

    assert "Sleeping giant" not in response.content.decode()


def test_the_board_filters_by_owner(seller_client, seller, other_seller):
    DealFactory(owner=seller, name="Mine")
    DealFactory(owner=other_seller, name="Theirs")

    response = seller_client.get(reverse("pipeline:board"), {"owner": seller.pk})

    body = response.content.decode()
    assert "Mine" in body
    assert "Theirs" not in body


@pytest.mark.parametrize("rows", [5, 50])
def test_the_board_runs_the_same_queries_whatever_the_data(
    seller_client, seller, rows, django_assert_num_queries
):
    _deals(rows, owner=seller)
    seller_client.get(reverse("pipeline:board"))  # warm the session and permission caches

    # session, user, permissions (user, group), owner choices, stages, totals, and the cards
    # of each of the seven stages (one query a column: a number fixed by the pipeline's shape),
    # the cards' close plans, the navbar's unread count
    with django_assert_num_queries(16):
        seller_client.get(reverse("pipeline:board"))


def test_dragging_a_card_moves_the_deal_and_updates_both_columns(seller_client, seller):
    deal = DealFactory(owner=seller, stage=stage("Discovery"))

    response = seller_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": stage("Proposal").pk},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    deal.refresh_from_db()
    assert deal.stage.name == "Proposal"
    assert deal.probability == 40
    assert f'id="column-header-{stage("Discovery").pk}" hx-swap-oob="true"' in body
    assert f'id="column-header-{stage("Proposal").pk}" hx-swap-oob="true"' in body
    assert "data-refused" not in body


def test_a_refused_drag_says_why_and_changes_nothing(seller_client, seller):
    deal = DealFactory(owner=seller, stage=stage("Discovery"))

    response = seller_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": stage("Lost").pk},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "dealMoveRefused"
    assert "data-refused" in body
    assert "A lost deal needs a reason" in body
    deal.refresh_from_db()
    assert deal.stage.name == "Discovery"


def test_dragging_someone_elses_card_is_refused(seller_client, other_seller):
    deal = DealFactory(owner=other_seller, stage=stage("Discovery"))

    response = seller_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": stage("Proposal").pk},
        HTTP_HX_REQUEST="true",
    )

    assert "Only the deal&#x27;s owner or a manager" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage.name == "Discovery"


def test_a_move_to_a_stage_that_does_not_exist_is_refused(seller_client, seller):
    deal = DealFactory(owner=seller)

    response = seller_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]), {"stage": "abc"}, HTTP_HX_REQUEST="true"
    )

    assert "Pick a stage that exists" in response.content.decode()


# --- the deal list --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_the_deal_list_runs_the_same_queries_whatever_the_data(
    seller_client, seller, rows, django_assert_num_queries
):
    _deals(rows, owner=seller)
    seller_client.get(reverse("pipeline:deal_list"))

    # session, user, permissions (user, group), count, page, owner and stage choices, the
    # navbar's unread count
    with django_assert_num_queries(9):
        seller_client.get(reverse("pipeline:deal_list"), {"sort": "-amount"})


def test_the_deal_list_sorts_and_paginates(seller_client, seller):
    for amount in range(60):
        DealFactory(owner=seller, amount=Decimal(amount * 1000), name=f"D{amount:02}")

    first = seller_client.get(reverse("pipeline:deal_list"), {"sort": "-amount"})
    second = seller_client.get(reverse("pipeline:deal_list"), {"sort": "-amount", "page": 2})

    assert [d.name for d in first.context["page_obj"]][:2] == ["D59", "D58"]
    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 10


def test_an_unknown_sort_falls_back_to_close_date(seller_client, seller):
    _deals(3, owner=seller)

    response = seller_client.get(reverse("pipeline:deal_list"), {"sort": "password"})

    assert response.status_code == 200
    assert response.context["sort"] == "close"


def test_a_bad_filter_value_shows_an_error_not_a_crash(seller_client):
    response = seller_client.get(reverse("pipeline:deal_list"), {"close_after": "31/31/2020"})

    assert response.status_code == 200
    assert "Enter a date like 2026-12-31." in response.content.decode()


# --- the deal page --------------------------------------------------------------------------


def test_the_deal_page_shows_its_close_date_history(seller_client, seller):
    deal = DealFactory(owner=seller)
    later = deal.target_close_date + dt.timedelta(days=21)
    do_change_close_date(deal, seller, later, "Board approval slipped to next month")

    response = seller_client.get(deal.get_absolute_url())

    body = response.content.decode()
    assert "Board approval slipped to next month" in body
    assert "+21 d" in body


def test_changing_the_close_date_later_without_a_reason_is_refused(seller_client, seller):
    deal = DealFactory(owner=seller)
    later = deal.target_close_date + dt.timedelta(days=7)

    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": later.isoformat(), "reason": ""},
        follow=True,
    )

    assert "Say why the close date moves later" in response.content.decode()
    deal.refresh_from_db()
    assert deal.target_close_date != later


def test_a_close_date_that_is_not_a_date_is_refused(seller_client, seller):
    deal = DealFactory(owner=seller)

    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": "soon", "reason": "x"},
        follow=True,
    )

    assert "Enter a date like 2026-12-31." in response.content.decode()


def test_marking_lost_needs_a_reason(seller_client, seller):
    deal = DealFactory(owner=seller)

    seller_client.post(reverse("pipeline:deal_lost", args=[deal.pk]), {"lost_reason": ""})
    deal.refresh_from_db()
    assert not deal.stage.is_lost

    seller_client.post(
        reverse("pipeline:deal_lost", args=[deal.pk]),
        {"lost_reason": "competitor", "lost_note": "Went with the incumbent"},
    )
    deal.refresh_from_db()
    assert deal.stage.is_lost
    assert deal.lost_reason == "competitor"


def test_nurture_takes_a_deal_off_the_board_and_return_brings_it_back(seller_client, seller):
    deal = DealFactory(owner=seller)

    seller_client.post(reverse("pipeline:deal_nurture", args=[deal.pk]), {"note": "Q3 budget"})
    deal.refresh_from_db()
    assert deal.nurture is True
    seller_client.post(reverse("pipeline:deal_return", args=[deal.pk]))
    deal.refresh_from_db()
    assert deal.nurture is False


def test_the_deal_page_shows_its_change_history(seller_client, seller):
    deal = DealFactory(owner=seller, stage=stage("Discovery"))
    seller_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]), {"stage": stage("Proposal").pk}
    )

    response = seller_client.get(deal.get_absolute_url())

    entries = response.context["history"]
    assert entries[0].who == seller.name
    assert [(c.label, c.old, c.new) for c in entries[0].changes if c.label == "Stage"] == [
        ("Stage", "Discovery", "Proposal")
    ]


def test_the_deal_page_lists_activities_on_the_deal(seller_client, seller):
    deal = DealFactory(owner=seller)
    ActivityFactory(account=deal.account, deal=deal, subject="Walkthrough at the venue")

    response = seller_client.get(deal.get_absolute_url())

    assert "Walkthrough at the venue" in response.content.decode()


# --- create and edit ------------------------------------------------------------------------


def test_a_seller_opens_a_deal_they_own(seller_client, seller):
    account = AccountFactory()
    close = dt.date.today() + dt.timedelta(days=30)

    response = seller_client.post(
        reverse("pipeline:deal_create"),
        {
            "name": "Lobby video wall",
            "account": account.pk,
            "amount": "85000",
            "target_close_date": close.isoformat(),
            "forecast_category": "pipeline",
            "project_type": "av_installation",
            "stage": stage("Qualify").pk,
        },
    )

    deal = Deal.objects.get(name="Lobby video wall")
    assert response.status_code == 302
    assert deal.owner == seller
    assert deal.probability == 10
    assert deal.currency == "USD"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "abc", "Enter a number, like 1250 or 1250.50."),
        ("amount", "-5", "The amount must be zero or more"),
        ("account", "999999", "That account does not exist"),
        ("target_close_date", "2001-01-01", "cannot be before the deal was created"),
        ("name", "", "Fill this in."),
    ],
)
def test_bad_input_on_a_new_deal_is_explained_and_nothing_is_saved(
    seller_client, field, value, message
):
    data = {
        "name": "Lobby video wall",
        "account": AccountFactory().pk,
        "amount": "85000",
        "target_close_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "forecast_category": "pipeline",
        "project_type": "av_installation",
        "stage": stage("Qualify").pk,
    }
    data[field] = value

    response = seller_client.post(reverse("pipeline:deal_create"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Deal.objects.count() == 0


def test_a_stale_edit_is_refused_and_the_other_change_kept(seller_client, seller, project_manager):
    deal = DealFactory(owner=seller, name="Original")
    page = seller_client.get(reverse("pipeline:deal_edit", args=[deal.pk]))
    version = page.context["form"].initial["version"]
    from tandem.pipeline.services import do_update_deal

    do_update_deal(deal, project_manager, {"name": "Renamed by Pat"})

    response = seller_client.post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        {
            "name": "Renamed by Sam",
            "account": deal.account_id,
            "amount": "1",
            "target_close_date": deal.target_close_date.isoformat(),
            "forecast_category": "pipeline",
            "project_type": "av_installation",
            "version": version,
        },
    )

    assert "Someone else changed this" in response.content.decode()
    deal.refresh_from_db()
    assert deal.name == "Renamed by Pat"


def test_editing_the_close_date_later_asks_why(seller_client, seller):
    deal = DealFactory(owner=seller)
    later = deal.target_close_date + dt.timedelta(days=10)
    data = {
        "name": deal.name,
        "account": deal.account_id,
        "amount": "50000",
        "target_close_date": later.isoformat(),
        "forecast_category": "pipeline",
        "project_type": "av_installation",
    }

    refused = seller_client.post(reverse("pipeline:deal_edit", args=[deal.pk]), data)
    data["close_date_reason"] = "Customer asked for two more weeks"
    accepted = seller_client.post(reverse("pipeline:deal_edit", args=[deal.pk]), data)

    assert "Say why the close date moves later" in refused.content.decode()
    assert accepted.status_code == 302
    change = CloseDateChange.objects.get(deal=deal)
    assert change.reason == "Customer asked for two more weeks"
    assert change.changed_by == seller


def test_board_card_links_match_the_deal_urls(seller_client, seller):
    deal = DealFactory(owner=seller)

    body = seller_client.get(reverse("pipeline:board")).content.decode()

    assert f'href="{deal.get_absolute_url()}"' in body
    assert f'data-move-url="{reverse("pipeline:deal_move", args=[deal.pk])}"' in body

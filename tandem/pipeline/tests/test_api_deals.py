"""The deal endpoints: list, create, edit and the actions of the deal page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.core.periods import period_bounds
from tandem.core.services import version_of
from tandem.core.tests.api_clients import DEALS, as_user, deal_url, names
from tandem.crm.tests.factories import (
    AccountFactory,
)
from tandem.pipeline import services
from tandem.pipeline.models import CloseDateChange, Deal
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db


# Listing deals


@pytest.fixture
def board(seller, other_seller):
    today = timezone.localdate()
    next_quarter_start, _ = period_bounds("next_quarter", today)
    lakeside = AccountFactory(name="Lakeside Arena")
    DealFactory(
        name="Auditorium refit",
        owner=seller,
        target_close_date=today,
        forecast_category="commit",
    )
    DealFactory(
        name="Summit staging",
        owner=other_seller,
        account=lakeside,
        target_close_date=next_quarter_start,
        project_type="event_staging",
        forecast_category="best_case",
    )
    # Past any next quarter, so that only the status filters find these three.
    far = today + dt.timedelta(days=400)
    DealFactory(
        name="Signed lobby screens", owner=seller, stage=stage("Won"), target_close_date=far
    )
    DealFactory(
        name="Gone to a rival", owner=other_seller, stage=stage("Lost"), target_close_date=far
    )
    DealFactory(name="Someday maybe", owner=seller, nurture=True, target_close_date=far)
    DealFactory(
        name="Slipped boardroom", owner=seller, target_close_date=today - dt.timedelta(days=3)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner={other_seller}", {"Summit staging", "Gone to a rival"}),
        ("close_period=next_quarter", {"Summit staging"}),
        ("close_period=overdue", {"Slipped boardroom"}),
        ("project_type=event_staging", {"Summit staging"}),
        ("forecast_category=commit", {"Auditorium refit"}),
        ("status=won", {"Signed lobby screens"}),
        ("status=lost", {"Gone to a rival"}),
        ("status=nurture", {"Someday maybe"}),
        (
            "status=open",
            {"Auditorium refit", "Summit staging", "Slipped boardroom"},
        ),
        ("q=lakeside", {"Summit staging"}),
        ("q=boardroom", {"Slipped boardroom"}),
        ("owner={other_seller}&status=open", {"Summit staging"}),
    ],
)
def test_the_deal_list_filters_like_the_pages(board, seller, other_seller, query, expected):
    url = f"{DEALS}?{query.format(other_seller=other_seller.pk)}"

    response = as_user(seller).get(url)

    assert response.status_code == 200
    assert names(response) == expected
    assert response.data["count"] == len(expected)


def test_an_unknown_filter_value_is_a_400(seller):
    response = as_user(seller).get(f"{DEALS}?status=sideways")

    assert response.status_code == 400
    assert set(response.data) == {"status"}


def test_the_deal_list_orders_by_a_field_on_request(seller):
    DealFactory(name="Small", amount=Decimal("10.00"))
    DealFactory(name="Large", amount=Decimal("900.00"))
    DealFactory(name="Medium", amount=Decimal("300.00"))

    response = as_user(seller).get(f"{DEALS}?ordering=-amount")

    assert [row["name"] for row in response.data["results"]] == ["Large", "Medium", "Small"]


def test_the_deal_list_pages_by_the_requested_size(seller):
    DealFactory.create_batch(7)
    client = as_user(seller)

    first = client.get(f"{DEALS}?page_size=5")
    second = client.get(first.data["next"])

    assert first.data["count"] == 7
    assert len(first.data["results"]) == 5
    assert len(second.data["results"]) == 2
    assert second.data["next"] is None
    assert {r["id"] for r in first.data["results"]}.isdisjoint(
        {r["id"] for r in second.data["results"]}
    )


def test_a_deal_reads_with_names_weighted_amount_and_version(seller):
    deal = DealFactory(
        owner=seller,
        account=AccountFactory(name="Lakeside Arena"),
        amount=Decimal("12500.00"),
        probability=20,
    )

    response = as_user(seller).get(deal_url(deal))

    assert response.status_code == 200
    assert response.data["account_name"] == "Lakeside Arena"
    assert response.data["owner"] == seller.pk
    assert response.data["owner_name"] == "Sam Seller"
    assert response.data["stage_name"] == "Discovery"
    assert response.data["amount"] == "12500.00"
    assert response.data["weighted_amount"] == "2500.00"
    assert response.data["version"] == version_of(deal)
    assert response.data["url"] == f"http://testserver{deal_url(deal)}"
    assert "close_date_reason" not in response.data


def test_an_unknown_deal_is_a_404(seller):
    response = as_user(seller).get(f"{DEALS}999999/")

    assert response.status_code == 404


# Creating deals


def test_a_seller_opens_a_deal_in_the_first_stage_owned_by_themselves(seller):
    account = AccountFactory()
    close = timezone.localdate() + dt.timedelta(days=30)

    response = as_user(seller).post(
        DEALS,
        {
            "name": "Ballroom sound",
            "account": account.pk,
            "target_close_date": close.isoformat(),
            "amount": "12500.50",
            "project_type": "event_staging",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    deal = Deal.objects.get()
    assert deal.owner == seller
    assert deal.stage == stage("Qualify")
    assert deal.probability == 10
    assert deal.currency == "USD"
    assert deal.amount == Decimal("12500.50")
    assert deal.target_close_date == close
    assert response.data["id"] == deal.pk
    assert response.data["owner_name"] == "Sam Seller"
    assert response.data["weighted_amount"] == "1250.05"
    assert response.data["version"] == version_of(deal)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"name": None}, "name"),
        ({"target_close_date": "yesterday"}, "target_close_date"),
        ({"target_close_date": "not a date"}, "target_close_date"),
        ({"account": 999999}, "account"),
        ({"account": "lakeside"}, "account"),
        ({"stage": 999999}, "stage"),
        ({"probability": 101}, "probability"),
        ({"project_type": "juggling"}, "project_type"),
    ],
)
def test_a_deal_with_bad_input_is_refused_field_by_field(seller, change, field):
    today = timezone.localdate()
    data = {
        "name": "Ballroom sound",
        "account": AccountFactory().pk,
        "target_close_date": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(change)
    if data["target_close_date"] == "yesterday":
        data["target_close_date"] = (today - dt.timedelta(days=1)).isoformat()
    data = {key: value for key, value in data.items() if value is not None}

    response = as_user(seller).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert Deal.objects.count() == 0


def test_an_unknown_account_says_which_id_does_not_exist(seller):
    response = as_user(seller).post(
        DEALS,
        {"name": "Ghost", "account": 999999, "target_close_date": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["account"] == ["Nothing with id 999999 exists, or you may not see it."]


def test_a_close_date_before_the_deal_exists_is_refused_with_the_services_message(seller):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = as_user(seller).post(
        DEALS,
        {"name": "Late", "account": AccountFactory().pk, "target_close_date": yesterday},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["target_close_date"][0].startswith(
        "The close date cannot be before the deal was created"
    )


def test_a_new_deal_cannot_start_won(seller):
    response = as_user(seller).post(
        DEALS,
        {
            "name": "Too easy",
            "account": AccountFactory().pk,
            "target_close_date": "2099-01-01",
            "stage": stage("Won").pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"stage": ["A new deal starts in an open stage."]}
    assert Deal.objects.count() == 0


def test_finance_cannot_open_a_deal(finance):
    response = as_user(finance).post(
        DEALS,
        {"name": "Audit", "account": AccountFactory().pk, "target_close_date": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 403
    assert response.data["detail"] == "Your role cannot open deals."
    assert Deal.objects.count() == 0


def test_deals_cannot_be_deleted(admin_user):
    deal = DealFactory()

    response = as_user(admin_user).delete(deal_url(deal))

    assert response.status_code == 405
    assert Deal.objects.filter(pk=deal.pk).exists()


# Editing deals


def test_a_seller_cannot_edit_someone_elses_deal(seller, other_seller):
    deal = DealFactory(owner=other_seller, name="Theirs")

    response = as_user(seller).patch(deal_url(deal), {"name": "Mine now"}, format="json")

    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.name == "Theirs"


def test_a_seller_edits_their_own_deal(seller):
    deal = DealFactory(owner=seller, amount=Decimal("1000.00"))

    response = as_user(seller).patch(
        deal_url(deal), {"amount": "2500.00", "next_step": "Site visit"}, format="json"
    )

    assert response.status_code == 200, response.data
    deal.refresh_from_db()
    assert deal.amount == Decimal("2500.00")
    assert deal.next_step == "Site visit"
    assert response.data["version"] == version_of(deal)


def test_a_project_manager_edits_any_deal(project_manager, seller):
    deal = DealFactory(owner=seller)

    response = as_user(project_manager).patch(
        deal_url(deal), {"forecast_category": "commit"}, format="json"
    )

    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.forecast_category == "commit"


@pytest.mark.parametrize("persona", ["finance", "other_seller"])
def test_read_only_personas_cannot_use_deal_actions(request, persona, seller):
    deal = DealFactory(owner=seller)
    client = as_user(request.getfixturevalue(persona))

    responses = [
        client.post(deal_url(deal, "move"), {"stage": stage("Proposal").pk}),
        client.post(deal_url(deal, "lost"), {"lost_reason": "price"}),
        client.post(deal_url(deal, "nurture"), {}),
        client.put(deal_url(deal), {}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")
    assert deal.nurture is False


def test_an_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(seller):
    deal = DealFactory(owner=seller, name="Original", amount=Decimal("100.00"))
    client = as_user(seller)
    read = client.get(deal_url(deal)).data["version"]
    services.do_update_deal(deal, seller, {"next_step": "Someone else was here"})

    response = client.patch(
        deal_url(deal), {"name": "Mine", "amount": "999.00", "version": read}, format="json"
    )

    assert response.status_code == 409
    assert response.data["detail"].startswith("Someone else changed this since you opened it.")
    deal.refresh_from_db()
    assert (deal.name, deal.amount) == ("Original", Decimal("100.00"))


def test_moving_the_close_date_later_through_an_edit_needs_a_reason(seller):
    deal = DealFactory(owner=seller, name="Original")
    later = deal.target_close_date + dt.timedelta(days=14)

    response = as_user(seller).patch(
        deal_url(deal), {"name": "Renamed", "target_close_date": later}, format="json"
    )

    assert response.status_code == 400
    assert set(response.data) == {"close_date_reason"}
    deal.refresh_from_db()
    assert (deal.name, deal.target_close_date) == ("Original", later - dt.timedelta(days=14))
    assert CloseDateChange.objects.count() == 0


def test_moving_the_close_date_later_through_an_edit_keeps_the_reason(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date
    later = old + dt.timedelta(days=14)

    response = as_user(seller).patch(
        deal_url(deal),
        {"target_close_date": later, "close_date_reason": "Board meets later"},
        format="json",
    )

    assert response.status_code == 200
    change = CloseDateChange.objects.get()
    assert (change.deal, change.changed_by) == (deal, seller)
    assert (change.old_date, change.new_date, change.reason) == (old, later, "Board meets later")


# Deal actions


def test_a_deal_moves_to_another_open_stage_and_takes_its_probability(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "move"), {"stage": stage("Proposal").pk})

    assert response.status_code == 200
    assert response.data["stage_name"] == "Proposal"
    assert response.data["probability"] == 40


def test_moving_a_deal_to_lost_is_refused_with_the_reason(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "move"), {"stage": stage("Lost").pk})

    assert response.status_code == 400
    assert response.data == {
        "non_field_errors": ["A lost deal needs a reason: use “Mark lost” on the deal page."]
    }
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


def test_marking_a_deal_lost_needs_a_reason(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "lost"), {"lost_note": "No idea"})

    assert response.status_code == 400
    assert response.data == {"lost_reason": ["Say why the deal was lost."]}
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


def test_marking_a_deal_lost_closes_it_with_reason_and_note(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(
        deal_url(deal, "lost"), {"lost_reason": "price", "lost_note": "Cheaper rival"}
    )

    assert response.status_code == 200
    assert response.data["stage_name"] == "Lost"
    assert response.data["lost_reason"] == "price"
    assert response.data["lost_note"] == "Cheaper rival"
    assert response.data["closed_on"] == timezone.localdate().isoformat()


def test_a_later_close_date_without_a_reason_is_refused_and_not_recorded(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date

    response = as_user(seller).post(
        deal_url(deal, "close-date"),
        {"target_close_date": old + dt.timedelta(days=7), "reason": "  "},
    )

    assert response.status_code == 400
    assert set(response.data) == {"reason"}
    deal.refresh_from_db()
    assert deal.target_close_date == old
    assert CloseDateChange.objects.count() == 0


def test_a_close_date_change_is_recorded_and_listed_on_the_deal(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date
    client = as_user(seller)

    moved = client.post(
        deal_url(deal, "close-date"),
        {"target_close_date": old + dt.timedelta(days=7), "reason": "Budget sign-off"},
    )
    history = client.get(deal_url(deal, "close-date-changes"))

    assert moved.status_code == 200
    assert history.status_code == 200
    assert history.data["count"] == 1
    row = history.data["results"][0]
    assert row["changed_by"] == seller.pk
    assert row["changed_by_name"] == "Sam Seller"
    assert row["old_date"] == old.isoformat()
    assert row["days_moved"] == 7
    assert row["reason"] == "Budget sign-off"


def test_a_deal_goes_to_nurture_and_returns(seller):
    deal = DealFactory(owner=seller)
    client = as_user(seller)

    nurtured = client.post(deal_url(deal, "nurture"), {"note": "Next budget year"})
    returned = client.post(deal_url(deal, "return"))

    assert nurtured.status_code == 200
    assert nurtured.data["nurture"] is True
    assert nurtured.data["nurture_note"] == "Next budget year"
    assert returned.status_code == 200
    assert returned.data["nurture"] is False


def test_returning_a_deal_that_is_not_in_nurture_is_a_400(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "return"))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["This deal is in the pipeline already."]}


def test_a_lost_deal_reopens_into_the_stage_asked_for(seller):
    deal = DealFactory(owner=seller, stage=stage("Lost"), lost_reason="price")

    response = as_user(seller).post(deal_url(deal, "reopen"), {"stage": stage("Proposal").pk})

    assert response.status_code == 200
    assert response.data["stage_name"] == "Proposal"
    assert response.data["lost_reason"] == ""


def test_reopening_an_open_deal_is_a_400(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "reopen"))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["This deal is open already."]}

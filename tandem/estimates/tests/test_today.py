"""Estimates' cards on the Today page: returned estimates, requests waiting on an estimator,
the deals they work on that close soon, and finance's recent wins."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.estimates.models import EstimateRequest, LineKind, RequestEstimator, RequestStatus
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.estimates.today import (
    assigned_to_me,
    my_deals_closing_soon,
    returned_to_me,
    won_to_invoice,
)
from tandem.pipeline.tests.factories import DealFactory, stage

NOW = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.TIME_ZONE = "UTC"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def card(context_fn, user):
    return context_fn(None, user)["today"]


def days(n):
    return TODAY + dt.timedelta(days=n)


def ask(
    deal, title, *, status=RequestStatus.REQUESTED, needed_by=None, changed=None, estimators=()
):
    request = EstimateRequest.objects.create(
        deal=deal,
        requested_by=deal.owner,
        title=title,
        brief="Screens for the hall.",
        needed_by=needed_by or days(5),
        status=status,
        status_note="Declined: no stock" if status == RequestStatus.DECLINED else "",
        status_changed_at=changed or NOW,
    )
    for estimator, part in estimators:
        RequestEstimator.objects.create(request=request, estimator=estimator, part=part)
    return request


# Estimates returned to the seller -----------------------------------------------------------


def test_returned_estimates_on_my_deals_come_longest_waiting_first(seller, other_seller):
    mine = DealFactory(owner=seller, name="Harbour hall")
    ask(mine, "Recent", status=RequestStatus.RETURNED, changed=NOW - dt.timedelta(days=1))
    oldest = ask(mine, "Oldest", status=RequestStatus.RETURNED, changed=NOW - dt.timedelta(days=9))
    ask(mine, "Still with estimators", status=RequestStatus.IN_PROGRESS)
    ask(mine, "Accepted already", status=RequestStatus.ACCEPTED)
    ask(DealFactory(owner=other_seller), "Sofia's", status=RequestStatus.RETURNED)
    lost = DealFactory(owner=seller, stage=stage("Lost"), closed_on=TODAY)
    ask(lost, "On a lost deal", status=RequestStatus.RETURNED)

    today = card(returned_to_me, seller)

    assert today.count == 2
    assert [item.label.split(" · ")[0] for item in today.items] == ["Oldest", "Recent"]
    assert today.items[0].note.startswith("Returned 9 days ago · 0 scenarios")
    assert today.items[1].note.startswith("Returned yesterday")
    assert today.items[0].action_label == "Choose a scenario"
    assert today.items[0].action_url == oldest.get_absolute_url() + "#scenarios"
    assert today.more_url == reverse("estimates:request_list") + "?tab=mine"


def test_a_seller_with_nothing_returned_is_told_how_to_ask(seller):
    today = card(returned_to_me, seller)

    assert today.count == 0
    assert "Ask for one from a deal's page" in today.empty


# Requests for the estimator -----------------------------------------------------------------


def test_requests_for_me_come_most_overdue_first_with_my_part(
    project_manager, resource_manager, seller
):
    deal = DealFactory(owner=seller, name="Harbour hall")
    ask(deal, "Due later", needed_by=days(6), estimators=[(project_manager, "everything")])
    late = ask(
        deal,
        "Overdue",
        needed_by=days(-3),
        status=RequestStatus.IN_PROGRESS,
        estimators=[(project_manager, "labour"), (resource_manager, "rigging")],
    )
    ask(deal, "Rita's only", needed_by=days(-9), estimators=[(resource_manager, "everything")])
    ask(
        deal,
        "Returned",
        status=RequestStatus.RETURNED,
        estimators=[(project_manager, "everything")],
    )

    today = card(assigned_to_me, project_manager)

    assert today.count == 2
    assert [item.label.split(" · ")[0] for item in today.items] == ["Overdue", "Due later"]
    assert today.items[0].tone == "danger"
    assert today.items[0].note == "Overdue since 12 Apr 2027 · your part: labour · from Sam Seller"
    assert today.items[0].action_label == "Work on it"
    assert today.items[0].action_url == late.get_absolute_url() + "#work"
    assert today.items[1].note.startswith("Needed by 21 Apr 2027")
    assert today.items[1].action_label == "Start"


def test_two_parts_of_one_request_list_it_once(project_manager, seller):
    ask(
        DealFactory(owner=seller),
        "Both parts",
        estimators=[(project_manager, "labour"), (project_manager, "rigging")],
    )

    today = card(assigned_to_me, project_manager)

    assert today.count == 1
    assert len(today.items) == 1


# Deals the estimator is on that close soon --------------------------------------------------


def test_deals_i_estimate_closing_within_30_days_come_nearest_first(project_manager, seller):
    soon = DealFactory(owner=seller, name="Soon", target_close_date=days(3))
    later = DealFactory(owner=seller, name="Later", target_close_date=days(29))
    too_far = DealFactory(owner=seller, name="Too far", target_close_date=days(31))
    past = DealFactory(owner=seller, name="Past", target_close_date=days(-1))
    not_mine = DealFactory(owner=seller, name="Not mine", target_close_date=days(2))
    for deal in (later, soon, too_far, past):
        ask(deal, deal.name, estimators=[(project_manager, "everything")])
    ask(not_mine, "Someone else's")
    DealFactory(owner=project_manager, name="Pat's own", target_close_date=days(10))

    today = card(my_deals_closing_soon, project_manager)

    assert today.count == 3
    assert [item.label.split(" · ")[0] for item in today.items] == ["Soon", "Pat's own", "Later"]
    assert "Sam Seller's deal" in today.items[0].note
    assert "'s deal" not in today.items[1].note
    assert not today.counts_as_work


# Finance: won lately -------------------------------------------------------------------------


def test_recent_wins_show_the_accepted_scenario_oldest_win_first(finance, seller):
    panel = CatalogItemFactory(unit_cost=Decimal("100"), list_price=Decimal("150"))
    sold = DealFactory(owner=seller, name="Sold on a scenario", amount=Decimal("1000"))
    scenario = do_create_estimate(None, sold, name="Half booth")
    do_save_version(
        scenario,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("10")}],
    )
    do_accept_estimate(scenario, seller)
    sold.refresh_from_db()
    sold.stage, sold.closed_on = stage("Won"), days(-3)
    sold.save()
    DealFactory(owner=seller, name="Older win", stage=stage("Won"), closed_on=days(-20))
    DealFactory(owner=seller, name="Too old", stage=stage("Won"), closed_on=days(-31))
    DealFactory(owner=seller, name="Lost", stage=stage("Lost"), closed_on=days(-2))
    DealFactory(owner=seller, name="Open")

    today = card(won_to_invoice, finance)

    assert today.count == 2
    assert [item.label.split(" · ")[0] for item in today.items] == [
        "Older win",
        "Sold on a scenario",
    ]
    assert today.items[0].note == "Won 26 Mar 2027 by Sam Seller · $50,000, no accepted scenario"
    assert today.items[0].action_label == "Open deal"
    assert "accepted “Half booth” $1,500" in today.items[1].note
    assert today.items[1].action_url == scenario.get_absolute_url()
    assert today.more_url == reverse("pipeline:deal_list") + "?status=won"

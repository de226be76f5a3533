"""Close plans' cards on the Today page: what each holds, in which order, and whose."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, Health
from tandem.closeplans.tests.factories import av_template
from tandem.closeplans.today import deals_without_plan, my_checkups, plans_in_trouble
from tandem.pipeline.tests.factories import DealFactory, stage

LAID_OUT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
# Thursday 15 April 2027, as on the Checkups page's tests: a plan laid out on 1 March for a
# 30 April close has its discovery call overdue and the walkthrough due soon.
NOW = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS = 3
    settings.TANDEM_CHECKUP_QUIET_DAYS = 3
    settings.TIME_ZONE = "UTC"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def card(context_fn, user):
    return context_fn(None, user)["today"]


def days(n):
    return TODAY + dt.timedelta(days=n)


# Deals with no close plan --------------------------------------------------------------------


def test_deals_without_a_plan_come_nearest_close_first_with_the_plan_a_click_away(
    seller, other_seller
):
    later = DealFactory(owner=seller, name="Later", target_close_date=days(40))
    late = DealFactory(owner=seller, name="Late", target_close_date=days(-2))
    planned = DealFactory(owner=seller, name="Planned", target_close_date=days(1))
    services.do_apply_template(planned, av_template(), seller, now=LAID_OUT)
    # A plan with no step yet is no plan (hygiene counts it the same way).
    ClosePlan.objects.create(
        deal=DealFactory(owner=seller, name="Empty plan", target_close_date=days(5))
    )
    DealFactory(owner=other_seller, name="Sofia's")
    DealFactory(owner=seller, name="Won", stage=stage("Won"), closed_on=TODAY)
    DealFactory(owner=seller, name="Nurtured", nurture=True)

    today = card(deals_without_plan, seller)

    assert today.count == 3
    assert [item.label.split(" · ")[0] for item in today.items] == ["Late", "Empty plan", "Later"]
    first = today.items[0]
    assert first.tone == "danger"
    assert first.action_label == "Lay out the plan"
    assert first.action_url == reverse("pipeline:deal_detail", args=[late.pk]) + "#close-plan"
    assert later.pk  # listed last


def test_a_seller_with_every_deal_planned_is_told_so(seller):
    assert card(deals_without_plan, seller).items == []
    assert "has a close plan" in card(deals_without_plan, seller).empty


def test_the_count_is_every_deal_not_just_the_five_shown(seller):
    for n in range(7):
        DealFactory(owner=seller, target_close_date=days(n))

    today = card(deals_without_plan, seller)

    assert today.count == 7
    assert len(today.items) == 5
    assert today.hidden == 2


# Plans slipped or at risk --------------------------------------------------------------------


def _plan(owner, name, health, close, **fields):
    deal = DealFactory(owner=owner, name=name, target_close_date=close)
    return ClosePlan.objects.create(deal=deal, health=health, **fields)


def test_slipped_plans_come_before_those_at_risk_then_by_close_date(seller, other_seller):
    _plan(seller, "Risky soon", Health.AT_RISK, days(3), slack_days=1)
    _plan(
        seller,
        "Slipped later",
        Health.SLIPPED,
        days(20),
        proposed_close=days(34),
        health_reasons=["Budget approval is blocked"],
    )
    _plan(
        seller,
        "Slipped soon",
        Health.SLIPPED,
        days(10),
        health_reasons=["Budget approval is blocked"],
    )
    _plan(seller, "Fine", Health.ON_TRACK, days(2))
    _plan(other_seller, "Sofia's slip", Health.SLIPPED, days(1))

    today = card(plans_in_trouble, seller)

    assert today.count == 3
    assert [item.label.split(" · ")[0] for item in today.items] == [
        "Slipped soon",
        "Slipped later",
        "Risky soon",
    ]
    assert [item.tone for item in today.items] == ["danger", "danger", "warning"]
    assert today.items[0].note == "Slipped: Budget approval is blocked"
    assert "can close 19 May 2027, not 5 May 2027" in today.items[1].note
    assert today.items[2].note == "At risk: 1 day of slack before 18 Apr 2027"
    assert today.items[0].action_url.endswith("#close-plan")


def test_plans_of_closed_deals_are_not_in_trouble(seller):
    plan = _plan(seller, "Lost one", Health.SLIPPED, days(3))
    plan.deal.stage = stage("Lost")
    plan.deal.save()

    assert card(plans_in_trouble, seller).count == 0


# My checkups ---------------------------------------------------------------------------------


def test_my_checkups_list_the_steps_i_answer_for_and_link_to_mine(seller, other_seller):
    template = av_template()
    mine = DealFactory(owner=seller, name="Harbour hall AV", target_close_date=dt.date(2027, 4, 30))
    services.do_apply_template(mine, template, seller, now=LAID_OUT)
    theirs = DealFactory(
        owner=other_seller, name="Sofia's hall", target_close_date=dt.date(2027, 4, 30)
    )
    services.do_apply_template(theirs, template, other_seller, now=LAID_OUT)

    today = card(my_checkups, seller)

    assert today.count == 2
    assert [item.label for item in today.items] == ["Discovery call", "Technical walkthrough"]
    assert today.items[0].tone == "danger"
    assert today.items[0].note.startswith("Overdue since")
    assert "Harbour hall AV" in today.items[0].note
    assert today.items[1].note.startswith("Due 16 Apr 2027")
    assert today.more_url == reverse("closeplans:checkups") + "?owner=mine"
    first = mine.close_plan.steps.get(title="Discovery call")
    assert today.items[0].action_url == f"{today.more_url}#checkup-step-{first.pk}"


def test_an_estimator_sees_the_checkups_of_steps_they_own(project_manager, seller):
    deal = DealFactory(owner=seller, target_close_date=dt.date(2027, 4, 30))
    plan = services.do_apply_template(deal, av_template(), seller, now=LAID_OUT)
    step = plan.steps.get(title="Discovery call")
    step.owner_user = project_manager
    step.save()

    today = card(my_checkups, project_manager)

    assert [item.label for item in today.items] == ["Discovery call"]

"""The pipeline's executive cards on the Today page: the pipeline by stage and month, and the
biggest slips of the week."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.pipeline.tests.factories import CloseDateChangeFactory, DealFactory, stage
from tandem.pipeline.today import pipeline_by_month, slipped_this_week

NOW = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.TIME_ZONE = "UTC"
    settings.TANDEM_CURRENCY = "USD"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_the_chart_stacks_open_money_by_stage_over_overdue_and_the_next_six_months(seller):
    DealFactory(
        owner=seller,
        stage=stage("Qualify"),
        amount=Decimal("100"),
        target_close_date=dt.date(2027, 4, 1),
    )
    DealFactory(
        owner=seller,
        stage=stage("Qualify"),
        amount=Decimal("200"),
        target_close_date=dt.date(2027, 4, 20),
    )
    DealFactory(
        owner=seller,
        stage=stage("Proposal"),
        amount=Decimal("300"),
        target_close_date=dt.date(2027, 4, 30),
    )
    DealFactory(
        owner=seller,
        stage=stage("Proposal"),
        amount=Decimal("400"),
        target_close_date=dt.date(2027, 9, 30),
    )
    # Past the six months, closed, nurtured or in another currency: none are in the sums.
    DealFactory(
        owner=seller,
        stage=stage("Proposal"),
        amount=Decimal("1"),
        target_close_date=dt.date(2027, 10, 1),
    )
    DealFactory(
        owner=seller,
        stage=stage("Won"),
        amount=Decimal("1"),
        closed_on=TODAY,
        target_close_date=dt.date(2027, 4, 20),
    )
    DealFactory(
        owner=seller, amount=Decimal("1"), nurture=True, target_close_date=dt.date(2027, 4, 20)
    )
    DealFactory(
        owner=seller, amount=Decimal("1"), currency="EUR", target_close_date=dt.date(2027, 4, 20)
    )

    context = pipeline_by_month(None, None)
    chart = context["chart"]

    assert chart.labels == [
        "Overdue",
        "Apr 2027",
        "May 2027",
        "Jun 2027",
        "Jul 2027",
        "Aug 2027",
        "Sep 2027",
    ]
    by_stage = {series.label: series.values for series in chart.series}
    assert list(by_stage) == ["Qualify", "Discovery", "Proposal", "Negotiation", "Verbal commit"]
    assert by_stage["Qualify"] == [Decimal("100"), Decimal("200"), 0, 0, 0, 0, 0]
    assert by_stage["Proposal"] == [0, Decimal("300"), 0, 0, 0, 0, Decimal("400")]
    assert by_stage["Discovery"] == [0] * 7
    assert chart.money
    assert chart.stacked
    assert chart.currency == "USD"
    assert context["other_currencies"] == 1


def test_an_empty_pipeline_makes_an_empty_chart(db):
    assert pipeline_by_month(None, None)["chart"].is_empty


def _moved(deal, old, new, days_ago):
    return CloseDateChangeFactory(
        deal=deal, old_date=old, new_date=new, changed_at=NOW - dt.timedelta(days=days_ago)
    )


def test_the_weeks_biggest_slips_come_biggest_first_from_the_weeks_first_date(seller, other_seller):
    big = DealFactory(
        owner=seller, name="Big", amount=Decimal("90000"), target_close_date=dt.date(2027, 6, 30)
    )
    _moved(big, dt.date(2027, 5, 1), dt.date(2027, 6, 1), days_ago=5)
    _moved(big, dt.date(2027, 6, 1), dt.date(2027, 6, 30), days_ago=1)
    small = DealFactory(
        owner=other_seller,
        name="Small",
        amount=Decimal("1000"),
        target_close_date=dt.date(2027, 5, 3),
    )
    _moved(small, dt.date(2027, 5, 1), dt.date(2027, 5, 3), days_ago=2)
    # Brought forward, moved before the week, or won since: not this week's slips.
    earlier = DealFactory(
        name="Earlier", amount=Decimal("99999"), target_close_date=dt.date(2027, 5, 1)
    )
    _moved(earlier, dt.date(2027, 6, 1), dt.date(2027, 5, 1), days_ago=1)
    old = DealFactory(
        name="Old move", amount=Decimal("99999"), target_close_date=dt.date(2027, 7, 1)
    )
    _moved(old, dt.date(2027, 5, 1), dt.date(2027, 7, 1), days_ago=8)
    won = DealFactory(
        name="Won",
        amount=Decimal("99999"),
        stage=stage("Won"),
        closed_on=TODAY,
        target_close_date=dt.date(2027, 7, 1),
    )
    _moved(won, dt.date(2027, 5, 1), dt.date(2027, 7, 1), days_ago=1)

    today = slipped_this_week(None, None)["today"]

    # Counted: every deal pushed later this week (the won one too); shown: the open ones.
    assert today.count == 3
    assert today.footer == "3 deals pushed later in the last 7 days"
    assert [item.label.split(" · ")[0] for item in today.items] == ["Big", "Small"]
    assert today.items[0].note == "$90,000 · 1 May 2027 → 30 Jun 2027 (60 days later) · Sam Seller"
    assert today.items[0].tone == "danger"
    assert today.items[1].note.endswith("(2 days later) · Sofia Seller")
    assert today.items[1].tone == "warning"
    assert today.items[0].action_url == big.get_absolute_url() + "#close-date-history"


def test_when_pushes_are_many_the_biggest_open_slips_still_come_first(seller, monkeypatch):
    monkeypatch.setattr("tandem.pipeline.today.FEW_PUSHES", 1)
    deals = []
    for amount in (5000, 7000, 3000):
        deal = DealFactory(
            owner=seller, amount=Decimal(amount), target_close_date=dt.date(2027, 6, 30)
        )
        _moved(deal, dt.date(2027, 5, 1), dt.date(2027, 6, 30), days_ago=1)
        deals.append(deal)
    DealFactory(owner=seller, amount=Decimal("9000"), target_close_date=dt.date(2027, 6, 30))

    today = slipped_this_week(None, None)["today"]

    assert today.count == 3
    assert [item.url for item in today.items] == [
        deals[1].get_absolute_url(),
        deals[0].get_absolute_url(),
        deals[2].get_absolute_url(),
    ]

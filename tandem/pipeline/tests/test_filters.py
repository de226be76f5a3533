import datetime as dt
from types import SimpleNamespace

import pytest

from tandem.crm.tests.factories import AccountFactory
from tandem.people.tests.factories import UserFactory
from tandem.pipeline import filters
from tandem.pipeline.filters import DealFilter
from tandem.pipeline.models import Deal
from tandem.pipeline.tests.factories import DealFactory, stage

TODAY = dt.date(2025, 5, 14)


@pytest.fixture
def frozen_today(monkeypatch):
    """The filters see 14 May 2025 as today."""
    monkeypatch.setattr(filters, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    return TODAY


def _filtered(data) -> list[str]:
    deals = DealFilter(data, queryset=Deal.objects.all()).qs
    return sorted(deals.values_list("name", flat=True))


@pytest.mark.django_db
def test_no_filter_lists_every_deal():
    DealFactory(name="A")
    DealFactory(name="B", stage=stage("Won"))

    assert _filtered({}) == ["A", "B"]


@pytest.mark.django_db
def test_deals_filter_by_owner(seller, other_seller):
    DealFactory(name="Sam's", owner=seller)
    DealFactory(name="Sofia's", owner=other_seller)

    assert _filtered({"owner": seller.pk}) == ["Sam's"]


@pytest.mark.django_db
def test_deals_filter_by_account():
    lakeside = AccountFactory(name="Lakeside College")
    DealFactory(name="Auditorium", account=lakeside)
    DealFactory(name="Arena")

    assert _filtered({"account": lakeside.pk}) == ["Auditorium"]


@pytest.mark.django_db
def test_deals_filter_by_stage():
    DealFactory(name="Early", stage=stage("Qualify"))
    DealFactory(name="Late", stage=stage("Negotiation"))

    assert _filtered({"stage": stage("Negotiation").pk}) == ["Late"]


@pytest.mark.django_db
def test_deals_filter_by_project_type():
    DealFactory(name="Install", project_type="av_installation")
    DealFactory(name="Rental", project_type="rental")

    assert _filtered({"project_type": "rental"}) == ["Rental"]


@pytest.mark.django_db
def test_deals_filter_by_forecast_category():
    DealFactory(name="Sure", forecast_category="commit")
    DealFactory(name="Maybe", forecast_category="best_case")
    DealFactory(name="Early", forecast_category="pipeline")

    assert _filtered({"forecast_category": "commit"}) == ["Sure"]


@pytest.fixture
def deals_in_every_status():
    DealFactory(name="Open", stage=stage("Proposal"))
    DealFactory(name="Won", stage=stage("Won"))
    DealFactory(name="Lost", stage=stage("Lost"), probability=0, lost_reason="price")
    DealFactory(name="Nurtured", stage=stage("Discovery"), nurture=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["Open"]),
        ("won", ["Won"]),
        ("lost", ["Lost"]),
        ("nurture", ["Nurtured"]),
    ],
)
def test_deals_filter_by_status(deals_in_every_status, status, expected):
    assert _filtered({"status": status}) == expected


@pytest.mark.django_db
def test_search_matches_every_word_in_the_deal_or_account_name():
    lakeside = AccountFactory(name="Lakeside College")
    harbor = AccountFactory(name="Harbor Arena")
    DealFactory(name="Auditorium refit", account=lakeside)
    DealFactory(name="Gym sound", account=lakeside)
    DealFactory(name="Auditorium screens", account=harbor)

    assert _filtered({"q": "auditorium LAKESIDE"}) == ["Auditorium refit"]
    assert _filtered({"q": "lakeside"}) == ["Auditorium refit", "Gym sound"]
    assert _filtered({"q": "auditorium"}) == ["Auditorium refit", "Auditorium screens"]


@pytest.mark.django_db
def test_deals_filter_by_close_date_range():
    DealFactory(name="May", target_close_date=dt.date(2025, 5, 31))
    DealFactory(name="June", target_close_date=dt.date(2025, 6, 1))
    DealFactory(name="July", target_close_date=dt.date(2025, 7, 1))

    assert _filtered({"close_after": "2025-06-01", "close_before": "2025-06-30"}) == ["June"]


@pytest.fixture
def deals_around_today():
    """Open deals closing on either side of each period boundary around 14 May 2025."""
    for day in [
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 1),
        dt.date(2025, 5, 13),
        dt.date(2025, 5, 14),
        dt.date(2025, 5, 31),
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 30),
        dt.date(2025, 7, 1),
        dt.date(2025, 9, 30),
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
    ]:
        DealFactory(name=day.isoformat(), target_close_date=day)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("overdue", ["2025-03-31", "2025-04-01", "2025-05-13"]),
        ("this_month", ["2025-05-13", "2025-05-14", "2025-05-31"]),
        ("next_month", ["2025-06-01", "2025-06-30"]),
        (
            "this_quarter",
            ["2025-04-01", "2025-05-13", "2025-05-14", "2025-05-31", "2025-06-01", "2025-06-30"],
        ),
        ("next_quarter", ["2025-07-01", "2025-09-30"]),
        (
            "this_year",
            [
                "2025-03-31",
                "2025-04-01",
                "2025-05-13",
                "2025-05-14",
                "2025-05-31",
                "2025-06-01",
                "2025-06-30",
                "2025-07-01",
                "2025-09-30",
                "2025-10-01",
                "2025-12-31",
            ],
        ),
    ],
)
def test_deals_filter_by_close_period_around_today(
    frozen_today, deals_around_today, period, expected
):
    assert _filtered({"close_period": period}) == expected


@pytest.mark.django_db
def test_overdue_lists_only_open_deals(frozen_today):
    past = dt.date(2025, 5, 1)
    DealFactory(name="Slipping", target_close_date=past)
    DealFactory(name="Won", target_close_date=past, stage=stage("Won"))
    DealFactory(name="Lost", target_close_date=past, stage=stage("Lost"), lost_reason="price")
    DealFactory(name="Nurtured", target_close_date=past, nurture=True)

    assert _filtered({"close_period": "overdue"}) == ["Slipping"]


@pytest.mark.django_db
def test_other_periods_include_closed_deals(frozen_today):
    DealFactory(name="Won", target_close_date=dt.date(2025, 5, 1), stage=stage("Won"))

    assert _filtered({"close_period": "this_month"}) == ["Won"]


@pytest.mark.django_db
def test_filters_combine(seller, other_seller, frozen_today):
    DealFactory(name="Mine, June", owner=seller, target_close_date=dt.date(2025, 6, 10))
    DealFactory(name="Mine, July", owner=seller, target_close_date=dt.date(2025, 7, 10))
    DealFactory(name="Hers, June", owner=other_seller, target_close_date=dt.date(2025, 6, 10))
    DealFactory(
        name="Mine, June, won",
        owner=seller,
        target_close_date=dt.date(2025, 6, 10),
        stage=stage("Won"),
    )

    data = {"owner": seller.pk, "close_period": "next_month", "status": "open"}

    assert _filtered(data) == ["Mine, June"]


@pytest.mark.django_db
def test_crew_cannot_be_chosen_as_a_deal_owner():
    crew = UserFactory(username="cal", role="crew")

    deal_filter = DealFilter({"owner": crew.pk}, queryset=Deal.objects.all())

    assert list(deal_filter.errors) == ["owner"]

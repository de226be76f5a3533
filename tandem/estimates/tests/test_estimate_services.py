import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from tandem.catalog import services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.core.models import OutboxEvent
from tandem.estimates.events import EstimateAccepted
from tandem.estimates.models import Estimate, EstimateLine, LineKind, RequestStatus
from tandem.estimates.scenarios.services import (
    StaleEstimate,
    do_accept_estimate,
    do_copy_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)


@pytest.fixture
def rigger():
    role = services.do_create_role(None, name="Rigger", union=True)
    services.do_add_rate(
        role,
        None,
        effective_from=JAN,
        cost_rate=Decimal("60"),
        bill_rate=Decimal("100"),
        minimum_call_hours=Decimal("4"),
    )
    return role


@pytest.fixture
def panel():
    return CatalogItemFactory(
        name="LED panel 2.6 mm", unit_cost=Decimal("100"), list_price=Decimal("150")
    )


@pytest.fixture
def deal():
    return DealFactory(amount=Decimal("1000"))


def _labour(role, likely="10", **fields):
    return {
        "kind": LineKind.LABOUR,
        "role": role,
        "crew_size": Decimal("2"),
        "hours_low": Decimal(likely),
        "hours_likely": Decimal(likely),
        "hours_high": Decimal(likely),
        **fields,
    }


def _equipment(item, qty="10", **fields):
    return {"kind": LineKind.EQUIPMENT, "catalog_item": item, "qty": Decimal(qty), **fields}


def test_a_deal_with_an_estimate_cannot_be_deleted(deal):
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ProtectedError):
        deal.delete()

    assert Estimate.objects.filter(pk=estimate.pk).exists()


def test_a_save_makes_version_one_with_totals_and_the_rate_cards_rates(deal, rigger, panel):
    estimate = do_create_estimate(None, deal, name="Full booth")

    version = do_save_version(
        estimate, None, base_number=0, lines=[_equipment(panel), _labour(rigger)]
    )

    assert version.number == 1
    # 10 panels at the list price 150, cost 100; 2 riggers × 10 h at 100 / 60.
    assert version.price == Decimal("3500.00")
    assert version.cost == Decimal("2200.00")
    assert version.margin_pct == Decimal("37.14")
    labour = version.lines.get(kind=LineKind.LABOUR)
    assert (labour.cost_rate, labour.bill_rate, labour.minimum_call_hours) == (
        Decimal("60.00"),
        Decimal("100.00"),
        Decimal("4.00"),
    )
    assert labour.name == "Rigger"
    assert labour.expected_hours == Decimal("20.00")
    equipment = version.lines.get(kind=LineKind.EQUIPMENT)
    assert (equipment.name, equipment.unit_cost, equipment.lead_time_days) == (
        "LED panel 2.6 mm",
        Decimal("100.00"),
        7,
    )
    estimate.refresh_from_db()
    assert estimate.latest_number == 1


def test_a_raise_on_the_rate_card_does_not_change_a_line_carried_into_the_next_version(
    deal, rigger, panel
):
    estimate = do_create_estimate(None, deal, name="Full booth")
    first = do_save_version(estimate, None, base_number=0, lines=[_labour(rigger)])
    services.do_add_rate(
        rigger,
        None,
        effective_from=dt.date.today(),
        cost_rate=Decimal("80"),
        bill_rate=Decimal("130"),
    )
    carried = first.lines.get()

    second = do_save_version(
        estimate,
        None,
        base_number=1,
        lines=[_labour(rigger, likely="12", source=carried.pk), _labour(rigger, name="Extra")],
    )

    kept, new = second.lines.order_by("position")
    assert kept.bill_rate == Decimal("100.00")
    assert new.bill_rate == Decimal("130.00")


def test_the_second_of_two_saves_of_the_same_version_is_refused_and_nothing_is_written(
    deal, rigger
):
    estimate = do_create_estimate(None, deal, name="Full booth")
    do_save_version(estimate, None, base_number=0, lines=[_labour(rigger)])
    do_save_version(estimate, None, base_number=1, lines=[_labour(rigger, likely="20")])

    with pytest.raises(StaleEstimate) as refused:
        do_save_version(estimate, None, base_number=1, lines=[_labour(rigger, likely="30")])

    assert refused.value.latest == 2
    assert "version 2" in refused.value.messages[0]
    assert list(estimate.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_on_the_same_version_make_one_version(rigger):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the row lock is what PostgreSQL needs")
    deal = DealFactory()
    estimate = do_create_estimate(None, deal, name="Full booth")
    outcomes = []
    barrier = threading.Barrier(2)

    def save(hours):
        try:
            barrier.wait()
            do_save_version(estimate, None, base_number=0, lines=[_labour(rigger, likely=hours)])
            outcomes.append("saved")
        except StaleEstimate:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(h,)) for h in ("10", "20")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "stale"]
    assert estimate.versions.count() == 1


def test_a_line_the_logic_refuses_is_reported_and_nothing_is_saved(deal, rigger):
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="low <= likely <= high"):
        do_save_version(
            estimate,
            None,
            base_number=0,
            lines=[_labour(rigger, hours_low=Decimal("30"), hours_likely=Decimal("10"))],
        )

    assert not estimate.versions.exists()
    assert not EstimateLine.objects.exists()


def test_a_role_without_a_rate_is_refused_with_what_to_do(deal):
    role = services.do_create_role(None, name="Drone pilot")
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="Drone pilot has no rate in effect"):
        do_save_version(estimate, None, base_number=0, lines=[_labour(role)])


def test_scenario_names_are_unique_per_deal_whatever_the_case(deal):
    do_create_estimate(None, deal, name="Half booth")

    with pytest.raises(ValidationError, match="already"):
        do_create_estimate(None, deal, name="half BOOTH ")

    assert do_create_estimate(None, DealFactory(), name="Half booth").pk


def test_a_copy_starts_from_the_latest_version_with_its_rates_and_costs(deal, rigger, panel):
    full = do_create_estimate(None, deal, name="Full booth", screen_area_m2=Decimal("120"))
    do_save_version(full, None, base_number=0, lines=[_equipment(panel), _labour(rigger)])
    services.do_update_item(panel, None, {"unit_cost": Decimal("999")})

    half = do_copy_estimate(full, None, name="Half booth", screen_area_m2=Decimal("60"))

    version = half.versions.get()
    assert version.note == "Copied from Full booth v1"
    assert version.price == full.versions.get().price
    assert version.lines.get(kind=LineKind.EQUIPMENT).unit_cost == Decimal("100.00")
    assert (half.copied_from, half.screen_area_m2, half.latest_number) == (
        full,
        Decimal("60"),
        1,
    )


def test_accepting_a_scenario_sets_the_deal_amount_and_unaccepts_the_others(deal, rigger, panel):
    full = do_create_estimate(None, deal, name="Full booth")
    do_save_version(full, None, base_number=0, lines=[_equipment(panel)])
    half = do_copy_estimate(full, None, name="Half booth")
    do_save_version(half, None, base_number=1, lines=[_equipment(panel, qty="5")])
    do_accept_estimate(full, deal.owner)

    do_accept_estimate(half, deal.owner)

    deal.refresh_from_db()
    assert deal.amount == Decimal("750.00")
    full.refresh_from_db()
    half.refresh_from_db()
    assert not full.is_accepted
    assert half.accepted_version.number == 2
    accepted = [
        EstimateAccepted.from_payload(row.payload)
        for row in OutboxEvent.objects.filter(name=EstimateAccepted.name).order_by("id")
    ]
    assert [(e.estimate_id, e.version_id, e.price) for e in accepted] == [
        (full.pk, full.latest_version_id, Decimal("1500.00")),
        (half.pk, half.accepted_version_id, Decimal("750.00")),
    ]


def test_a_scenario_with_no_version_cannot_be_accepted(deal):
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="no saved version"):
        do_accept_estimate(estimate, None)

    deal.refresh_from_db()
    assert deal.amount == Decimal("1000")


def test_a_scenario_for_a_request_starts_the_request(deal, project_manager, seller):
    from tandem.estimates.requests.services import do_create_request

    request = do_create_request(
        seller,
        deal,
        title="Booth",
        brief="20 x 20 booth",
        needed_by=dt.date.today() + dt.timedelta(days=5),
        estimators=[(project_manager, "everything")],
    )

    do_create_estimate(project_manager, deal, name="Full booth", request=request)

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert Estimate.objects.get().request == request


def test_a_total_too_big_for_an_estimate_is_refused_with_what_to_check(deal, panel):
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="more than an estimate can hold"):
        do_save_version(
            estimate,
            None,
            base_number=0,
            lines=[_equipment(panel, qty="1000000000")],
        )

    assert not estimate.versions.exists()


def test_a_line_too_big_for_its_column_names_the_line(deal, rigger):
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match=r"Line 1 \(Rigger\): crew size"):
        do_save_version(
            estimate, None, base_number=0, lines=[_labour(rigger, crew_size=Decimal("100000"))]
        )


def test_a_rate_in_another_currency_is_refused(rigger):
    deal = DealFactory(currency="EUR")
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="Rigger's rate is in USD, this scenario is in EUR"):
        do_save_version(estimate, None, base_number=0, lines=[_labour(rigger)])


def test_catalog_figures_are_not_taken_into_another_currency(panel):
    deal = DealFactory(currency="EUR")
    estimate = do_create_estimate(None, deal, name="Full booth")

    with pytest.raises(ValidationError, match="catalog's costs and prices are in USD"):
        do_save_version(estimate, None, base_number=0, lines=[_equipment(panel)])
    version = do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[_equipment(panel, unit_cost=Decimal("90"), unit_price=Decimal("140"))],
    )

    assert version.price == Decimal("1400.00")


def test_new_labour_lines_take_the_rates_of_the_events_first_day(
    deal, rigger, seller, project_manager
):
    from tandem.estimates.requests.services import do_create_request

    event = dt.date.today() + dt.timedelta(days=60)
    services.do_add_rate(
        rigger,
        None,
        effective_from=event - dt.timedelta(days=10),
        cost_rate=Decimal("70"),
        bill_rate=Decimal("120"),
    )
    request = do_create_request(
        seller,
        deal,
        title="Booth",
        brief="Booth",
        needed_by=dt.date.today() + dt.timedelta(days=5),
        event_start=event,
        estimators=[(project_manager, "everything")],
    )
    estimate = do_create_estimate(None, deal, name="Full booth", request=request)

    version = do_save_version(estimate, None, base_number=0, lines=[_labour(rigger)])

    assert version.lines.get().bill_rate == Decimal("120.00")


def test_accepting_a_version_someone_replaced_since_is_refused(deal, panel):
    estimate = do_create_estimate(None, deal, name="Full booth")
    do_save_version(estimate, None, base_number=0, lines=[_equipment(panel)])
    do_save_version(estimate, None, base_number=1, lines=[_equipment(panel, qty="5")])

    with pytest.raises(ValidationError, match="saved as version 2 since you looked at version 1"):
        do_accept_estimate(estimate, deal.owner, number=1)

    deal.refresh_from_db()
    assert deal.amount == Decimal("1000")


def test_accepting_the_accepted_version_again_tells_nobody_twice(
    deal, panel, seller, project_manager, django_capture_on_commit_callbacks
):
    from tandem.estimates.requests.services import do_create_request
    from tandem.notifications.models import Notification

    request = do_create_request(
        seller,
        deal,
        title="Booth",
        brief="Booth",
        needed_by=dt.date.today() + dt.timedelta(days=5),
        estimators=[(project_manager, "everything")],
    )
    estimate = do_create_estimate(None, deal, name="Full booth", request=request)
    do_save_version(estimate, None, base_number=0, lines=[_equipment(panel)])
    do_accept_estimate(estimate, seller, number=1)

    do_accept_estimate(estimate, seller, number=1)

    assert (
        Notification.objects.filter(recipient=project_manager, kind="estimate_request")
        .filter(title__startswith="Scenario accepted")
        .count()
        == 1
    )

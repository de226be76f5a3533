import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.catalog import services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.estimates.models import Estimate, EstimateVersion, LineKind
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
PREFIXES = ("equipment", "labour", "subcontract", "expense")


@pytest.fixture
def rigger():
    role = services.do_create_role(None, name="Rigger", union=True)
    services.do_add_rate(
        role,
        None,
        effective_from=dt.date(2026, 1, 1),
        cost_rate=Decimal("61.37"),
        bill_rate=Decimal("100"),
    )
    return role


@pytest.fixture
def panel():
    return CatalogItemFactory(
        name="LED panel 2.6 mm", unit_cost=Decimal("123.45"), list_price=Decimal("200")
    )


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, amount=Decimal("1000"))


def _post(base=0, name="Full booth", contingency="10", rows=None, **extra):
    """The editor's form as a browser posts it: the scenario and one formset per kind."""
    rows = rows or {}
    data = {"base_number": str(base), "name": name, "contingency_pct": contingency, **extra}
    for prefix in PREFIXES:
        kind_rows = rows.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(kind_rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(kind_rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def _rows(panel, rigger, likely="10"):
    return {
        "equipment": [{"catalog_item": panel.sku, "qty": "10"}],
        "labour": [
            {
                "role": rigger.pk,
                "crew_size": "2",
                "hours_low": "8",
                "hours_likely": likely,
                "hours_high": "14",
                "calls": "1",
            }
        ],
        "expense": [{"name": "Freight", "cost": "500", "markup_pct": "0"}],
    }


@pytest.fixture
def estimate(deal, project_manager):
    return do_create_estimate(project_manager, deal, name="Full booth")


def test_a_project_manager_opens_a_scenario_from_the_deal(pm_client, deal):
    response = pm_client.post(
        reverse("estimates:estimate_create", args=[deal.pk]),
        {"name": "Full 360° screen", "screen_area_m2": "110", "venue_type": "convention"},
    )

    estimate = Estimate.objects.get()
    assert response.url == reverse("estimates:estimate_edit", args=[estimate.pk])
    assert (estimate.name, estimate.screen_area_m2) == ("Full 360° screen", Decimal("110"))


def test_a_seller_cannot_open_or_edit_a_scenario(seller_client, deal, estimate):
    assert (
        seller_client.get(reverse("estimates:estimate_create", args=[deal.pk])).status_code == 403
    )
    assert (
        seller_client.get(reverse("estimates:estimate_edit", args=[estimate.pk])).status_code == 403
    )
    assert (
        seller_client.post(
            reverse("estimates:estimate_edit", args=[estimate.pk]), _post()
        ).status_code
        == 403
    )
    assert not estimate.versions.exists()


def test_saving_the_editor_writes_version_one_with_its_totals(pm_client, estimate, panel, rigger):
    response = pm_client.post(
        reverse("estimates:estimate_edit", args=[estimate.pk]),
        _post(rows=_rows(panel, rigger), note="First pass"),
    )

    assert response.status_code == 302
    version = EstimateVersion.objects.get()
    # Panels 10 × 200 + riggers 2 × PERT(8, 10, 14)=10.33 h × 100 + freight 500, then +10 %.
    assert version.price == Decimal("5023.33")
    assert (version.number, version.note, version.line_count) == (1, "First pass", 3)
    page = pm_client.get(response.url).content.decode()
    assert "$5,023.33" in page
    assert "$123.45" in page  # the project manager sees unit costs


def test_a_seller_reads_the_scenario_without_any_cost(seller_client, estimate, panel, rigger):
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("10")}],
    )

    page = seller_client.get(
        reverse("estimates:estimate_detail", args=[estimate.pk])
    ).content.decode()

    assert "$2,000.00" in page
    assert "123.45" not in page
    assert "1,234.50" not in page
    assert "Unit cost" not in page


def test_bad_lines_are_refused_with_the_typed_values_kept(pm_client, estimate, panel, rigger):
    rows = _rows(panel, rigger, likely="20")  # likely above high (14)
    rows["equipment"][0]["qty"] = "ten"

    response = pm_client.post(
        reverse("estimates:estimate_edit", args=[estimate.pk]), _post(rows=rows)
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Hours must run low ≤ likely ≤ high." in page
    assert "Enter a number, like 1250 or 1250.50." in page
    assert 'value="ten"' in page
    assert not estimate.versions.exists()


def test_the_second_save_of_the_same_version_shows_the_other_change_and_keeps_mine(
    pm_client, admin_user, estimate, panel, rigger
):
    client = Client()
    client.force_login(admin_user)
    url = reverse("estimates:estimate_edit", args=[estimate.pk])
    pm_client.post(url, _post(rows=_rows(panel, rigger, likely="10"), note="Mine"))

    response = client.post(url, _post(rows=_rows(panel, rigger, likely="12")))

    assert response.status_code == 409
    page = response.content.decode()
    assert "saved version 1" in page
    assert "Your changes are still below" in page
    assert 'name="labour-0-hours_likely" value="12"' in page
    assert 'name="base_number" value="1"' in page
    assert EstimateVersion.objects.count() == 1


def test_the_preview_adds_up_what_is_typed_and_saves_nothing(pm_client, estimate, panel, rigger):
    response = pm_client.post(
        reverse("estimates:estimate_preview", args=[estimate.pk]),
        _post(rows=_rows(panel, rigger), contingency="0"),
    )

    page = response.content.decode()
    assert "$4,566.67" in page  # 2,000 + 2,066.67 + 500
    assert "Rigger" in page
    assert not estimate.versions.exists()


@pytest.mark.parametrize(("target", "warned"), [(99, True), (5, False)])
def test_the_preview_warns_when_the_margin_is_below_the_target(
    pm_client, estimate, panel, rigger, settings, target, warned
):
    settings.TANDEM_TARGET_MARGIN_PCT = target

    page = pm_client.post(
        reverse("estimates:estimate_preview", args=[estimate.pk]), _post(rows=_rows(panel, rigger))
    ).content.decode()

    assert ("below the company's target" in page) is warned


def test_copying_opens_the_copy_in_the_editor(pm_client, estimate, panel):
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("10")}],
    )

    response = pm_client.post(
        reverse("estimates:estimate_copy", args=[estimate.pk]),
        {"name": "Half booth", "screen_area_m2": "55"},
    )

    copy = Estimate.objects.get(name="Half booth")
    assert response.url == reverse("estimates:estimate_edit", args=[copy.pk])
    assert copy.latest_version.price == estimate.versions.get().price


def test_the_deal_owner_accepts_a_scenario_and_the_deal_amount_follows(
    seller_client, other_seller, deal, estimate, panel
):
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("10")}],
    )
    client = Client()
    client.force_login(other_seller)
    url = reverse("estimates:estimate_accept", args=[estimate.pk])

    assert client.post(url).status_code == 403
    response = seller_client.post(url)

    assert response.url == deal.get_absolute_url()
    deal.refresh_from_db()
    assert deal.amount == Decimal("2000.00")


def test_the_version_diff_names_what_changed(pm_client, estimate, panel, rigger):
    url = reverse("estimates:estimate_edit", args=[estimate.pk])
    pm_client.post(url, _post(rows=_rows(panel, rigger, likely="10")))
    rows = _rows(panel, rigger, likely="12")
    rows["expense"] = []
    pm_client.post(url, _post(base=1, rows=rows))

    page = pm_client.get(reverse("estimates:estimate_diff", args=[estimate.pk])).content.decode()

    assert "Likely hours: 10.00 → <strong>12.00</strong>" in page
    assert "removed" in page
    assert "Freight" in page


def test_an_unknown_version_is_not_found(pm_client, estimate):
    assert (
        pm_client.get(reverse("estimates:version_detail", args=[estimate.pk, 3])).status_code == 404
    )
    assert (
        pm_client.get(
            reverse("estimates:estimate_diff", args=[estimate.pk]) + "?from=x"
        ).status_code
        == 404
    )


def _scenarios(deal, panel, count):
    for n in range(count):
        estimate = do_create_estimate(None, deal, name=f"Scenario {n}")
        do_save_version(
            estimate,
            None,
            base_number=0,
            lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal(n + 1)}],
        )


@pytest.mark.parametrize("count", [2, 4])
def test_the_comparison_runs_the_same_queries_for_two_or_four_scenarios(
    seller_client, deal, panel, count, django_assert_num_queries
):
    _scenarios(deal, panel, count)
    url = reverse("estimates:estimate_compare", args=[deal.pk])

    # session, user, deal, the user's permissions (2), scenarios with their versions,
    # price by kind, hours by role, the bell's unread count
    with django_assert_num_queries(9):
        response = seller_client.get(url)

    assert response.content.decode().count('class="text-end"><a href=') == count


def test_the_deal_page_lists_scenarios_in_a_constant_number_of_queries(seller_client, deal, panel):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = seller_client.get(deal.get_absolute_url()).content.decode()
        return len(captured), page.count('class="deal-scenario"')

    _scenarios(deal, panel, 2)
    few = queries()
    Estimate.objects.filter(deal=deal).update(name=Concat("name", Value(" old")))
    _scenarios(deal, panel, 10)
    many = queries()

    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0]


def test_a_number_too_big_for_its_column_is_an_error_beside_it(pm_client, estimate, panel, rigger):
    rows = _rows(panel, rigger)
    rows["labour"][0]["crew_size"] = "100000"

    response = pm_client.post(
        reverse("estimates:estimate_edit", args=[estimate.pk]), _post(rows=rows)
    )

    assert response.status_code == 422
    assert "That number is too big: the most this takes is 9,999.9" in response.content.decode()
    assert not estimate.versions.exists()


def test_a_scenario_using_a_retired_item_and_role_saves_again(pm_client, estimate, panel, rigger):
    url = reverse("estimates:estimate_edit", args=[estimate.pk])
    pm_client.post(url, _post(rows=_rows(panel, rigger)))
    services.do_deactivate_item(panel, None)
    services.do_update_role(rigger, None, {"active": False})

    response = pm_client.post(url, _post(base=1, rows=_rows(panel, rigger, likely="12")))

    assert response.status_code == 302
    assert estimate.versions.count() == 2


def test_the_overtime_share_is_priced_as_it_is_kept(pm_client, estimate, panel, rigger):
    rows = _rows(panel, rigger)
    rows["labour"][0]["overtime_pct"] = "12.5"
    url = reverse("estimates:estimate_edit", args=[estimate.pk])

    pm_client.post(url, _post(rows=rows))
    first = estimate.versions.get().lines.get(kind=LineKind.LABOUR)
    page = pm_client.get(url).content.decode()

    assert first.overtime_share == Decimal("0.125")
    assert 'value="12.5"' in page
    rows["labour"][0]["overtime_pct"] = "12.55"
    refused = pm_client.post(url, _post(base=1, rows=rows))
    assert "Use at most one digit after the decimal point." in refused.content.decode()


def test_a_refused_copy_shows_why_and_keeps_what_was_typed(pm_client, estimate, panel):
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("10")}],
    )

    response = pm_client.post(
        reverse("estimates:estimate_copy", args=[estimate.pk]),
        {"name": "full BOOTH", "screen_area_m2": "55"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "This deal has a scenario called “full BOOTH” already." in page
    assert 'value="55"' in page
    assert Estimate.objects.count() == 1


def test_a_declined_request_is_not_offered_for_a_new_scenario(
    pm_client, deal, seller, project_manager
):
    from tandem.estimates.requests.services import do_create_request, do_decline_request

    def ask(title):
        return do_create_request(
            seller,
            deal,
            title=title,
            brief="Booth",
            needed_by=dt.date.today() + dt.timedelta(days=5),
            estimators=[(project_manager, "everything")],
        )

    ask("Still open")
    do_decline_request(ask("Turned down"), project_manager, reason="No stock")

    page = pm_client.get(reverse("estimates:estimate_create", args=[deal.pk])).content.decode()

    assert "Still open" in page
    assert "Turned down" not in page


def test_the_seller_sees_the_unit_price_of_equipment_priced_by_markup(
    seller_client, estimate, panel
):
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[
            {
                "kind": LineKind.EQUIPMENT,
                "catalog_item": panel,
                "qty": Decimal("3"),
                "markup_pct": Decimal("50"),
            }
        ],
    )

    page = seller_client.get(
        reverse("estimates:estimate_detail", args=[estimate.pk])
    ).content.decode()

    assert "$185.18" in page  # 123.45 + 50 %, per unit
    assert "123.45" not in page
    assert "50 %" not in page


def test_an_unknown_sku_is_an_error_beside_it(pm_client, estimate, panel, rigger):
    rows = _rows(panel, rigger)
    rows["equipment"][0]["catalog_item"] = "NOPE-1"

    response = pm_client.post(
        reverse("estimates:estimate_edit", args=[estimate.pk]), _post(rows=rows)
    )

    assert response.status_code == 422
    assert "“NOPE-1” is not in the list." in response.content.decode()
    assert 'value="NOPE-1"' in response.content.decode()

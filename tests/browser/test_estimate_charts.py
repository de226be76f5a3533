"""The scenario charts drawn in headless Chromium: price by kind on the comparison (with its
numbers a click away), and each role's hours against similar past projects in the editor,
redrawn as the hours are typed; on a desk and on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tandem.catalog import services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import LineKind
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# How many datasets Chart.js drew on the chart's canvas (0 when none was drawn).
DRAWN = """name => {
  const canvas = document.querySelector(`#chart-${name} canvas`);
  const chart = canvas && window.Chart && Chart.getChart(canvas);
  return chart ? chart.data.datasets.length : 0;
}"""


def settle(page):
    # Chart.js grows the bars in over a second; a screenshot before then shows an empty axis.
    page.wait_for_timeout(1200)


@pytest.fixture
def booth(seller):
    cache.clear()
    deal = DealFactory(name="Kestrel booth", owner=seller, project_type="event_staging")
    panel = CatalogItemFactory(
        name="LED panel", unit_cost=Decimal("100"), list_price=Decimal("200")
    )
    rigger = services.do_create_role(None, name="Union rigger", union=True)
    services.do_add_rate(
        rigger,
        None,
        effective_from=dt.date.today().replace(month=1, day=1),
        cost_rate=Decimal("60"),
        bill_rate=Decimal("100"),
    )
    for n, hours in enumerate((30, 40, 50, 60)):
        do_create_past_project(
            None,
            reference=f"NL-{n}",
            name=f"Booth {n}",
            project_type="event_staging",
            venue_type="convention",
            screen_area_m2=Decimal(40),
            show_days=2,
            hours={rigger: Decimal(hours)},
        )
    scenarios = []
    for name, qty, hours in (("Full 360° screen", 40, "12"), ("Half booth", 20, "8")):
        estimate = do_create_estimate(None, deal, name=name)
        estimate.venue_type, estimate.screen_area_m2, estimate.show_days = "convention", 40, 2
        estimate.save()
        labour = {
            "kind": LineKind.LABOUR,
            "role": rigger,
            "crew_size": Decimal("2"),
            "hours_low": Decimal(hours),
            "hours_likely": Decimal(hours),
            "hours_high": Decimal(hours),
        }
        equipment = {"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal(qty)}
        do_save_version(estimate, None, base_number=0, lines=[equipment, labour])
        scenarios.append(estimate)
    yield deal, scenarios
    cache.clear()


def test_the_comparison_draws_price_by_kind_with_the_numbers_a_click_away(
    page, mobile_page, login, shot, booth
):
    deal, _ = booth
    url = f"/deals/{deal.pk}/estimates/compare/"

    login(page, "sam")
    page.goto(url)

    page.wait_for_function(f"() => ({DRAWN})('price-by-kind') === 2")
    numbers = page.locator("#chart-price-by-kind details")
    expect(numbers.locator("table")).not_to_be_visible()
    numbers.locator("summary").click()
    # 40 panels at 200 and 2 riggers × 12 h at 100; the half booth half of each.
    expect(numbers.locator("table")).to_contain_text("$8,000")
    expect(numbers.locator("table")).to_contain_text("$2,400")
    expect(numbers.locator("table")).to_contain_text("$1,600")
    settle(page)
    shot(page, "estimate-compare-chart")

    login(mobile_page, "sam")
    mobile_page.goto(url)
    mobile_page.wait_for_function(f"() => ({DRAWN})('price-by-kind') === 2")
    box = mobile_page.locator("#chart-price-by-kind canvas").bounding_box()
    assert 0 < box["width"] <= 390
    settle(mobile_page)
    shot(mobile_page, "estimate-compare-chart-phone")


def test_the_editor_draws_the_roles_hours_against_past_projects_as_they_are_typed(
    page, login, shot, booth, project_manager
):
    _, (full, _) = booth

    login(page, "pat")
    page.goto(f"/estimates/{full.pk}/edit/")

    page.wait_for_function(f"() => ({DRAWN})('role-hours') === 3")
    this_scenario = "() => Chart.getChart(document.querySelector('#chart-role-hours canvas'))"
    assert page.evaluate(f"{this_scenario}.data.datasets[1].data") == [24]
    # Typing new hours redraws the panel and its chart with them.
    for field in ("hours_low", "hours_likely", "hours_high"):
        page.locator(f'[name="labour-0-{field}"]').fill("30")
    page.wait_for_function(
        f"() => {{ const c = ({this_scenario})(); return c && c.data.datasets[1].data[0] === 60; }}"
    )
    page.locator("#chart-role-hours summary").click()
    expect(page.locator("#chart-role-hours table")).to_contain_text("60 h")
    shot(page, "estimate-editor-role-hours")

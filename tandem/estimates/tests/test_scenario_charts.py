"""The scenario charts: price by kind on the comparison, each role's hours against similar
past projects in the editor; what they are built from and what the pages carry."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from tandem.catalog import services as catalog_services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.core.charts import Span
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import LineKind
from tandem.estimates.scenarios.charts import (
    ComparedScenario,
    RoleHours,
    price_by_kind_chart,
    role_hours_chart,
)
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.pipeline.tests.factories import DealFactory

D = Decimal


def _scenario(name, price, currency="USD", **by_kind):
    return ComparedScenario(name, D(price), currency, {k: D(v) for k, v in by_kind.items()})


def test_price_by_kind_stacks_each_kind_per_scenario_and_tops_up_with_contingency():
    full = _scenario("Full", "1155.00", equipment="600", labour="400", expense="50")
    half = _scenario("Half", "525.00", equipment="300", labour="200")

    chart = price_by_kind_chart([full, half])

    assert chart.labels == ["Full", "Half"]
    assert [(s.label, s.values) for s in chart.series] == [
        ("Equipment", [D("600"), D("300")]),
        ("Labour", [D("400"), D("200")]),
        ("Expense", [D("50"), D(0)]),
        ("Contingency", [D("105.00"), D("25.00")]),
    ]
    # Each bar is as tall as the scenario's price.
    for i, scenario in enumerate((full, half)):
        assert sum(s.values[i] for s in chart.series) == scenario.price
    assert (chart.stacked, chart.money, chart.currency) == (True, True, "USD")
    config = chart.config()
    assert config["data"]["datasets"][0]["data"] == [600.0, 300.0]
    assert config["data"]["datasets"][1]["backgroundColor"] == "#E69F00"


def test_cents_of_rounding_make_no_contingency_segment():
    chart = price_by_kind_chart(
        [_scenario("A", "36.05", expense="36.06"), _scenario("B", "10.01", expense="10")]
    )

    assert [s.label for s in chart.series] == ["Expense"]


@pytest.mark.parametrize(
    "scenarios",
    [
        [],
        [_scenario("A", "100", equipment="100"), _scenario("B", "90", "EUR", equipment="90")],
    ],
)
def test_no_price_chart_without_scenarios_or_across_currencies(scenarios):
    assert price_by_kind_chart(scenarios) is None


def test_the_bullet_chart_draws_the_range_the_likely_mark_and_this_scenarios_hours():
    chart = role_hours_chart(
        [
            RoleHours("Rigger", D("198.000"), low=125, likely=207, high=284),
            RoleHours("Audio engineer", D("12.50")),
            # Ends the wrong way round are put right, not drawn inside out.
            RoleHours("LED technician", D("166.6666"), low=334, likely=282, high=188),
        ]
    )

    assert chart.labels == ["Rigger", "Audio engineer", "LED technician"]
    band, bar, mark = chart.series
    assert band.values == [Span(125, 284), None, Span(188, 334)]
    # Hours as a person reads them, to the hundredth at most.
    assert [str(v) for v in bar.values] == ["198", "12.5", "166.67"]
    assert mark.values == [207, None, 282]
    assert (chart.horizontal, chart.unit) == (True, "h")
    datasets = chart.config()["data"]["datasets"]
    # Floating bars for the band, overlaid rather than side by side, drawn behind the rest.
    assert datasets[0]["data"] == [[125, 284], None, [188, 334]]
    assert [d["order"] for d in datasets] == [3, 2, 1]
    assert all(d["grouped"] is False and d["indexAxis"] == "y" for d in datasets)
    assert datasets[2]["type"] == "line"
    assert datasets[2]["showLine"] is False
    assert datasets[1]["data"] == [198.0, 12.5, 166.67]
    assert chart.rows()[0] == ("Rigger", [Span(125, 284), 198, 207])


@pytest.mark.parametrize(
    "roles",
    [[], [RoleHours("Rigger", D("10"))], [RoleHours("Rigger", None, low=None, high=40)]],
)
def test_no_bullet_chart_when_no_role_has_past_projects_to_compare(roles):
    assert role_hours_chart(roles) is None


# Pages ----------------------------------------------------------------------------------


@pytest.fixture
def rigger(db):
    role = catalog_services.do_create_role(None, name="Rigger", union=True)
    catalog_services.do_add_rate(
        role, None, effective_from=dt.date(2026, 1, 1), cost_rate=D("60"), bill_rate=D("100")
    )
    return role


@pytest.fixture
def panel(db):
    return CatalogItemFactory(name="LED panel", unit_cost=D("100"), list_price=D("200"))


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, project_type="event_staging")


def _config(html: str, name: str) -> dict:
    script = f'<script id="chart-{name}-config" type="application/json">'
    return json.loads(html.split(script, 1)[1].split("</script>", 1)[0])


def _labour(rigger, likely="10"):
    hours = D(likely)
    return {
        "kind": LineKind.LABOUR,
        "role": rigger,
        "crew_size": D("2"),
        "hours_low": hours,
        "hours_likely": hours,
        "hours_high": hours,
    }


def test_the_comparison_charts_price_by_kind_with_the_numbers_a_click_away(
    seller_client, deal, panel, rigger
):
    for name, qty, likely in (("Full booth", 4, "10"), ("Half booth", 2, "6")):
        estimate = do_create_estimate(None, deal, name=name)
        lines = [{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": D(qty)}]
        do_save_version(estimate, None, base_number=0, lines=[*lines, _labour(rigger, likely)])

    html = seller_client.get(reverse("estimates:estimate_compare", args=[deal.pk])).content.decode()

    config = _config(html, "price-by-kind")
    assert config["data"]["labels"] == ["Full booth", "Half booth"]
    # 4 and 2 panels at 200; 2 riggers × 10 h and × 6 h at 100.
    assert [(d["label"], d["data"]) for d in config["data"]["datasets"]] == [
        ("Equipment", [800.0, 400.0]),
        ("Labour", [2000.0, 1200.0]),
    ]
    assert config["tandem"]["stacked"] is True
    numbers = html.split('id="chart-price-by-kind"', 1)[1].split("</figure>", 1)[0]
    assert "<summary>Numbers</summary>" in numbers
    assert '<td class="text-end">$2,000</td>' in numbers


def test_a_comparison_with_nothing_saved_has_no_chart(seller_client, deal):
    do_create_estimate(None, deal, name="Empty")

    html = seller_client.get(reverse("estimates:estimate_compare", args=[deal.pk])).content.decode()

    assert "No saved scenario to compare yet." in html
    assert "chart-price-by-kind" not in html


def _history(rigger, hours=(30, 40, 50, 60)):
    cache.clear()
    for n, total in enumerate(hours):
        do_create_past_project(
            None,
            reference=f"NL-{n}",
            name=f"Booth {n}",
            project_type="event_staging",
            venue_type="convention",
            screen_area_m2=D(40),
            show_days=2,
            hours={rigger: D(total)},
        )


def _preview(pm_client, estimate, rigger, likely):
    data = {
        "base_number": "0",
        "name": estimate.name,
        "contingency_pct": "0",
        "venue_type": "convention",
        "screen_area_m2": "40",
        "show_days": "2",
    }
    for prefix in ("equipment", "labour", "subcontract", "expense"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {
        "labour-TOTAL_FORMS": "1",
        "labour-0-role": str(rigger.pk),
        "labour-0-crew_size": "2",
        "labour-0-hours_low": likely,
        "labour-0-hours_likely": likely,
        "labour-0-hours_high": likely,
        "labour-0-calls": "1",
    }
    url = reverse("estimates:estimate_preview", args=[estimate.pk])
    return pm_client.post(url, data).content.decode()


def test_the_editor_shows_each_roles_hours_against_the_past_range(pm_client, deal, rigger):
    _history(rigger)
    estimate = do_create_estimate(None, deal, name="Full booth")

    html = _preview(pm_client, estimate, rigger, likely="35")

    config = _config(html, "role-hours")
    band, bar, mark = config["data"]["datasets"]
    assert config["data"]["labels"] == ["Rigger"]
    assert bar["data"] == [70.0]  # 2 riggers × 35 h
    (low, high) = band["data"][0]
    assert low <= mark["data"][0] <= high
    assert 30 <= low <= high <= 60
    numbers = html.split('id="chart-role-hours"', 1)[1].split("</figure>", 1)[0]
    assert f'<td class="text-end">{low}–{high} h</td>' in numbers
    cache.clear()


def test_a_role_without_enough_past_projects_gets_no_chart(pm_client, deal, rigger):
    _history(rigger, hours=(30, 40))
    estimate = do_create_estimate(None, deal, name="Full booth")

    html = _preview(pm_client, estimate, rigger, likely="35")

    assert "chart-role-hours" not in html
    assert "Too few past projects with this role to compare." in html
    cache.clear()

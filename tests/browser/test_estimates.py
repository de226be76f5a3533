"""Estimates end to end in headless Chromium: the seller asks for numbers, the project manager
builds a scenario line by line, copies it to a half booth and returns it, the seller compares
the two, accepts one, and the customer's proposal shows prices but no cost."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.catalog import services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _price(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_request_build_copy_compare_accept_and_a_proposal_without_cost(
    page, login, shot, seller, project_manager
):
    deal = DealFactory(name="Kestrel booth", owner=seller, amount=Decimal("1000"))
    CatalogItemFactory(
        sku="LED-P26-IN",
        name="LED panel 2.6 mm",
        unit_cost=Decimal("123.45"),
        list_price=Decimal("200.00"),
    )
    rigger = services.do_create_role(None, name="Union rigger", union=True)
    services.do_add_rate(
        rigger,
        None,
        effective_from=dt.date.today().replace(month=1, day=1),
        cost_rate=Decimal("61.37"),
        bill_rate=Decimal("100.00"),
    )

    # The seller asks for numbers from the deal.
    login(page, "sam")
    page.goto(deal.get_absolute_url())
    page.get_by_role("link", name="Ask for an estimate").click()
    page.get_by_label("Title").fill("Booth: 360° LED ring")
    page.get_by_label("Brief").fill("A curved LED screen all the way round, 15 ft up.")
    page.get_by_label("Needed by").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.locator("#estimator-rows select").first.select_option(label="Pat PM")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Booth: 360° LED ring").first).to_be_visible()

    # The project manager builds the full scenario from the request.
    page.context.clear_cookies()
    login(page, "pat")
    page.goto(deal.get_absolute_url())
    page.get_by_role("link", name="Booth: 360° LED ring").click()
    page.get_by_role("link", name="Build a scenario").click()
    page.get_by_label("Name").fill("Full 360° screen")
    page.get_by_label("Screen area (m²)").fill("60")
    page.get_by_role("button", name="Open the scenario").click()

    page.get_by_role("button", name="Add equipment").click()
    page.locator('[name="equipment-0-catalog_item"]').fill("LED-P26-IN")
    page.locator('[name="equipment-0-qty"]').fill("20")
    page.get_by_role("button", name="Add labour").click()
    page.locator('[name="labour-0-role"]').select_option(label="Union rigger")
    page.locator('[name="labour-0-crew_size"]').fill("2")
    page.locator('[name="labour-0-hours_low"]').fill("8")
    page.locator('[name="labour-0-hours_likely"]').fill("10")
    page.locator('[name="labour-0-hours_high"]').fill("14")
    page.get_by_label("Contingency %").fill("0")
    # 20 panels at list 200 and 2 riggers × PERT 10.33 h × 100, added up as typed.
    expect(page.locator("#total-price")).to_have_text("$6,066.67")
    expect(page.locator("#margin-pct")).to_be_visible()
    shot(page, "estimate-editor")
    page.get_by_role("button", name="Save as version 1").click()
    expect(page.locator("#price")).to_have_text("$6,066.67")

    # The client asks for half the booth: copy and halve the screen.
    page.get_by_role("button", name="Copy as a new scenario").click()
    page.get_by_label("Name of the new scenario").fill("Half booth")
    page.get_by_label("Screen area (m²)").fill("30")
    page.get_by_role("button", name="Copy and edit").click()
    page.locator('[name="equipment-0-qty"]').fill("10")
    page.get_by_label("What changed").fill("Halved the screen")
    expect(page.locator("#total-price")).to_have_text("$4,066.67")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator("#price")).to_have_text("$4,066.67")
    page.get_by_role("link", name="Booth: 360° LED ring").click()
    page.get_by_role("button", name="Return to the seller").click()
    expect(page.get_by_text("Returned").first).to_be_visible()

    # The seller compares the two side by side and accepts the half booth.
    page.context.clear_cookies()
    login(page, "sam")
    page.goto(deal.get_absolute_url())
    page.locator("#compare-link").click()
    comparison = page.locator("#comparison")
    expect(comparison).to_contain_text("$6,066.67")
    expect(comparison).to_contain_text("$4,066.67")
    expect(comparison).not_to_contain_text("123.45")
    shot(page, "estimate-compare")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Accept “Half booth”").click()
    expect(page.locator(".card-section dd.fs-5").first).to_have_text("$4,067")

    # The proposal for the accepted scenario: prices, never a cost.
    page.get_by_role("link", name="Half booth").click()
    page.get_by_role("link", name="Proposal").click()
    expect(page.get_by_text("$4,066.67").first).to_be_visible()
    body = page.locator("body").inner_text()
    assert "123.45" not in body
    assert "61.37" not in body
    assert not re.search(r"\bcost\b", body, re.IGNORECASE)
    shot(page, "estimate-proposal")

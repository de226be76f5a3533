"""Rate cards end to end in headless Chromium: a project manager adds next year's union rate;
a seller sees bill rates but never cost rates."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_adds_next_years_rate_and_a_seller_sees_no_cost(
    page, login, shot, project_manager, seller
):
    today = dt.date.today()
    rigger = LabourRoleFactory(name="Union rigger (IATSE)", union=True)
    RoleRateFactory(
        role=rigger,
        effective_from=today.replace(month=1, day=1),
        cost_rate=Decimal("68.00"),
        bill_rate=Decimal("104.00"),
    )
    next_year = dt.date(today.year + 1, 1, 1)

    login(page, "pat")
    page.goto("/rates/")
    page.get_by_role("link", name="Union rigger (IATSE)").click()
    page.get_by_role("link", name="New rate").click()
    page.get_by_label("Effective from").fill(next_year.isoformat())
    page.get_by_label("Cost rate").fill("-1")
    page.get_by_label("Bill rate").fill("108.16")
    page.get_by_role("button", name="Add rate").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("Bill rate")).to_have_value("108.16")
    page.get_by_label("Cost rate").fill("70.72")
    page.get_by_role("button", name="Add rate").click()
    page.goto("/rates/")
    expect(page.get_by_text("$108.16 from 1 Jan")).to_be_visible()
    expect(page.get_by_text("$68.00")).to_be_visible()
    shot(page, "rate-cards-manager")

    page.context.clear_cookies()
    login(page, "sam")
    page.goto("/rates/")
    expect(page.get_by_text("$104.00")).to_be_visible()
    expect(page.get_by_text("$68.00")).to_have_count(0)
    expect(page.get_by_role("link", name="New role")).to_have_count(0)

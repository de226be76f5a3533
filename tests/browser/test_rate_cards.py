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


def test_a_rate_below_cost_is_refused_until_the_manager_confirms_it(
    page, mobile_page, login, shot, project_manager
):
    rigger = LabourRoleFactory(name="Stagehand")
    next_year = dt.date(dt.date.today().year + 1, 1, 1)

    login(page, "pat")
    page.goto(f"/rates/roles/{rigger.pk}/")
    page.get_by_role("link", name="New rate").click()
    page.get_by_label("Effective from").fill(next_year.isoformat())
    page.get_by_label("Cost rate").fill("60.00")
    page.get_by_label("Bill rate").fill("55.00")
    page.get_by_role("button", name="Add rate").click()

    warning = page.locator("#below-cost-confirm")
    expect(warning).to_contain_text("I know every hour of this role loses money")
    expect(page.locator(".invalid-feedback").first).to_contain_text("below the cost rate")
    expect(page.get_by_label("Bill rate")).to_have_value("55.00")
    shot(page, "rate-below-cost-refused")
    page.get_by_label("Bill below cost").check()
    page.get_by_role("button", name="Add rate").click()
    expect(page.get_by_text("Note: it bills below cost.")).to_be_visible()
    expect(page.get_by_text("$55.00").first).to_be_visible()

    # A manager cannot back-date one; the date says why, on a phone too.
    login(mobile_page, "pat")
    mobile_page.goto(f"/rates/roles/{rigger.pk}/rates/new/")
    mobile_page.get_by_label("Effective from").fill(
        (dt.date.today() - dt.timedelta(days=3)).isoformat()
    )
    mobile_page.get_by_label("Cost rate").fill("60.00")
    mobile_page.get_by_label("Bill rate").fill("95.00")
    mobile_page.get_by_role("button", name="Add rate").click()
    expect(mobile_page.locator(".invalid-feedback").first).to_contain_text(
        "only an admin can back-date a rate"
    )
    expect(mobile_page.get_by_label("Back-date this rate")).to_have_count(0)
    shot(mobile_page, "rate-back-dated-refused-phone")

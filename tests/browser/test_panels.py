"""The pages other apps add to: an account page shows its deals and timeline (the pipeline's
panels) and logs a call about a deal; the deal page shows it beside the close plan and the
estimates (their apps' panels)."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_a_call_about_a_deal_from_the_account_page(page, login, shot, seller):
    kestrel = AccountFactory(name="Kestrel Robotics", owner=seller)
    booth = DealFactory(
        name="Exhibit booth",
        account=kestrel,
        owner=seller,
        amount=Decimal("180000"),
        target_close_date=dt.date.today() + dt.timedelta(days=45),
    )
    login(page, "sam")

    page.goto(f"/accounts/{kestrel.pk}/")
    expect(page.locator("#deals").get_by_role("link", name="Exhibit booth")).to_be_visible()
    expect(page.get_by_role("link", name="New deal")).to_be_visible()
    page.locator("#log-activity summary").click()
    form = page.locator("#log-activity form")
    form.get_by_label("Kind").select_option("call")
    form.get_by_label("Subject").fill("Walked the hall with their events lead")
    form.get_by_label("Deal").select_option(str(booth.pk))
    form.get_by_role("button", name="Log it").click()

    page.wait_for_url(f"**/accounts/{kestrel.pk}/")
    expect(page.locator(".alert", has_text="Activity logged.")).to_be_visible()
    logged = page.locator("#timeline .timeline-item", has_text="Walked the hall")
    expect(logged).to_contain_text("Call")
    shot(page, "account-panels")

    page.goto(f"/deals/{booth.pk}/")
    expect(page.locator("#close-plan")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for an estimate")).to_be_visible()
    expect(page.locator(".timeline-item", has_text="Walked the hall")).to_be_visible()
    shot(page, "deal-panels")


def test_an_empty_log_keeps_what_was_typed_and_says_why(page, login, seller):
    kestrel = AccountFactory(name="Kestrel Robotics", owner=seller)
    login(page, "sam")

    page.goto(f"/accounts/{kestrel.pk}/")
    page.locator("#log-activity summary").click()
    form = page.locator("#log-activity form")
    # The browser would refuse an empty subject itself; see what the server says.
    form.locator("[required]").evaluate_all(
        "els => els.forEach(e => e.removeAttribute('required'))"
    )
    form.get_by_label("Subject").fill("")
    form.locator("textarea").fill("Notes I do not want to lose")
    form.get_by_role("button", name="Log it").click()

    expect(page.locator("#log-activity")).to_have_attribute("open", "")
    expect(page.locator("#log-activity .invalid-feedback").first).to_be_visible()
    expect(page.locator("#log-activity textarea")).to_have_value("Notes I do not want to lose")

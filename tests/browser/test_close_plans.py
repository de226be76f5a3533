"""Close plans end to end in headless Chromium: lay out a plan from a template, block a step,
see the plan slip and accept the realistic date; share the plan and tick a step as the
customer, in a browser context that never signed in."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tandem.closeplans.tests.factories import av_template
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def planned_deal(seller):
    account = AccountFactory(name="Lakeside Convention Center", owner=seller)
    StakeholderFactory(account=account, influence="finance", contact__first_name="Dana")
    av_template()
    return DealFactory(
        name="Ballroom LED wall",
        account=account,
        owner=seller,
        target_close_date=dt.date.today() + dt.timedelta(days=42),
    )


def test_lay_out_block_slip_and_accept(page, login, shot, planned_deal):
    login(page, "sam")
    page.goto(f"/deals/{planned_deal.pk}/")
    plan = page.locator("#close-plan")
    plan.get_by_role("button", name="Lay out the plan").click()
    expect(plan.locator(".plan-step")).to_have_count(5)
    expect(plan.locator("#plan-health")).to_have_text("On track")
    shot(page, "plan-laid-out")

    walkthrough = plan.locator(".plan-step", has_text="Technical walkthrough")
    walkthrough.locator("summary", has_text="Blocked…").click()
    walkthrough.get_by_role("button", name="Block").click()
    expect(plan.locator(".plan-step", has_text="Technical walkthrough")).to_contain_text(
        "Say what blocks this step"
    )
    walkthrough = plan.locator(".plan-step", has_text="Technical walkthrough")
    walkthrough.get_by_placeholder("Blocked because…").fill("Waiting for venue floor plans")
    walkthrough.get_by_role("button", name="Block").click()
    expect(plan.locator(".step-blocker")).to_contain_text("Waiting for venue floor plans")
    expect(plan.locator("#plan-health")).to_have_text("At risk")

    budget = plan.locator(".plan-step", has_text="Budget approval")
    budget.locator("summary", has_text="Edit").click()
    budget.get_by_label("Business days of work").fill("40")
    budget.get_by_role("button", name="Save step").click()
    expect(plan.locator("#plan-slipped")).to_be_visible()
    expect(plan.locator("#plan-health")).to_have_text("Slipped")
    shot(page, "plan-slipped")

    proposed = plan.locator("#accept-close-form button").inner_text().removeprefix("Accept ")
    plan.get_by_placeholder(re.compile("Anything to add")).fill("Finance meets monthly")
    plan.locator("#accept-close-form button").click()
    page.wait_for_load_state()
    expect(page.locator("#plan-slipped")).to_have_count(0)
    expect(page.locator("#close-date")).to_contain_text(proposed)
    expect(page.locator(".close-date-change").first).to_contain_text("Finance meets monthly")
    shot(page, "plan-accepted")
    planned_deal.refresh_from_db()
    assert not planned_deal.close_plan.steps.filter(due_date__gt=planned_deal.target_close_date)


def test_customer_link_opens_in_a_fresh_browser_and_ticks_a_step(
    browser, page, login, shot, planned_deal
):
    login(page, "sam")
    page.goto(f"/deals/{planned_deal.pk}/")
    plan = page.locator("#close-plan")
    plan.get_by_role("button", name="Lay out the plan").click()
    expect(plan.locator(".plan-step")).to_have_count(5)
    plan.locator("summary", has_text="Share with the customer").click()
    plan.get_by_role("button", name="Make a customer link").click()
    link = page.get_by_label("Customer link")
    expect(link).to_have_value(re.compile(r"/shared/"))
    url = link.input_value()

    customer = browser.new_context(locale="en-US")
    try:
        theirs = customer.new_page()
        theirs.goto(url)
        expect(theirs.get_by_text("Ballroom LED wall")).to_be_visible()
        expect(theirs.get_by_text("$50,000")).to_have_count(0)
        step = theirs.locator("li", has_text="Technical walkthrough").first
        step.get_by_role("button", name="Mark done").click()
        expect(theirs.locator("li", has_text="Technical walkthrough").first).to_contain_text("Done")
        step = theirs.locator("li", has_text="Budget approval").first
        step.locator("summary", has_text="Comment").click()
        step.get_by_label("Your name").fill("Dana Whitfield")
        step.get_by_label("Comment").fill("Finance meets on the 12th; we will approve then.")
        step.get_by_role("button", name="Post comment").click()
        expect(theirs.locator("li", has_text="Budget approval").first).to_contain_text(
            "Finance meets on the 12th"
        )
        shot(theirs, "customer-plan")
        # Our own steps cannot be ticked from the link.
        ours = theirs.locator("li", has_text="Proposal review").first
        expect(ours.get_by_role("button", name="Mark done")).to_have_count(0)
    finally:
        customer.close()

    page.reload()
    walkthrough = page.locator(".plan-step", has_text="Technical walkthrough")
    expect(walkthrough).to_contain_text("updated by the customer")
    expect(walkthrough).to_contain_text("Done")

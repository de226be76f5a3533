"""The customer's shared plan reaches the seller, in headless Chromium: the customer opens the
branded page, sees how far the plan has come, ticks a step and comments in the box that
opens on demand; the seller finds it on Today, in the bell's dropdown and on the deal page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.closeplans import services
from tandem.closeplans.tests.factories import av_template
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shared_url(seller, live_server, settings):
    settings.TANDEM_COMPANY_NAME = "Northlight AV & Staging"
    settings.TANDEM_BRAND_COLOUR = "#0b6e4f"
    settings.TANDEM_COMPANY_LOGO_URL = "/static/favicon.svg"
    account = AccountFactory(name="Lakeside Convention Center", owner=seller)
    StakeholderFactory(account=account, influence="finance", contact__first_name="Dana")
    deal = DealFactory(
        name="Ballroom LED wall",
        account=account,
        owner=seller,
        target_close_date=dt.date.today() + dt.timedelta(days=42),
    )
    plan = services.do_apply_template(deal, av_template(), seller, now=timezone.now())
    link = services.do_create_share_link(plan, seller)
    return deal, f"{live_server.url}/shared/{services.share_token(link)}/"


def test_the_customer_ticks_and_comments_and_the_seller_sees_it(
    browser, page, login, shot, shared_url
):
    deal, url = shared_url
    customer = browser.new_context(locale="en-US", viewport=WIDE)
    try:
        theirs = customer.new_page()
        theirs.goto(url)
        expect(theirs.locator("#brand-name")).to_have_text("Northlight AV & Staging")
        expect(theirs.locator(".customer-brand-logo")).to_be_visible()
        expect(theirs.locator("#progress-summary")).to_have_text("0 of 5 steps done")
        expect(theirs.locator("#plan-progress")).to_contain_text("next: Discovery call")
        # One closed comment box per step: no form shows until asked for.
        expect(theirs.locator("details.comment-box[open]")).to_have_count(0)
        expect(theirs.get_by_label("Your name")).to_have_count(5)
        expect(theirs.get_by_label("Your name").first).to_be_hidden()

        walkthrough = theirs.locator("li", has_text="Technical walkthrough").first
        walkthrough.get_by_role("button", name="Mark done").click()
        expect(theirs.locator("#progress-summary")).to_have_text("1 of 5 steps done")

        budget = theirs.locator("li", has_text="Budget approval").first
        budget.locator("summary", has_text="Comment").click()
        budget.get_by_role("button", name="Post comment").click()
        budget = theirs.locator("li", has_text="Budget approval").first
        expect(budget).to_contain_text("Write something first.")
        budget.get_by_label("Your name").fill("Dana Whitfield")
        budget.get_by_label("Comment").fill("Finance meets on the 12th; we approve then.")
        budget.get_by_role("button", name="Post comment").click()
        expect(theirs.locator("li", has_text="Budget approval").first).to_contain_text(
            "Finance meets on the 12th"
        )
        theirs.reload()
        # The name is known now: the boxes no longer ask for it.
        expect(theirs.locator("details.comment-box").get_by_label("Your name")).to_have_count(0)
        expect(theirs.locator("#your-name")).to_contain_text("commenting as Dana Whitfield")
        theirs.locator("li", has_text="Contract signature").first.locator(
            "summary", has_text="Comment"
        ).click()
        shot(theirs, "customer-plan-1400")
        phone = customer.new_page()
        phone.set_viewport_size(PHONE)
        phone.goto(url)
        expect(phone.locator("#progress-summary")).to_have_text("1 of 5 steps done")
        shot(phone, "customer-plan-390")
    finally:
        customer.close()

    page.set_viewport_size(WIDE)
    login(page, "sam")
    page.goto("/")
    card = page.locator("#today-new-from-your-customers")
    expect(card).to_contain_text("Ballroom LED wall · Lakeside Convention Center")
    expect(card).to_contain_text("2 updates · latest: Dana Whitfield commented on")
    shot(page, "customer-news-today-1400")

    expect(page.locator("#nav-notifications .badge")).to_have_text(re.compile(r"^1"))
    page.locator("#nav-notifications").click()
    item = page.locator("#bell-menu .bell-item").first
    expect(item).to_contain_text(
        "2 updates from Lakeside Convention Center on the close plan", timeout=15_000
    )
    expect(page.locator("#bell-unread")).to_have_text("1 unread notice")
    shot(page, "bell-dropdown-1400")
    item.click()

    page.wait_for_url(re.compile(rf"/deals/{deal.pk}/#customer-news$"))
    news = page.locator("#customer-news")
    expect(news).to_contain_text("New from the customer")
    expect(news.locator(".customer-news-item")).to_have_count(2)
    # Ticked before a name was given: signed as the customer.
    expect(news).to_contain_text("The customer ticked off “Technical walkthrough”")
    expect(news).to_contain_text("Dana Whitfield commented on “Budget approval”")
    # Opening the notice read it: the bell has nothing unread left.
    expect(page.locator("#nav-notifications .badge")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "customer-news-deal-1400")

    page.set_viewport_size(PHONE)
    page.goto("/")
    expect(page.locator("#today-new-from-your-customers")).to_contain_text(
        "Nothing new on your shared plans since you last looked."
    )
    page.locator(".navbar-toggler").click()
    page.locator("#nav-notifications").click()
    # The dropdown loads its items when it opens: on a busy machine that takes a moment.
    expect(page.locator("#bell-menu .bell-item").first).to_contain_text("2 updates", timeout=15_000)
    shot(page, "bell-dropdown-390")

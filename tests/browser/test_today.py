"""Each role's Today page in headless Chromium: sign in, open /, see the cards filled with
demo-like data, follow one card's action to the page where the work is done. Screenshots at
desktop (1400) and phone (390) widths go to /tmp/tandem-shots/today-<role>*.png."""

import re

import pytest
from playwright.sync_api import expect

from tests.today_data import fill_today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def filled(seller, project_manager):
    fill_today(6, seller=seller, estimator=project_manager)


def open_today(page, login, shot, username: str, name: str):
    # Signing in lands on Today.
    login(page, username, then=None)
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    shot(page, f"today-{name}")
    page.set_viewport_size(PHONE)
    shot(page, f"today-{name}-phone")
    page.set_viewport_size(DESKTOP)


def card(page, title: str):
    return page.locator("section.today-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def test_a_sellers_today_leads_to_laying_out_a_plan(page, login, shot, filled):
    open_today(page, login, shot, "sam", "seller")

    expect(page.locator("#today-headline")).to_contain_text("things need you")
    for title in ("Past their close date", "Plans slipped or at risk", "Estimates returned to you"):
        expect(card(page, title).locator("li")).to_have_count(5)
    expect(card(page, "My checkups").locator(".badge")).not_to_have_text("0")
    no_plan = card(page, "Deals with no close plan")
    expect(no_plan.locator(".badge")).to_have_text("12")
    expect(no_plan.locator(".card-footer")).to_contain_text("7 more")
    expect(page.locator("main").get_by_text("Pipeline hygiene")).to_have_count(0)

    no_plan.get_by_role("link", name="Lay out the plan").first.click()

    expect(page).to_have_url(re.compile(r"/deals/\d+/#close-plan$"))
    expect(page.locator("h1")).to_contain_text("Late deal 005")
    expect(
        page.locator("#close-plan").get_by_role("button", name="Lay out the plan")
    ).to_be_visible()


def test_a_project_managers_today_leads_to_the_most_overdue_request(page, login, shot, filled):
    open_today(page, login, shot, "pat", "project-manager")

    requests = card(page, "Estimate requests for you")
    expect(requests.locator(".badge")).to_have_text("6")
    first = requests.locator("li").first
    expect(first).to_contain_text("Overdue since")
    expect(card(page, "Your deals closing within 30 days").locator("li")).to_have_count(5)
    expect(page.get_by_text("Estimates returned to you")).to_have_count(0)

    first.get_by_role("link", name="Start").click()

    expect(page).to_have_url(re.compile(r"/estimate-requests/\d+/#work$"))
    expect(page.locator("h1")).to_contain_text("Waiting request 000")


def test_finances_today_leads_to_a_won_deal(page, login, shot, filled, finance):
    open_today(page, login, shot, "fin", "finance")

    won = card(page, "Won in the last 30 days")
    expect(won.locator(".badge")).to_have_text("6")
    expect(won.locator("li").first).to_contain_text("no accepted scenario")
    expect(card(page, "Rate changes").locator("li")).to_have_count(5)
    expect(page.get_by_text("Plans slipped or at risk")).to_have_count(0)

    won.get_by_role("link", name="Open deal").first.click()

    expect(page).to_have_url(re.compile(r"/deals/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Won deal 005")


def test_an_executives_today_charts_the_pipeline_and_leads_to_a_slip(
    page, login, shot, filled, executive
):
    open_today(page, login, shot, "eve", "executive")

    expect(page.locator("#chart-pipeline-by-month canvas")).to_be_visible()
    expect(page.locator("#today-pipeline-hygiene [data-seller]")).to_have_count(1)
    slips = card(page, "Biggest slips this week")
    expect(slips.locator("li").first).to_contain_text("Estimated deal 005")
    expect(slips.locator("li").first).to_contain_text("(14 days later)")
    expect(page.get_by_text("Deals with no close plan")).to_have_count(0)

    slips.get_by_role("link", name="See why").first.click()

    expect(page).to_have_url(re.compile(r"/deals/\d+/#close-date-history$"))
    expect(page.locator("#close-date-history")).to_contain_text("14")

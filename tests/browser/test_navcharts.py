"""Charts and the top bar in headless Chromium: the close plan's timeline on the deal page (a
bar per step, read-only, redrawn after a step changes, scrolling sideways on a phone), the
hygiene trend, and the top bar reaching plan templates and the cost basis."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.closeplans import services
from tandem.closeplans.tests.factories import av_template
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEP_BARS = "#plan-timeline .bar-wrapper:not(.tl-close)"


@pytest.fixture
def planned_deal(seller):
    deal = DealFactory(
        name="Ballroom LED wall",
        owner=seller,
        target_close_date=dt.date.today() + dt.timedelta(days=42),
    )
    services.do_apply_template(deal, av_template(), seller)
    return deal


def test_the_plan_timeline_draws_a_bar_per_step_and_the_close(page, login, shot, planned_deal):
    login(page, "sam")
    page.goto(f"/deals/{planned_deal.pk}/")

    timeline = page.locator("#plan-timeline")
    expect(timeline.locator("svg.gantt")).to_be_visible()
    expect(page.locator(STEP_BARS)).to_have_count(5)
    expect(timeline.locator(".bar-wrapper.tl-close")).to_have_count(1)
    theirs = planned_deal.close_plan.steps.filter(side="customer").count()
    expect(timeline.locator('.bar-wrapper[class*="--customer"]')).to_have_count(theirs)
    expect(timeline.locator(".holiday-highlight")).not_to_have_count(0)
    page.wait_for_timeout(600)  # frappe-gantt grows its bars in
    shot(page, "plan-timeline")

    # Dragging a bar changes nothing: the chart is read-only.
    first = page.locator(STEP_BARS).first.locator(".bar")
    box = first.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 5)
    page.mouse.up()
    first_step = planned_deal.close_plan.steps.order_by("position").first()
    due = first_step.due_date
    first_step.refresh_from_db()
    assert first_step.due_date == due

    # A click opens the step's details.
    page.locator(STEP_BARS).nth(1).locator(".bar").click()
    expect(timeline.locator(".popup-wrapper .title")).to_have_text("Technical walkthrough")
    expect(timeline.locator(".popup-wrapper .subtitle")).to_contain_text("Customer")

    # The step list is a click away, and ticking a step off redraws the timeline.
    timeline.get_by_role("link", name=re.compile("The steps as a list")).click()
    step = page.locator(".plan-step", has_text="Discovery call")
    step.get_by_role("button", name="Done").click()
    expect(page.locator("#plan-timeline .bar-wrapper.tl-done--us")).to_have_count(1)
    expect(page.locator(STEP_BARS)).to_have_count(5)


def test_the_plan_timeline_scrolls_sideways_on_a_phone(mobile_page, login, shot, planned_deal):
    page = mobile_page
    login(page, "sam")
    page.goto(f"/deals/{planned_deal.pk}/")

    expect(page.locator(STEP_BARS)).to_have_count(5)
    widths = page.evaluate(
        """() => {
            const chart = document.querySelector('#plan-timeline .gantt-container');
            return {
                chart: chart.scrollWidth, box: chart.clientWidth,
                page: document.documentElement.scrollWidth, screen: window.innerWidth,
            };
        }"""
    )
    assert widths["chart"] > widths["box"]  # the timeline scrolls inside its box
    assert widths["page"] <= widths["screen"]  # the page itself does not
    page.wait_for_timeout(600)  # frappe-gantt grows its bars in
    shot(page, "plan-timeline-phone")


def test_the_hygiene_trend_draws_with_its_numbers(page, login, shot, seller, other_seller):
    deal = DealFactory(owner=seller, target_close_date=dt.date.today() + dt.timedelta(days=30))
    theirs = DealFactory(owner=other_seller)
    for days_ago, owner_deal in [(2, deal), (9, deal), (16, theirs), (30, deal)]:
        CloseDateChange.objects.create(
            deal=owner_deal,
            changed_at=timezone.now() - dt.timedelta(days=days_ago),
            old_date=owner_deal.target_close_date - dt.timedelta(days=7),
            new_date=owner_deal.target_close_date,
        )
    login(page, "sam")
    page.goto("/pipeline/hygiene/")

    canvas = page.locator('#chart-hygiene-trend canvas[data-chart="chart-hygiene-trend-config"]')
    expect(canvas).to_have_attribute("data-drawn", "1")
    page.locator("#chart-hygiene-trend summary", has_text="Numbers").click()
    table = page.locator("#chart-hygiene-trend table")
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table.locator("thead th")).to_have_text(["", "Sam Seller", "Sofia Seller"])
    shot(page, "hygiene-trend")


def test_the_top_bar_reaches_plan_templates_and_the_cost_basis(page, login, shot, seller):
    login(page, "sam")
    page.locator("#nav-company").click()
    shot(page, "nav-company")
    page.locator("#main-nav").get_by_role("link", name="Plan templates").click()
    expect(page).to_have_url(re.compile(r"/plan-templates/$"))
    expect(page.locator("#nav-company")).to_have_class(re.compile(r"\bactive\b"))

    page.locator("#nav-company").click()
    page.locator("#main-nav").get_by_role("link", name="Rate cards").click()
    expect(page).to_have_url(re.compile(r"/rates/$"))
    page.locator("#nav-company").click()
    page.locator("#main-nav").get_by_role("link", name="Catalog").click()
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    page.locator("#nav-reports").click()
    page.locator("#main-nav").get_by_role("link", name="Pipeline hygiene").click()
    expect(page).to_have_url(re.compile(r"/pipeline/hygiene/$"))


def test_the_phone_menu_reaches_the_cost_basis(mobile_page, login, shot, seller):
    page = mobile_page
    login(page, "sam")
    page.get_by_role("button", name="Menu").click()
    page.locator("#nav-company").click()
    shot(page, "nav-company-phone")
    page.locator("#main-nav").get_by_role("link", name="Past projects").click()
    expect(page).to_have_url(re.compile(r"/past-projects/$"))

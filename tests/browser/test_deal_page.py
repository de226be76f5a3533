"""The deal page in headless Chromium: a past close date refused then confirmed, an activity
logged in place, a refused "Mark lost" that keeps what was typed, the next step asked for
after an accepted scenario; locked cards on the board, and the deal list on a phone."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.estimates.models import LineKind
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.pipeline.models import Activity
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = dt.date.today()


def _day(value: dt.date) -> str:
    return value.strftime("%-d %b %Y")


@pytest.fixture
def booth(seller):
    """Sam's booth deal, opened six weeks ago, with who decides and who champions."""
    account = AccountFactory(name="Kestrel Robotics", owner=seller)
    StakeholderFactory(
        account=account,
        influence="decision_maker",
        title="VP Marketing",
        contact__first_name="Dana",
        contact__last_name="Reyes",
    )
    StakeholderFactory(
        account=account,
        influence="champion",
        title="Events lead",
        contact__first_name="Lee",
        contact__last_name="Park",
    )
    return DealFactory(
        name="Exhibit booth",
        account=account,
        owner=seller,
        amount=Decimal("340000"),
        target_close_date=TODAY + dt.timedelta(days=30),
        next_step="Send both budget ranges by Friday",
        created_at=timezone.now() - dt.timedelta(days=42),
    )


def test_a_past_close_date_is_refused_then_taken_when_confirmed_with_a_reason(
    page, login, shot, booth
):
    past = TODAY - dt.timedelta(days=5)
    login(page, "sam")
    page.goto(f"/deals/{booth.pk}/")
    form = page.locator("#close-date-form")
    expect(form.get_by_label("The close date is in the past on purpose")).to_have_count(0)

    form.get_by_label("New close date").fill(past.isoformat())
    form.get_by_label("Why?").fill("PO arrived last week")
    form.get_by_role("button", name="Change").click()

    expect(form.locator(".invalid-feedback")).to_contain_text("has passed")
    expect(form.get_by_label("New close date")).to_have_value(past.isoformat())
    expect(form.get_by_label("Why?")).to_have_value("PO arrived last week")
    expect(page.locator("#close-date")).to_have_text(_day(booth.target_close_date))
    shot(page, "deal-past-close-refused")

    form.get_by_label("The close date is in the past on purpose").check()
    form.get_by_role("button", name="Change").click()

    expect(page.locator(".alert-success")).to_contain_text("Close date changed")
    expect(page.locator("#close-date")).to_have_text(_day(past))
    row = page.locator("tr.close-date-change")
    expect(row).to_contain_text("set in the past")
    expect(row).to_contain_text("PO arrived last week")
    shot(page, "deal-past-close-confirmed")


def test_log_activity_in_place_stays_on_the_deal(page, login, shot, booth):
    login(page, "sam")
    page.goto(f"/deals/{booth.pk}/")
    expect(page.locator("#stakeholders")).to_contain_text("Dana Reyes")
    expect(page.locator("#stakeholders .stakeholder").first).to_contain_text("Decision maker")
    section = page.locator("#activity")

    section.get_by_text("Log activity").click()
    section.get_by_label("Kind").select_option("call")
    section.get_by_role("button", name="Log it").click()

    # Refused in place: the subject is missing, what was chosen stays.
    expect(section.locator(".invalid-feedback")).to_contain_text("Fill this in.")
    expect(section.get_by_label("Kind")).to_have_value("call")
    shot(page, "deal-log-activity-refused")

    section.get_by_label("Subject").fill("Half-booth budget call")
    section.get_by_label("Dana Reyes").check()
    section.get_by_label("Body").fill("They want both ranges by Friday.")
    section.get_by_role("button", name="Log it").click()

    expect(section.locator(".alert-success")).to_contain_text("Logged: Half-booth budget call")
    expect(section.locator(".timeline-item").first).to_contain_text("Half-booth budget call")
    expect(section.locator(".timeline-item").first).to_contain_text("Dana Reyes")
    assert page.url.endswith(f"/deals/{booth.pk}/")
    assert Activity.objects.get().deal_id == booth.pk
    shot(page, "deal-log-activity-done")


def test_finance_sees_the_deal_without_log_activity(page, login, booth, finance):
    login(page, "fin")
    page.goto(f"/deals/{booth.pk}/")

    expect(page.locator("#activity")).to_be_visible()
    expect(page.get_by_text("Log activity")).to_have_count(0)


def test_a_refused_mark_lost_reopens_with_the_note_kept(page, login, shot, booth):
    login(page, "sam")
    page.goto(f"/deals/{booth.pk}/")
    page.get_by_role("button", name="Mark lost").click()
    dialog = page.locator("#lost-modal")
    expect(dialog).to_be_visible()
    dialog.get_by_label("What happened?").fill("Went with the rental house")

    dialog.get_by_role("button", name="Mark lost").click()

    expect(dialog).to_be_visible()
    expect(dialog.locator(".invalid-feedback")).to_contain_text("Say why the deal was lost")
    expect(dialog.get_by_label("What happened?")).to_have_value("Went with the rental house")
    shot(page, "deal-lost-refused")


def test_an_accepted_scenario_asks_for_the_next_step_and_takes_it_in_place(
    page, login, shot, booth, seller
):
    estimate = do_create_estimate(seller, booth, name="Half booth")
    item = CatalogItemFactory(unit_cost=Decimal("100"), list_price=Decimal("200"))
    do_save_version(
        estimate,
        seller,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": item, "qty": Decimal(3)}],
    )
    do_accept_estimate(estimate, seller)
    login(page, "sam")
    page.goto(f"/deals/{booth.pk}/")
    prompt = page.locator("#next-step-prompt")
    expect(prompt).to_contain_text("“Half booth” was accepted")
    expect(page.locator("#history")).to_contain_text("$340,000")
    expect(page.locator("#history")).to_contain_text("$600")
    shot(page, "deal-next-step-prompt")

    prompt.get_by_label("Next step").fill("Send the half-booth contract by Friday")
    prompt.get_by_role("button", name="Save next step").click()

    expect(page.locator("#next-step-prompt")).to_contain_text("Next step saved")
    expect(page.locator("#deal-next-step")).to_contain_text("Send the half-booth contract")


def test_cards_the_user_cannot_move_look_locked(page, login, shot, booth, other_seller):
    theirs = DealFactory(
        name="Winter gala audio", account=booth.account, owner=other_seller, amount=Decimal("9000")
    )
    login(page, "sam")

    locked = page.locator(f"#deal-{theirs.pk}")
    mine = page.locator(f"#deal-{booth.pk}")
    expect(locked.locator(".bi-lock-fill")).to_be_visible()
    expect(locked).to_have_attribute("title", re.compile("Sofia Seller's deal"))
    expect(mine.locator(".bi-lock-fill")).to_have_count(0)
    assert locked.evaluate("card => getComputedStyle(card).cursor") == "not-allowed"
    assert mine.evaluate("card => getComputedStyle(card).cursor") == "grab"
    shot(page, "board-locked-card")


def test_the_deal_list_on_a_phone_shows_amount_and_close_date(mobile_page, login, shot, booth):
    page = login(mobile_page, "sam")
    page.goto("/deals/")

    row = page.locator("tbody tr").first
    line = row.locator(".deal-phone-line")
    expect(line).to_be_visible()
    expect(line).to_contain_text("$340,000")
    expect(line).to_contain_text(f"closes {_day(booth.target_close_date)}")
    expect(line).to_contain_text("Kestrel Robotics")
    # Everything the row shows fits the screen: nothing to scroll sideways for.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = row.bounding_box()
    assert box["x"] + box["width"] <= 390
    shot(page, "deal-list-phone")

"""The new-deal form in headless Chromium: every mistake shows at once beside its field, and
an amount far above any deal so far is kept only once confirmed."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline.models import Deal
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = dt.date.today()


def field(page, name: str):
    """The form group (label, input, help and errors) of the deal form's field `name`."""
    return page.locator(".mb-3", has=page.locator(f'[name="{name}"]')).first


def pick_account(page, name: str):
    page.get_by_placeholder("Type two letters of the account's name").press_sequentially(name[:4])
    page.locator("[data-pick]", has_text=name).click()


@pytest.fixture
def accounts(seller):
    AccountFactory(name="Lakeside Convention Center", owner=seller)
    DealFactory(name="Arena scoreboard", owner=seller, amount=Decimal("1200000"))


def test_a_new_deal_with_several_mistakes_shows_them_all_then_opens(page, login, shot, accounts):
    login(page, "sam")
    page.goto("/deals/new/")
    pick_account(page, "Lakeside Convention Center")
    page.fill('[name="amount"]', "-5")
    page.select_option('[name="currency"]', "EUR")
    page.fill('[name="target_close_date"]', "2001-01-01")
    page.fill('[name="probability"]', "140")
    page.fill('[name="next_step"]', "Send the two budget ranges")
    page.get_by_role("button", name="Open deal").click()

    expect(field(page, "name")).to_contain_text("Fill this in.")
    expect(field(page, "amount")).to_contain_text("The amount must be zero or more.")
    expect(field(page, "target_close_date")).to_contain_text(
        "The close date cannot be before the deal was created"
    )
    expect(field(page, "probability")).to_contain_text("Enter 100 or less.")
    expect(page.locator(".invalid-feedback")).to_have_count(4)
    # What was typed is still there.
    expect(page.locator('[name="currency"]')).to_have_value("EUR")
    expect(page.locator('[name="next_step"]')).to_have_value("Send the two budget ranges")
    expect(page.get_by_placeholder("Type two letters of the account's name")).to_have_value(
        "Lakeside Convention Center"
    )
    shot(page, "deal-form-every-mistake")

    page.fill('[name="name"]', "Ballroom LED wall")
    page.fill('[name="amount"]', "84000")
    page.fill('[name="target_close_date"]', (TODAY + dt.timedelta(days=45)).isoformat())
    page.fill('[name="probability"]', "30")
    page.get_by_role("button", name="Open deal").click()

    expect(page.locator(".alert-success")).to_contain_text("Deal “Ballroom LED wall” opened.")
    deal = Deal.objects.get(name="Ballroom LED wall")
    assert (deal.amount, deal.currency, deal.probability) == (Decimal("84000"), "EUR", 30)


def test_an_outsized_amount_is_kept_once_confirmed(page, login, shot, accounts):
    login(page, "sam")
    page.goto("/deals/new/")
    page.fill('[name="name"]', "Stadium ring display")
    pick_account(page, "Lakeside Convention Center")
    expect(page.locator('[name="confirm_amount"]')).to_have_count(0)
    page.fill('[name="amount"]', "9999999999")
    page.get_by_role("button", name="Open deal").click()

    amount = field(page, "amount")
    expect(amount).to_contain_text(
        "$9,999,999,999 is more than 10 times our largest deal so far ($1,200,000)."
    )
    confirm = page.get_by_label("Yes, this amount is right")
    expect(confirm).to_be_visible()
    expect(confirm).not_to_be_checked()
    expect(page.locator('[name="amount"]')).to_have_value("9999999999")
    shot(page, "deal-form-confirm-amount")
    confirm.check()
    page.get_by_role("button", name="Open deal").click()

    expect(page.locator(".alert-success")).to_contain_text("Deal “Stadium ring display” opened.")
    assert Deal.objects.get(name="Stadium ring display").amount == Decimal("9999999999")
    page.goto("/pipeline/")
    header = page.locator('.board-column[aria-label="Qualify"]')
    expect(header).to_contain_text("$10.0B")
    shot(page, "board-ten-billion")


def test_the_confirmation_on_a_phone(mobile_page, login, shot, accounts):
    page = mobile_page
    login(page, "sam")
    page.goto("/deals/new/")
    page.fill('[name="name"]', "Stadium ring display")
    pick_account(page, "Lakeside Convention Center")
    page.fill('[name="amount"]', "9999999999")
    page.get_by_role("button", name="Open deal").click()

    expect(page.get_by_label("Yes, this amount is right")).to_be_visible()
    shot(page, "deal-form-confirm-amount-phone")

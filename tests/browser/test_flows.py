"""End-to-end flows in headless Chromium: sign-in, the board's drag and drop, the close date
history, stakeholders who moved between accounts, the quick search and the mobile layout."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.crm import services as crm_services
from tandem.crm.tests.factories import AccountFactory, ContactFactory
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = dt.date.today()


def column(page, name: str):
    """The cards area of the board column for stage `name`."""
    return page.locator(f'.column-cards[data-stage-name="{name}"]')


def column_count(page, name: str):
    return page.locator(f'.board-column[aria-label="{name}"] [data-count]')


def drag_card(page, card, target):
    """Drag `card` onto `target` and return the board's POST to /deals/<id>/move/.

    Playwright's drag_to drives Chromium's native drag and drop, which SortableJS listens to.
    """
    with page.expect_response(re.compile(r"/deals/\d+/move/")) as move:
        card.drag_to(target)
    return move.value


@pytest.fixture
def board_deals(seller, other_seller):
    """A small board: two of Sam's deals in Discovery, one in Proposal, one of Sofia's."""
    lakeside = AccountFactory(name="Lakeside Convention Center", owner=seller)
    harbor = AccountFactory(name="Harborview Hotel", owner=seller, city="Milwaukee")
    return {
        "ballroom": DealFactory(
            name="Ballroom LED wall", account=lakeside, owner=seller, amount=Decimal("84000")
        ),
        "keynote": DealFactory(
            name="Keynote staging", account=harbor, owner=seller, amount=Decimal("12000")
        ),
        "rigging": DealFactory(
            name="Rigging upgrade",
            account=harbor,
            owner=seller,
            stage=stage("Proposal"),
            probability=40,
            amount=Decimal("150000"),
        ),
        "gala": DealFactory(
            name="Winter gala audio",
            account=lakeside,
            owner=other_seller,
            stage=stage("Negotiation"),
            probability=60,
            amount=Decimal("1340000"),
            target_close_date=TODAY - dt.timedelta(days=3),
        ),
    }


def test_seller_signs_in_and_sees_the_board(page, login, shot, board_deals):
    page.goto("/login/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    shot(page, "login")

    login(page, "sam")

    assert page.url.endswith("/pipeline/")
    expect(page.get_by_role("heading", name="Pipeline", level=1)).to_be_visible()
    expect(page.locator(".board-column")).to_have_count(7)
    expect(page.locator(".board-column h2 > span:first-child")).to_have_text(
        ["Qualify", "Discovery", "Proposal", "Negotiation", "Verbal commit", "Won", "Lost"]
    )
    expect(column_count(page, "Discovery")).to_have_text("2")
    expect(column_count(page, "Proposal")).to_have_text("1")
    expect(column_count(page, "Won")).to_have_text("0")
    discovery_totals = page.locator('.board-column[aria-label="Discovery"] .totals')
    # 84,000 + 12,000 at 20 %.
    expect(discovery_totals).to_contain_text("$96k")
    expect(discovery_totals).to_contain_text("$19k weighted")
    expect(page.locator('.board-column[aria-label="Negotiation"] .totals')).to_contain_text("$1.3M")

    ballroom = column(page, "Discovery").locator(f"#deal-{board_deals['ballroom'].pk}")
    expect(ballroom).to_contain_text("Ballroom LED wall")
    expect(ballroom).to_contain_text("Lakeside Convention Center")
    expect(ballroom).to_contain_text("$84,000")
    expect(ballroom).not_to_have_attribute("data-locked", "1")
    # Sofia's deal is on the board too, but Sam cannot drag it.
    gala = column(page, "Negotiation").locator(f"#deal-{board_deals['gala'].pk}")
    expect(gala).to_have_attribute("data-locked", "1")
    expect(gala).to_have_class(re.compile(r"\boverdue\b"))
    shot(page, "board")

    page.get_by_role("link", name="As a list").click()
    page.wait_for_url("**/deals/*")
    expect(page.locator("body")).to_contain_text("Ballroom LED wall")
    shot(page, "deal-list")


def test_drag_a_card_to_another_column(page, login, shot, board_deals):
    ballroom, keynote = board_deals["ballroom"], board_deals["keynote"]
    page.set_viewport_size({"width": 2000, "height": 900})  # every column on screen
    login(page, "sam")
    expect(column_count(page, "Proposal")).to_have_text("1")

    response = drag_card(
        page, column(page, "Discovery").locator(f"#deal-{ballroom.pk}"), column(page, "Proposal")
    )
    assert response.ok
    moved = column(page, "Proposal").locator(f"#deal-{ballroom.pk}")
    expect(moved).to_be_visible()
    expect(moved).not_to_have_attribute("data-refused", "1")
    expect(column(page, "Discovery").locator(f"#deal-{ballroom.pk}")).to_have_count(0)
    expect(column_count(page, "Proposal")).to_have_text("2")
    expect(column_count(page, "Discovery")).to_have_text("1")
    ballroom.refresh_from_db()
    assert ballroom.stage.name == "Proposal"
    assert ballroom.probability == 40

    # Lost needs a reason: the board refuses and the card goes home.
    response = drag_card(
        page, column(page, "Discovery").locator(f"#deal-{keynote.pk}"), column(page, "Lost")
    )
    assert response.ok
    refused = page.locator(f"#deal-{keynote.pk}")
    expect(refused).to_have_attribute("data-refused", "1")
    expect(refused.locator(".refusal")).to_contain_text("A lost deal needs a reason")
    expect(column(page, "Discovery").locator(f"#deal-{keynote.pk}")).to_be_visible()
    expect(column(page, "Lost").locator(".deal-card")).to_have_count(0)
    expect(column_count(page, "Discovery")).to_have_text("1")
    expect(column_count(page, "Lost")).to_have_text("0")
    keynote.refresh_from_db()
    assert keynote.stage.name == "Discovery"
    assert keynote.lost_reason == ""
    shot(page, "board-after-drag")


def test_drag_after_the_session_expired(page, login, board_deals):
    ballroom = board_deals["ballroom"]
    page.set_viewport_size({"width": 2000, "height": 900})
    login(page, "sam")
    context = page.context
    cookies = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(cookies)  # signed out, CSRF cookie still there

    drag_card(
        page, column(page, "Discovery").locator(f"#deal-{ballroom.pk}"), column(page, "Proposal")
    )

    # Either the browser is sent to sign in, or the card goes back where it came from;
    # never a login form inside the board.
    card_home = column(page, "Discovery").locator(f"#deal-{ballroom.pk}")
    expect(card_home.or_(page.locator(".login-card"))).to_be_visible()
    expect(page.locator("#board .login-card")).to_have_count(0, timeout=1_000)
    if "/login/" not in page.url:
        expect(card_home).to_be_visible()
    ballroom.refresh_from_db()
    assert ballroom.stage.name == "Discovery"


def test_close_date_change_needs_a_reason_when_later(page, login, shot, board_deals):
    deal = board_deals["ballroom"]
    first = deal.target_close_date + dt.timedelta(days=14)
    second = first + dt.timedelta(days=30)
    login(page, "sam")
    page.goto(f"/deals/{deal.pk}/")
    history = page.locator("#close-date-history")
    expect(history).to_contain_text("has not moved since the deal was opened")
    shot(page, "deal-detail")

    history.get_by_label("New close date").fill(first.isoformat())
    history.get_by_label("Why?").fill("Venue pushed the install window")
    history.get_by_role("button", name="Change").click()

    expect(page.locator(".alert-success")).to_contain_text("Close date changed")
    row = page.locator("tr.close-date-change")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Venue pushed the install window")
    expect(row).to_contain_text("+14 d")
    expect(row).to_contain_text(first.strftime("%-d %b %Y"))
    expect(page.locator("#close-date")).to_have_text(first.strftime("%-d %b %Y"))
    shot(page, "deal-detail-after-change")

    history.get_by_label("New close date").fill(second.isoformat())
    history.get_by_role("button", name="Change").click()

    form = page.locator("#close-date-form")
    expect(form.locator(".invalid-feedback")).to_contain_text("Say why the close date moves later")
    # What was typed is still there to correct.
    expect(form.get_by_label("New close date")).to_have_value(second.isoformat())
    expect(page.locator("#close-date")).to_have_text(first.strftime("%-d %b %Y"))
    expect(page.locator("tr.close-date-change")).to_have_count(1)
    shot(page, "deal-detail-refused-change")
    deal.refresh_from_db()
    assert deal.target_close_date == first
    assert deal.close_date_changes.count() == 1


@pytest.fixture
def accounts(seller):
    return (
        AccountFactory(name="Harborview Hotel", owner=seller, city="Milwaukee"),
        AccountFactory(name="Summit Arena", owner=seller, city="Denver"),
    )


def test_account_page_shows_a_stakeholder_who_moved(page, login, shot, seller, accounts):
    harbor, summit = accounts
    contact = ContactFactory(first_name="Dana", last_name="Whitfield")
    role = crm_services.do_add_stakeholder(
        seller,
        contact=contact,
        account=harbor,
        start_date=dt.date(2022, 3, 1),
        title="Director of Events",
        influence="champion",
    )
    crm_services.do_move_stakeholder(role, seller, to_account=summit, moved_on=dt.date(2024, 6, 1))
    login(page, "sam")

    page.goto(f"/accounts/{harbor.pk}/")
    expect(page.locator("#current-people")).to_have_count(0)
    former = page.locator("#former-people tr", has_text="Dana Whitfield")
    expect(former).to_have_count(1)
    expect(former).to_contain_text("Mar 2022 – May 2024")
    badge = former.locator(".moved-to")
    expect(badge).to_have_text("moved to Summit Arena")
    expect(badge.get_by_role("link", name="Summit Arena")).to_have_attribute(
        "href", f"/accounts/{summit.pk}/"
    )
    shot(page, "account-detail")

    former.get_by_role("link", name="Dana Whitfield").click()
    page.wait_for_url(f"**/contacts/{contact.pk}/")
    roles = page.locator(".role-period")
    expect(roles).to_have_count(2)
    expect(roles.nth(0)).to_contain_text("Summit Arena")
    expect(roles.nth(0)).to_contain_text("Director of Events")
    expect(roles.nth(0).locator(".badge", has_text="current")).to_be_visible()
    expect(roles.nth(1)).to_contain_text("Harborview Hotel")
    expect(roles.nth(1)).to_contain_text("1 Mar 2022 – 31 May 2024")
    expect(roles.nth(1).locator(".badge", has_text="current")).to_have_count(0)
    shot(page, "contact-detail")


def test_record_a_move_from_the_contact_page(page, login, shot, seller, accounts):
    harbor, summit = accounts
    contact = ContactFactory(first_name="Lee", last_name="Okafor")
    role = crm_services.do_add_stakeholder(
        seller, contact=contact, account=harbor, start_date=dt.date(2023, 1, 9), title="AV lead"
    )
    moved_on = TODAY - dt.timedelta(days=10)
    login(page, "sam")
    page.goto(f"/contacts/{contact.pk}/")

    form = page.locator(f"#move-{role.pk}")
    expect(form).to_be_hidden()
    page.locator(f"#role-{role.pk}").get_by_role("button", name="Moved to…").click()
    expect(form).to_be_visible()
    form.get_by_placeholder("Type two letters of the account's name").press_sequentially("Sum")
    suggestion = form.locator("[data-pick]", has_text="Summit Arena")
    expect(suggestion).to_be_visible()
    expect(form.locator("[data-pick]", has_text="Harborview Hotel")).to_have_count(0)
    shot(page, "contact-move-picker")
    suggestion.click()
    expect(form.locator("input[data-picker-value]")).to_have_value(str(summit.pk))
    expect(form.locator("input[type=search]")).to_have_value("Summit Arena")
    form.get_by_label("Started there on").fill(moved_on.isoformat())
    form.get_by_role("button", name="Record the move").click()

    expect(page.locator(".alert-success")).to_contain_text(
        "Lee Okafor moved from Harborview Hotel to Summit Arena."
    )
    roles = page.locator(".role-period")
    expect(roles).to_have_count(2)
    expect(roles.nth(0)).to_contain_text("Summit Arena")
    expect(roles.nth(0)).to_contain_text("AV lead")
    expect(roles.nth(0)).to_contain_text(f"{moved_on:%-d %b %Y} – now")
    ended = moved_on - dt.timedelta(days=1)
    expect(roles.nth(1)).to_contain_text(f"9 Jan 2023 – {ended:%-d %b %Y}")
    assert list(
        contact.stakeholders.order_by("start_date").values_list("account__name", "end_date")
    ) == [("Harborview Hotel", ended), ("Summit Arena", None)]


def test_quick_search_opens_the_account(page, login, shot, seller):
    account = AccountFactory(name="Quasar Pavilion", owner=seller, city="Austin")
    AccountFactory(name="Summit Arena", owner=seller)
    login(page, "sam")

    page.locator("nav").get_by_role("searchbox", name="Search").press_sequentially("Qua")
    results = page.locator("#search-results")
    hit = results.get_by_role("link", name=re.compile("Quasar Pavilion"))
    expect(hit).to_be_visible()
    expect(results).not_to_contain_text("Summit Arena")
    shot(page, "quick-search")
    hit.click()

    page.wait_for_url(f"**/accounts/{account.pk}/")
    expect(page.get_by_role("heading", name="Quasar Pavilion", level=1)).to_be_visible()


def test_board_on_a_phone(mobile_page, login, shot, board_deals):
    page = login(mobile_page, "sam")

    expect(page.locator(".navbar-toggler")).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.locator("#board")).to_be_visible()
    expect(page.locator(".board-column").first).to_be_visible()
    expect(column(page, "Discovery").locator(".deal-card")).to_have_count(2)
    # The board scrolls sideways inside itself; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "board-mobile")

    page.locator(".navbar-toggler").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # animation over
    expect(page.get_by_role("link", name="Deals")).to_be_visible()
    shot(page, "board-mobile-menu")

"""Fixtures for the Playwright browser tests: one headless Chromium per session, a fresh
context and page per test, sign-in through the real login form (the default stages and role
groups come back after a flush through the root conftest)."""

import os
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; Django refuses ORM calls there
# unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path("/tmp/tandem-shots")
DESKTOP = {"width": 1440, "height": 900}
TIMEOUT_MS = 5_000


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="Chromium not installed: browser tests skipped")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class _Page:
    """A fresh context and page; JavaScript errors and missing static files fail the test."""

    def __init__(self, browser, live_server, **context_options):
        self.context = browser.new_context(
            base_url=live_server.url, locale="en-US", **context_options
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))
        self.page.on("response", self._check_static)

    def _check_static(self, response):
        if "/static/" in response.url and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def close(self):
        self.context.close()
        if self.problems:
            pytest.fail("The page had problems:\n" + "\n".join(self.problems))


@pytest.fixture
def page(browser, live_server):
    handle = _Page(browser, live_server, viewport=DESKTOP)
    yield handle.page
    handle.close()


@pytest.fixture
def mobile_page(browser, live_server):
    handle = _Page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield handle.page
    handle.close()


@pytest.fixture
def login():
    """Sign in through the form at /login/; every factory user has the password "pw"."""
    from playwright.sync_api import expect

    def sign_in(page, username: str, password: str = "pw", *, then: str | None = "/pipeline/"):
        """Sign in, land on Today, then open `then` (the board, where most flows start;
        None stays on Today)."""
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)
        expect(page.locator("nav.navbar")).to_be_visible()
        expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
        if then:
            page.goto(then)
        return page

    return sign_in


@pytest.fixture
def shot():
    """Save a full-page screenshot to /tmp/tandem-shots/<name>.png for a human to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take

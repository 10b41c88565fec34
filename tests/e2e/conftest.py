"""Playwright driving the system's Chromium (never a downloaded browser)."""

import os

import pytest

from tests.helpers import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"{executable} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized viewport, as a secretary or partner would use it."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def unhashed_static(settings):
    """The live server serves static files from the finders, which know no manifest-hashed
    names: link them unhashed so the CSS, htmx and ECharts load as they do in production."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def nav_click(page, testid: str) -> None:
    """Follow a header menu link; on a phone the menu is folded behind ☰ first."""
    button = page.get_by_test_id("nav-menu-button")
    if button.is_visible():
        button.click()
    page.get_by_test_id(testid).click()


def sign_in(page, live_server, username: str, url: str) -> None:
    """Open `url`, sign in on the login page it sends to, and land back on `url`."""
    page.goto(f"{live_server.url}{url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{url}")


def fits_the_screen(page) -> None:
    """Nothing on the page is wider than the viewport (tables scroll in their own box)."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"

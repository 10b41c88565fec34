"""What the browser tests call by name: sign in through the login form, follow a menu link,
check that a page fits its screen, keep a screenshot, collect CSP violations. Fixtures (the
browser, the pages, console errors) stay in conftest.py."""

import os
from pathlib import Path

from tests.helpers import PASSWORD

# Set to a directory to keep a screenshot of each page a test names (for looking at the layout).
SHOTS = os.environ.get("E2E_SCREENSHOTS")


def sign_in(page, live_server, username: str, url: str, *, lands_on: str | None = None) -> None:
    """Open `url`, sign in on the login form it sends us to with the tests' password, and wait
    to be back on `url` (or on `lands_on`, where the role's home differs)."""
    page.goto(f"{live_server.url}{url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{lands_on or url}")


def nav_click(page, testid: str) -> None:
    """Follow a header menu link; on a phone the menu is folded behind ☰ first."""
    button = page.get_by_test_id("nav-menu-button")
    if button.is_visible():
        button.click()
    page.get_by_test_id(testid).click()


def fits_the_screen(page) -> None:
    """Nothing on the page is wider than the viewport (tables scroll in their own box)."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def shot(page, name: str) -> None:
    """A full-page screenshot as `name`.png in $E2E_SCREENSHOTS, when it is set."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations the page reports from now on (a live list)."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found

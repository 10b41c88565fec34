"""Every page is crawled as every role: each HTML page sends the CSP and security headers and
breaks none of its rules, and each POST form on it carries a CSRF token and is refused without
one. Pages are found by following links from the home page, nav and the URLconf's fixed
routes, so pages added later are covered without editing this file."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from common.roles import Role
from tests.helpers import ALL_ROLES
from tests.security.test_headers import _assert_security_headers, csp_violations

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_of_module, db):
    """The company once for the module: these tests only read it."""
    return world_of_module


# Not crawled: the admin (Django's own, checked on its login page), the JSON API, static files,
# language switching and logout (POST only), and downloads.
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
SKIP_SUFFIXES = (".xlsx", ".pdf", ".csv", "/export/")
MAX_PAGES = 80


class _Page(HTMLParser):
    """The links, the forms (with their inputs) and the htmx POST targets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.hx_posts: list[str] = []
        self.hx_csrf_header = False
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("hx-post"):
            self.hx_posts.append(attrs["hx-post"])
        if "X-CSRFToken" in (attrs.get("hx-headers") or ""):
            self.hx_csrf_header = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "inputs": {},
            }
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea") and self._form and attrs.get("name"):
            self._form["inputs"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _fixed_routes(resolver=None, prefix="") -> list[str]:
    """Every route of the URLconf without parameters (the seeds of the crawl)."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if "<" in pattern or "(?P" in pattern or pattern.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            routes += _fixed_routes(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            routes.append("/" + prefix + pattern)
    return routes


def _crawlable(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    return not parts.path.startswith(SKIP_PREFIXES) and not parts.path.endswith(SKIP_SUFFIXES)


def crawl(browser: Client, seeds: list[str]) -> dict[str, _Page]:
    """GET every same-site HTML page reachable from the seeds; return {url: parsed page}."""
    pages: dict[str, _Page] = {}
    queue = [u for u in seeds if _crawlable(u)]
    seen = set(queue)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = browser.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        _assert_security_headers(response)
        html = response.content.decode()
        assert csp_violations(html) == [], url
        page = _Page()
        page.feed(html)
        pages[url] = page
        for href in page.links:
            target = urljoin(url, href).split("#")[0]
            if _crawlable(target) and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


def _login(role, world) -> Client:
    browser = Client()
    if role is not None:
        browser.force_login(world.users[role])
    return browser


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=lambda r: r or "anonymous")
def test_every_post_form_carries_and_needs_a_csrf_token(world, role):
    _check_post_targets(role, world)


def _check_post_targets(role, world) -> dict:
    pages = crawl(_login(role, world), ["/", *_fixed_routes()])
    assert pages, "the crawl found no page"
    forms = [(url, form) for url, page in pages.items() for form in page.forms]
    post_forms = [(url, form) for url, form in forms if form["method"] == "post"]
    assert post_forms, "every page has the language form at least"

    targets = {}
    for url, form in post_forms:
        action = urljoin(url, form["action"] or url)
        assert "csrfmiddlewaretoken" in form["inputs"], f"{url}: form to {action} has no token"
        targets.setdefault(action, {k: v for k, v in form["inputs"].items()})
    for url, page in pages.items():
        for hx_post in page.hx_posts:
            # htmx sends the token as a header: the page must set it (hx-headers).
            assert page.hx_csrf_header, f"{url}: hx-post {hx_post} without X-CSRFToken"
            targets.setdefault(urljoin(url, hx_post), {})

    strict = _login(role, world)
    strict.handler.enforce_csrf_checks = True
    for action, inputs in targets.items():
        data = {k: v for k, v in inputs.items() if k != "csrfmiddlewaretoken"}
        refused = strict.post(action, data)
        assert refused.status_code == 403, f"POST {action} without a token: {refused.status_code}"
    return targets


def test_the_crawl_reaches_the_secretary_pages_and_their_forms(world):
    targets = _check_post_targets(Role.SECRETARY, world)
    assert "/i18n/setlang/" in targets
    assert "/accounts/logout/" in targets
    assert any("/confirm/" in t for t in targets), targets  # the pending visit's htmx button
    assert any("/reject/" in t for t in targets), targets


def test_a_post_with_the_token_is_accepted(world):
    """The refusals above come from the missing token, not from the request being bad."""
    browser = _login(Role.SECRETARY, world)
    browser.handler.enforce_csrf_checks = True
    browser.get("/sales/visits/today/")
    token = browser.cookies["csrftoken"].value
    switched = browser.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token
    )
    assert switched.status_code == 302

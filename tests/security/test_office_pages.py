"""Partner users reach none of the office's pages: every portal route outside the partner's own
portal and the public pages answers a partner 403 or 404, by GET and by POST, whatever the id.

The routes are read from the URLconf, so a page added later is walked without editing this
test."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from common.roles import Role

pytestmark = pytest.mark.django_db

# Pages a partner may open: the partner's own portal, the public pages, and what every login has
# (the inbox holds only the caller's own notifications: tests/notifications, the isolation walk).
PARTNER_ROUTES = ("partners/portal/", "partners/apply/", "partners/invite/")
EVERYONE = ("", "health/", "accounts/", "i18n/", "static/", "notifications/")
NOT_PAGES = ("admin/", "api/")  # the admin refuses non-staff itself; the API has its own walk


def routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def office_routes() -> list[str]:
    found = []
    for pattern in routes():
        if pattern.startswith(NOT_PAGES + PARTNER_ROUTES) or pattern.startswith("^"):
            continue
        if pattern in EVERYONE or pattern.startswith(EVERYONE[1:]):
            continue
        found.append(pattern)
    return sorted(set(found))


def url_of(pattern: str, value: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, pattern)


def test_the_walk_sees_the_office_pages():
    walked = office_routes()
    assert "sales/visits/today/" in walked
    assert "incentives/approvals/" in walked
    assert len(walked) > 20, walked


@pytest.mark.parametrize("pattern", office_routes())
def test_a_partner_gets_403_or_404_on_every_office_page(world, pattern):
    browser = Client()
    browser.force_login(world.users[Role.PARTNER])
    for value in ("1", str(world.partner.pk), "x"):
        url = url_of(pattern, value)
        for method in (browser.get, browser.post):
            status = method(url).status_code
            assert status in (403, 404, 405), f"{method.__name__.upper()} {url}: {status}"

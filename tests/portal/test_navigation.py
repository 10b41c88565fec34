"""The header menu comes from one list (portal/navigation.py): each role sees the pages its
capabilities open, its main action first, every link with its data-testid."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from common.access import CAPABILITIES
from common.roles import Role
from portal.navigation import ENTRIES, Entry, Menu

pytestmark = pytest.mark.django_db

# role → (main action, the other links in menu order)
EXPECTED = {
    Role.MANAGER: (
        "nav-dashboard",
        [
            "nav-admin",
            "nav-leaderboards",
            "nav-statements",
            "nav-approvals",
            "nav-plans",
            "nav-targets",
            "nav-costs",
            "nav-partners",
            "nav-visits-today",
            "nav-visit-history",
            "nav-customers",
            "nav-appeals",
            "nav-daily-report",
            "nav-import",
            "nav-team-robots",
            "nav-api",
        ],
    ),
    Role.SUPERVISOR: (
        "nav-dashboard",
        [
            "nav-admin",
            "nav-leaderboards",
            "nav-statements",
            "nav-plans",
            "nav-targets",
            "nav-costs",
            "nav-partners",
            "nav-customers",
            "nav-appeals",
            "nav-daily-report",
            "nav-team-robots",
            "nav-api",
        ],
    ),
    Role.SECRETARY: (
        "nav-visits-today",
        [
            "nav-leaderboards",
            "nav-visit-history",
            "nav-customers",
            "nav-daily-report",
            "nav-import",
            "nav-api",
        ],
    ),
    Role.MARKETER: (
        "nav-marketer-register",
        [
            "nav-leaderboards",
            "nav-statements",
            "nav-marketer-customers",
            "nav-marketer-visits",
            "nav-marketer-appeals",
            "nav-api",
        ],
    ),
    Role.CONSULTANT: ("nav-my-visits", ["nav-leaderboards", "nav-api"]),
    Role.PARTNER: (
        "nav-portal-register",
        [
            "nav-portal",
            "nav-portal-customers",
            "nav-portal-statements",
            "nav-portal-contract",
            "nav-portal-targets",
            "nav-portal-training",
            "nav-portal-appeals",
        ],
    ),
}


def _menu(user, path="/") -> Menu:
    request = RequestFactory().get(path)
    request.user = user
    return Menu(request)


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_each_role_sees_its_pages_with_its_main_action_first(role, make_login):
    main, rest = EXPECTED[role]
    menu = _menu(make_login(role))
    shown = [link.testid for link in menu.rest]
    assert menu.main.testid == main
    assert shown == rest


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_the_header_renders_the_main_action_first_then_the_menu(role, client, make_login):
    client.force_login(make_login(role))
    response = client.get(reverse("portal:dashboard") if role == Role.PARTNER else "/", follow=True)
    header = response.content.decode().split("</header>")[0]
    testids = re.findall(r'<a [^>]*data-testid="(nav-[^"]+)"', header)
    main, rest = EXPECTED[role]
    assert testids[0] == main
    assert set(rest) <= set(testids[1:])
    assert 'data-testid="nav-menu-button"' in header and 'data-testid="whoami"' in header


def test_the_current_page_is_marked_once_the_longest_match(make_login):
    menu = _menu(make_login(Role.PARTNER), path="/partners/portal/customers/new/")
    current = [link.testid for link in [menu.main, *menu.rest] if link.current]
    assert current == ["nav-portal-register"]


def test_nobody_signed_in_has_no_menu_and_reading_it_costs_no_query(
    django_assert_num_queries,
):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        menu = _menu(AnonymousUser())
        assert menu.main is None and menu.rest == []


def test_every_entry_reverses_and_names_a_known_capability():
    for entry in ENTRIES:
        assert reverse(entry.url_name)
        assert entry.capability is None or entry.capability in CAPABILITIES, entry
    testids = [entry.testid for entry in ENTRIES]
    assert len(testids) == len(set(testids))


def test_an_entry_added_with_a_lower_rank_becomes_the_main_action(make_login):
    marketer = make_login(Role.MARKETER)
    request = RequestFactory().get("/")
    request.user = marketer
    urgent = Entry("home", "Urgent", "nav-x", capability="credit_self", main=35)
    menu = Menu(request, entries=(*ENTRIES, urgent))
    assert menu.main.testid == "nav-x"
    assert menu.rest[0].testid == "nav-leaderboards"
    assert "nav-marketer-register" in [link.testid for link in menu.rest]

"""What one authenticated list request costs in SQL (issue 18): at most five statements —
the token with its user, role and permissions in one; the count (or the table's estimate);
the page; a prefetch or the phone-view audit entry — for every list of the API and every role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from common.periods import local_today
from tests.helpers import ALL_ROLES, browser_for

pytestmark = pytest.mark.django_db

MAX_QUERIES = 5


@pytest.fixture
def world(world_of_module, db):
    """The company once for the module: these tests only read it."""
    return world_of_module


def api_list_routes() -> list[str]:
    """Every list route of the API (the routers' `<basename>-list`)."""
    return sorted(
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.endswith("-list") and reverse(name).startswith("/api/v1/")
    )


def statements(api, url: str) -> tuple[int, list[str], int]:
    """A warmed GET's status, SQL and row count (the first GET fills the process's caches)."""
    api.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    rows = len(response.json().get("results", [])) if response.status_code == 200 else 0
    return response.status_code, [q["sql"] for q in ctx.captured_queries], rows


def test_the_api_has_list_routes_to_check():
    routes = api_list_routes()
    assert {"visit-list", "customer-list", "registration-list", "statement-list"} <= set(routes)
    assert len(routes) >= 20


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_list_costs_at_most_five_statements_per_token_request(world, client_as, role):
    api = client_as(role, user=world.users[role])
    answered, over = 0, {}
    for name in api_list_routes():
        status, sql, _rows = statements(api, reverse(name))
        answered += status == 200
        if len(sql) > MAX_QUERIES:
            over[name] = sql
    assert answered >= 5, f"{role} answered only {answered} lists"
    assert not over, "\n".join(f"{n}: {len(s)}\n  " + "\n  ".join(s) for n, s in over.items())


def test_the_visits_list_filtered_by_marketer_or_week_costs_at_most_five(world, client_as):
    today = local_today()
    marketer = world.marketer.pk
    urls = [
        "/api/v1/visits/?page_size=50",
        f"/api/v1/visits/?page_size=50&marketer={marketer}",
        f"/api/v1/visits/?page_size=50&date_from={today.isoformat()}&date_to={today.isoformat()}",
    ]
    for role in ALL_ROLES:
        api = client_as(role, user=world.users[role])
        for url in urls:
            status, sql, _rows = statements(api, url)
            assert status == 200, (role, url)
            assert len(sql) <= MAX_QUERIES, (role, url, sql)


def test_the_token_request_reads_user_role_and_permissions_in_one_statement(world, client_as):
    api = client_as("manager", user=world.users["manager"])
    status, sql, rows = statements(api, f"/api/v1/visits/?marketer={world.marketer.pk}")
    assert status == 200 and rows == 1
    auth, *rest = sql
    assert "authtoken_token" in auth and "auth_group" in auth and "auth_permission" in auth
    assert not any("auth_" in statement for statement in rest), rest
    assert not any("django_content_type" in statement for statement in rest), rest


def test_a_session_reads_its_user_role_and_permissions_in_one_statement(world):
    browser = browser_for(world.users["secretary"])
    browser.get("/api/v1/visits/")
    with CaptureQueriesContext(connection) as ctx:
        assert browser.get("/api/v1/visits/").status_code == 200
    session, user, *rest = [q["sql"] for q in ctx.captured_queries]
    assert "django_session" in session
    assert "auth_user" in user and "auth_group" in user and "auth_permission" in user
    assert not any("auth_" in statement for statement in rest), rest
    assert len(ctx.captured_queries) <= MAX_QUERIES + 1  # the session's row besides

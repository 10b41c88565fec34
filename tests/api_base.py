"""Reusable checks for API endpoints: the query-count helpers and `EndpointCase`."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from common.roles import Role
from tests.helpers import ALL_ROLES


def list_query_count(client, url: str) -> int:
    """Number of SQL queries one GET of a list makes (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def assert_constant_list_queries(client, url: str, add_rows: Callable[[int], object]) -> None:
    """The list's query count must not grow with its rows (no N+1). A first GET warms what a
    process caches (content types, the session), as every request after a server's first."""
    add_rows(2)
    list_query_count(client, url)
    few = list_query_count(client, url)
    add_rows(20)
    many = list_query_count(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


class EndpointCase:
    """Declare a list endpoint; get its permission matrix and its query-count test.

    Subclass it as a pytest class (``class TestProjects(EndpointCase)``) and declare:

    - ``url``: the list's URL name, e.g. ``"project-list"`` (``query``: parameters every GET
      of it sends, e.g. ``{"period": "2026-10"}``);
    - ``roles_allowed``: the roles that may list it (200); every other role gets 403 and an
      anonymous client 401/403;
    - ``rows(self, n, user)``: create ``n`` rows that ``user`` (the login reading) sees;
    - ``query_roles``: the roles the query-count test reads as (one test each; manager unless
      told).

    Generated: ``test_list_answers_each_role`` (one per role), ``test_anonymous_is_refused`` and
    ``test_list_query_count_is_constant`` (one per query role); `PartnerScopedEndpointCase`
    adds the partner's 404 on another partner's row. Fixtures a subclass needs (``plan``,
    ``team``…) come in through an autouse fixture method that stores them on ``self``.
    """

    url: str
    query: dict = {}
    roles_allowed: frozenset = frozenset()
    query_roles: tuple = (Role.MANAGER,)

    def rows(self, n: int, user) -> None:
        raise NotImplementedError(f"{type(self).__name__} declares no rows factory")

    def pytest_generate_tests(self, metafunc):
        name = metafunc.function.__name__
        if name == "test_list_answers_each_role":
            metafunc.parametrize("role", ALL_ROLES)
        elif name == "test_list_query_count_is_constant":
            metafunc.parametrize("query_role", self.query_roles)

    def list_url(self) -> str:
        url = reverse(self.url)
        return f"{url}?{urlencode(self.query)}" if self.query else url

    def test_list_answers_each_role(self, client_as, role):
        response = client_as(role).get(self.list_url())
        expected = 200 if role in self.roles_allowed else 403
        assert response.status_code == expected, (role, response.content[:300])

    def test_anonymous_is_refused(self, db):
        assert APIClient().get(self.list_url()).status_code in (401, 403)

    def test_list_query_count_is_constant(self, client_as, query_role):
        client = client_as(query_role)
        assert_constant_list_queries(
            client, self.list_url(), lambda n: self.rows(n, user=client.user)
        )


class PartnerScopedEndpointCase(EndpointCase):
    """An `EndpointCase` whose rows belong to partners: declare ``foreign_row(self) -> pk``, a
    row of some other partner, and a partner login gets 404 on its detail (``detail_url``: the
    detail's URL name, ``url`` with ``-list`` → ``-detail`` unless told)."""

    detail_url: str | None = None

    def foreign_row(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} declares no foreign_row")

    def test_a_partner_gets_404_on_another_partners_row(self, client_as):
        pk = self.foreign_row()
        detail = self.detail_url or self.url.removesuffix("-list") + "-detail"
        assert client_as(Role.PARTNER).get(reverse(detail, args=[pk])).status_code == 404

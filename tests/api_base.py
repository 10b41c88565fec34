"""Reusable checks for API endpoints."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def list_query_count(client, url: str) -> int:
    """Number of SQL queries one GET of a list makes (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def assert_constant_list_queries(client, url: str, add_rows: Callable[[int], object]) -> None:
    """The list's query count must not grow with its rows (no N+1)."""
    add_rows(2)
    few = list_query_count(client, url)
    add_rows(20)
    many = list_query_count(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"

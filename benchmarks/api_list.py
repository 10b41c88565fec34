"""One client's list request beside its own SQL (issue 18's table).

Generates department-scale data (benchmarks/dataset.py: staff, partners, visits over 12
months; VACUUM ANALYZE as autovacuum would leave it), starts gunicorn with the real project
(2 sync workers, benchmarks/api_load.gunicorn_start) and times, one request at a time, as a
channel manager with a token:
  by one marketer   GET /api/v1/visits/?page_size=50&marketer=<id>
  one week          GET /api/v1/visits/?page_size=50&date_from=<Mon>&date_to=<Sun>
  unfiltered        GET /api/v1/visits/?page_size=50
beside the list's own SQL on a warm connection of this process: COUNT(*) with the list's WHERE
plus the page's SELECT exactly as the API has the ORM write it (its columns, LIMIT 50).
Medians of --repeat (30) after a warm-up; ratios against the goals (by marketer ≤ 2×,
unfiltered ≤ 1.3× its SQL); the SQL statements each request makes (through Django's test
client, in this process). Appends to benchmarks/RESULTS.md. Run with
`benchmarks/run.sh api_list [--marketers N --visits N]`.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from benchmarks.api_load import gunicorn_start, gunicorn_stop  # noqa: E402
from benchmarks.dataset import generate  # noqa: E402
from common.access import user_role_set  # noqa: E402
from common.periods import parse_period  # noqa: E402
from common.roles import Role  # noqa: E402
from sales.api.activity_views import VISIT_ROWS  # noqa: E402
from sales.filters import VisitFilter  # noqa: E402
from sales.selectors.activity import visit_list  # noqa: E402

MONTH = "2026-10"
WEEK = "2026-W41"  # 5–11 October, inside the last month
PAGE = 50
GOALS = {"marketer": 2.0, "unfiltered": 1.3}  # ChannelHub ≤ goal × its own SQL


def scenarios(marketer: int) -> dict[str, tuple[str, str]]:
    """name → (label, query string)."""
    week = parse_period(WEEK)
    return {
        "marketer": ("by one marketer", f"page_size={PAGE}&marketer={marketer}"),
        "week": (
            f"one week ({WEEK})",
            f"page_size={PAGE}&date_from={week.start.isoformat()}&date_to={week.end.isoformat()}",
        ),
        "unfiltered": ("unfiltered", f"page_size={PAGE}"),
    }


def own_sql(user, query: str) -> list[tuple[str, list]]:
    """The list's COUNT and page as the ORM writes them for `user` and this query string."""
    rows = visit_list(user=user).select_related(None)  # as the API's VisitViewSet reads them
    visits = VisitFilter(QueryDict(query), queryset=rows).qs
    count_sql, count_params = visits.order_by().values("pk").query.sql_with_params()
    where = count_sql.partition(" FROM ")[2]
    page = VISIT_ROWS.values_list(visits.order_by("-visited_at", "-id"))[:PAGE]
    page_sql, page_params = page.query.sql_with_params()
    return [(f"SELECT COUNT(*) FROM {where}", list(count_params)), (page_sql, list(page_params))]


def time_sql(statements: list[tuple[str, list]], repeat: int) -> list[float]:
    def once() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    for _ in range(5):
        once()
    return [once() for _ in range(repeat)]


def time_http(url: str, token: str, repeat: int) -> list[float]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310

    def once() -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            assert response.status == 200, response.status
        return (time.perf_counter() - started) * 1000

    for _ in range(10):  # both workers: connections opened, caches warm
        once()
    return [once() for _ in range(repeat)]


def statements_per_request(path: str, token: str) -> int:
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketers", type=int, default=10_000)
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--signings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()

    started = time.perf_counter()
    data = generate(
        marketers=args.marketers,
        visits=args.visits,
        signings=args.signings,
        partners=args.partners,
        months=12,
        last_month=MONTH,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    generated = time.perf_counter() - started
    user = get_user_model().objects.create_user("bench-manager", password="x" * 16)
    user_role_set(user, Role.MANAGER)
    user = get_user_model().objects.get(pk=user.pk)
    token = Token.objects.create(user=user).key
    marketer = data.first_staff + args.marketers // 2
    cases = scenarios(marketer)

    sql = {name: own_sql(user, query) for name, (_label, query) in cases.items()}
    floor = {name: time_sql(statements, args.repeat) for name, statements in sql.items()}
    queries = {
        name: statements_per_request(f"/api/v1/visits/?{query}", token)
        for name, (_label, query) in cases.items()
    }
    connection.close()

    server, host = gunicorn_start(workers=args.workers)
    try:
        served = {
            name: time_http(f"{host}/api/v1/visits/?{query}", token, args.repeat)
            for name, (_label, query) in cases.items()
        }
    finally:
        gunicorn_stop(server)

    table = [
        f"| request `GET visits/?page_size={PAGE}` | ChannelHub ms | its own SQL ms "
        "(COUNT + page) | ratio | goal | SQL statements |",
        "|---|---|---|---|---|---|",
    ]
    for name, (label, _query) in cases.items():
        mine, own = statistics.median(served[name]), statistics.median(floor[name])
        ratio = mine / own
        goal = GOALS.get(name)
        verdict = "—" if goal is None else f"≤ {goal}× {'met' if ratio <= goal else 'missed'}"
        table.append(
            f"| {label} | {mine:.1f} | {own:.1f} | {ratio:.1f}× | {verdict} | {queries[name]} |"
        )
    result = (
        f"\n## api_list — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores (server, PostgreSQL and the "
        f"client share them) · Python {platform.python_version()} · gunicorn {args.workers} "
        f"sync workers · DEBUG off · one client, medians of {args.repeat}\n"
        f"- command: `benchmarks/run.sh api_list --marketers {args.marketers} --partners "
        f"{args.partners} --visits {args.visits} --signings {args.signings} --repeat "
        f"{args.repeat}`\n"
        f"- data: {args.marketers:,} marketers, {args.partners:,} partners, {args.visits:,} "
        f"visits and {args.signings:,} signings over 12 months to {MONTH} (generated and "
        f"vacuumed in {generated:.0f} s); as a channel manager with a token\n"
        "- its own SQL: the list's COUNT(*) and its page's SELECT as the ORM writes them for "
        "the API (same columns), on a warm connection of the benchmark process; the "
        "unfiltered list answers PostgreSQL's row estimate instead of its COUNT "
        "(`is_count_exact` false)\n\n" + "\n".join(table) + "\n"
    )
    with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as out:
        out.write(result)
    print(result)


if __name__ == "__main__":
    main()

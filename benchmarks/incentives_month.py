"""Monthly incentive compute at department scale vs the hand-written SQL floor.

Generates N marketers, V valid visits and S signings in one month on PostgreSQL
(benchmarks/dataset.py), then times, in the same run:
  * the one hand-written SQL query producing the monthly visit ranking (best of 3), and
  * `period_compute` for that month (first run: creates statements and freezes boards;
    second run: recompute of the drafts).
Appends the figures to benchmarks/RESULTS.md. Run with benchmarks/run.sh incentives_month.
"""

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()

from django.db import connection  # noqa: E402

from benchmarks.dataset import generate  # noqa: E402
from common.periods import SHANGHAI, parse_period  # noqa: E402
from incentives.models import Statement, StatementLine  # noqa: E402
from incentives.services import period_compute  # noqa: E402
from sales.models import Project  # noqa: E402

MONTH = "2026-10"
RANKING_SQL = """
    SELECT v.marketer_id, count(*) AS visits, rank() OVER (ORDER BY count(*) DESC) AS rank
    FROM sales_visit v JOIN sales_staff s ON s.id = v.marketer_id
    JOIN sales_team t ON t.id = s.team_id
    WHERE v.is_valid AND v.visited_at >= %s AND v.visited_at < %s AND t.project_id = %s
    GROUP BY v.marketer_id ORDER BY visits DESC
"""


def time_sql(project: Project) -> float:
    month = parse_period(MONTH)
    best = float("inf")
    with connection.cursor() as cur:
        for _ in range(3):
            started = time.perf_counter()
            cur.execute(RANKING_SQL, [month.start_at, month.end_at, project.pk])
            cur.fetchall()
            best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketers", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--signings", type=int, default=50_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the recompute")
    args = parser.parse_args()

    started = time.perf_counter()
    project = generate(
        marketers=args.marketers, visits=args.visits, signings=args.signings, last_month=MONTH
    ).project
    generated = time.perf_counter() - started
    sql = time_sql(project)
    now = datetime(2026, 11, 1, 2, tzinfo=SHANGHAI)
    started = time.perf_counter()
    summary = period_compute(period=MONTH, now=now)
    first = time.perf_counter() - started
    started = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            period_compute(period=MONTH, now=now)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    else:
        period_compute(period=MONTH, now=now)
    second = time.perf_counter() - started
    lines = StatementLine.objects.filter(statement__period=MONTH).count()
    statements = Statement.objects.filter(period=MONTH).count()

    result = (
        f"\n## incentives_month — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · PostgreSQL {connection.pg_version // 10000} "
        f"(throwaway cluster, fsync off)\n"
        f"- command: `benchmarks/run.sh incentives_month --marketers {args.marketers} "
        f"--visits {args.visits} --signings {args.signings}`\n"
        f"- data: {args.marketers:,} marketers, {args.visits:,} valid visits, "
        f"{args.signings:,} signings in {MONTH} (generated in {generated:.1f} s)\n"
        f"- hand-written SQL monthly visit ranking (best of 3): {sql * 1000:.0f} ms\n"
        f"- period_compute {MONTH}, first run: {first:.2f} s "
        f"({statements:,} statements, {lines:,} lines) → {first / sql:.1f}× the SQL floor\n"
        f"- period_compute {MONTH}, recompute of drafts: {second:.2f} s → "
        f"{second / sql:.1f}× the SQL floor\n"
        f"- summary: {summary.text()}\n"
    )
    with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as out:
        out.write(result)
    print(result)


if __name__ == "__main__":
    main()

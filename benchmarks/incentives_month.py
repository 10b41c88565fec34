"""Monthly incentive compute at department scale vs its set-based SQL floor (issue 18).

Generates N marketers, V valid visits and S signings in one month on PostgreSQL
(benchmarks/dataset.py), then times, in the same process on the same data:
  * the SQL floor's first run (benchmarks/month_floor.py: the same writes as the compute —
    7 boards with ranked, explained entries, statements with their totals, every explained
    line, promotions — set-based into shadow tables with the same keys, one transaction),
  * `period_compute`'s first run,
  * after a small change (a few hundred visits invalidated, a few signings added): the
    floor's recompute and the compute's recompute of the drafts,
  * the compute's recompute when nothing changed.
The floor's rows are verified row for row against the compute's after the first run and after
each recompute (benchmarks/month_floor_check.py); any difference fails the run. Appends the
figures to benchmarks/RESULTS.md. Run with benchmarks/run.sh incentives_month.
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

from benchmarks.dataset import Dataset, generate  # noqa: E402
from benchmarks.month_floor import floor_run, shadow_tables_create  # noqa: E402
from benchmarks.month_floor_check import floor_unsupported, floor_verify  # noqa: E402
from common.periods import SHANGHAI, local_date, parse_period  # noqa: E402
from incentives.models import Statement  # noqa: E402
from incentives.selectors.plans import plans_in_force  # noqa: E402
from incentives.services import period_compute  # noqa: E402

MONTH = "2026-10"
NOW = datetime(2026, 11, 1, 2, tzinfo=SHANGHAI)
# The goals: the compute within 1.3× its floor; a recompute that changes nothing
# within half a first run.
FLOOR_GOAL = 1.3
UNCHANGED_GOAL = 0.5


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def data_change(data: Dataset, *, visits: int, signings: int) -> None:
    """Invalidate `visits` valid visits and add `signings` signings in the month, spread over
    the marketers by hash (some of them cross a board's threshold or rank)."""
    month = parse_period(MONTH)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE sales_visit SET is_valid = false WHERE id IN (SELECT id FROM sales_visit "
            "WHERE project_id = %s AND is_valid AND marketer_id IS NOT NULL "
            "ORDER BY hashint8(id) LIMIT %s)",
            [data.project.pk, visits],
        )
        cur.execute(
            "INSERT INTO sales_signing (project_id, customer_id, customer_name, customer_phone, "
            "marketer_id, unit, property_type, area, amount, signed_on, status, cancel_reason, "
            "created_at) SELECT %s, c.first + i, 'C', '13000000000', "
            "%s + (hashint4(i + 99) & 2147483647) %% %s, 'X' || i, 'high_rise', 100, "
            "800000 + i * 10000, %s::date + (i %% %s), 'signed', '', now() "
            "FROM generate_series(1, %s) i, "
            "(SELECT min(id) AS first FROM sales_customer WHERE project_id = %s) c",
            [
                data.project.pk,
                data.first_staff,
                data.staff,
                month.start,
                month.days,
                signings,
                data.project.pk,
            ],
        )


def totals() -> dict[int, object]:
    return dict(Statement.objects.filter(period=MONTH).values_list("staff_id", "total_amount"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketers", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--signings", type=int, default=50_000)
    parser.add_argument("--changed-visits", type=int, default=300)
    parser.add_argument("--added-signings", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile the changed recompute")
    args = parser.parse_args()

    month = parse_period(MONTH)
    today = local_date(NOW)
    started = time.perf_counter()
    data = generate(
        marketers=args.marketers, visits=args.visits, signings=args.signings, last_month=MONTH
    )
    generated = time.perf_counter() - started
    unsupported = floor_unsupported(month=month)
    if unsupported:
        raise SystemExit(f"the SQL floor does not cover this data: {', '.join(unsupported)}")
    (plan,) = plans_in_force(month=month)
    plan_id = plan.pk
    shadow_tables_create()

    steps: list[dict[str, float]] = []

    def floor() -> None:
        steps.append(floor_run(plan_id=plan_id, month=month, today=today, now=NOW))

    def compute() -> None:
        period_compute(period=MONTH, now=NOW)

    floor_first = timed(floor)
    compute_first = timed(compute)
    counts = floor_verify(month=month, when="first run")

    data_change(data, visits=args.changed_visits, signings=args.added_signings)
    before = totals()
    floor_again = timed(floor)
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            compute_again = timed(compute)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    else:
        compute_again = timed(compute)
    after = totals()
    changed = sum(1 for staff, total in after.items() if before.get(staff) != total)
    floor_verify(month=month, when="changed recompute")
    compute_unchanged = timed(compute)
    floor_verify(month=month, when="unchanged recompute")

    first_ratio = compute_first / floor_first
    again_ratio = compute_again / floor_again
    unchanged_ratio = compute_unchanged / compute_first
    floor_met = first_ratio <= FLOOR_GOAL and again_ratio <= FLOOR_GOAL
    profiled = " (under cProfile)" if args.profile else ""
    result = (
        f"\n## incentives_month — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · PostgreSQL {connection.pg_version // 10000} "
        f"(throwaway cluster, fsync off)\n"
        f"- command: `benchmarks/run.sh incentives_month --marketers {args.marketers} "
        f"--visits {args.visits} --signings {args.signings} --changed-visits "
        f"{args.changed_visits} --added-signings {args.added_signings}`\n"
        f"- data: {args.marketers:,} marketers, {args.visits:,} valid visits, "
        f"{args.signings:,} signings in {MONTH} (generated in {generated:.1f} s); "
        f"{counts['statements']:,} statements, {counts['statement lines']:,} lines, "
        f"{counts['boards']} boards of {counts['board entries']:,} entries, "
        f"{counts['promotions']} promotions\n"
        f"- floor = benchmarks/month_floor.py: the same writes set-based in SQL (shadow tables, "
        f"same foreign keys, one transaction), verified row for row after each run: passed\n"
        f"- first run: floor {floor_first:.2f} s, period_compute {compute_first:.2f} s → "
        f"{first_ratio:.2f}× the floor\n"
        f"- recompute after {args.changed_visits} visits invalidated and "
        f"{args.added_signings} signings added ({changed:,} statement totals changed): floor "
        f"{floor_again:.2f} s, period_compute {compute_again:.2f} s{profiled} → "
        f"{again_ratio:.2f}× the floor\n"
        f"- floor by step, first / recompute: "
        + ", ".join(f"{k} {v:.2f}/{steps[1][k]:.2f} s" for k, v in steps[0].items())
        + "\n"
        f"- recompute with nothing changed: period_compute {compute_unchanged:.2f} s → "
        f"{unchanged_ratio:.2f}× its first run\n"
        f"- goals: month compute ≤ {FLOOR_GOAL}× the floor "
        f"{'met' if floor_met else 'missed'} (first {first_ratio:.2f}×, recompute "
        f"{again_ratio:.2f}×); unchanged recompute ≤ {UNCHANGED_GOAL}× a first run "
        f"{'met' if unchanged_ratio <= UNCHANGED_GOAL else 'missed'} ({unchanged_ratio:.2f}×)\n"
    )
    with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as out:
        out.write(result)
    print(result)


if __name__ == "__main__":
    main()

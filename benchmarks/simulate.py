"""The what-if (方案测算) at department scale vs the compute's read part.

Generates N marketers, V valid visits and S signings in one month on PostgreSQL
(benchmarks/dataset.py), computes the month once (so "current" is the stored statements), then
times, best of `--repeat`:
  * the compute's read part: `plan_month_lines` for the plan in force with its own rules (what
    `period_compute` reads and calculates before it writes), and
  * `plan_simulate` of the month with overrides (a higher visit incentive and monthly prizes):
    the same read part with the changed rules, plus the stored lines by kind and staff.
Goal: the what-if no slower than the read part (it adds one GROUP BY of the stored lines).
Appends the figures to benchmarks/RESULTS.md. Run with benchmarks/run.sh simulate.
"""

import argparse
import os
import platform
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from benchmarks.dataset import generate  # noqa: E402
from common.periods import SHANGHAI, parse_period  # noqa: E402
from incentives.selectors.plans import plan_rules, plans_in_force  # noqa: E402
from incentives.services import period_compute, plan_simulate  # noqa: E402
from incentives.services.compute import plan_month_lines  # noqa: E402

MONTH = "2026-10"
TODAY = date(2026, 11, 2)
OVERRIDES = {
    "visit_incentive_high_rise": Decimal("30"),
    "monthly_visit_prize_1": Decimal("1000"),
}


def best_of(repeat: int, run) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def read_part() -> int:
    """The compute's read part for the month, in a transaction as the compute runs it."""
    month = parse_period(MONTH)
    with transaction.atomic():
        lines = 0
        for plan in plans_in_force(month=month):
            by_staff = plan_month_lines(
                plan=plan, rules=plan_rules(plan=plan), month=month, today=TODAY
            )
            lines += sum(len(staff_lines) for staff_lines in by_staff.values())
        transaction.set_rollback(True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketers", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--signings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    generate(marketers=args.marketers, visits=args.visits, signings=args.signings, last_month=MONTH)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    period_compute(period=MONTH, now=datetime(2026, 11, 1, 2, tzinfo=SHANGHAI))
    computed = time.perf_counter() - started

    read, lines = best_of(args.repeat, read_part)
    simulated, result = best_of(
        args.repeat, lambda: plan_simulate(period=MONTH, overrides=OVERRIDES, today=TODAY)
    )
    difference = result.simulated.total - result.current.total

    out = (
        f"\n## simulate — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · PostgreSQL {connection.pg_version // 10000} "
        f"(throwaway cluster, fsync off)\n"
        f"- command: `benchmarks/run.sh simulate --marketers {args.marketers} "
        f"--visits {args.visits} --signings {args.signings} --repeat {args.repeat}`\n"
        f"- data: {args.marketers:,} marketers, {args.visits:,} valid visits, "
        f"{args.signings:,} signings in {MONTH} (generated in {generated:.1f} s; "
        f"period_compute {computed:.2f} s)\n"
        f"- compute's read part (plan_month_lines, best of {args.repeat}): {read:.2f} s "
        f"({lines:,} lines)\n"
        f"- plan_simulate {MONTH} with 2 overrides (best of {args.repeat}): {simulated:.2f} s "
        f"→ {simulated / read:.2f}× the read part "
        f"({'goal met' if simulated <= read * 1.05 else 'goal missed'}: "
        f"≤ the read part, 5 % noise)\n"
        f"- answer: current {result.current.total} ({result.current_source}), simulated "
        f"{result.simulated.total} (Δ {difference}), {len(result.staff_rows()):,} staff rows\n"
    )
    with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as handle:
        handle.write(out)
    print(out)


if __name__ == "__main__":
    main()

"""The manager's dashboard on a year of data: selector and page, timed, with their query counts.

Generates 12 months of department data ending with MONTH (benchmarks/dataset.py: marketers in
teams of 50, partners, valid visits and signings), a signing target per team and per partner for
the month, a partner contract in five expiring within 30 days and some job runs; then times
  * `portal.dashboard.selectors.dashboard` for MONTH as a manager (first call, best of 3), and
  * GET /dashboard/?month=MONTH through Django's test client (best of 3), and the xlsx export,
with the number of SQL queries each makes (fixed: tests/portal/test_dashboard.py checks it
does not grow with the data). Prints the figures; --record also appends them to
benchmarks/RESULTS.md. Run with benchmarks/run.sh dashboard [--marketers N ...].
"""

import argparse
import os
import platform
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.dataset import generate  # noqa: E402
from common.access import user_role_set  # noqa: E402
from common.models import JobRun  # noqa: E402
from common.periods import parse_period  # noqa: E402
from common.roles import Role  # noqa: E402
from incentives.models import Target  # noqa: E402
from partners.models import Partner, PartnerContract  # noqa: E402
from portal.dashboard import selectors  # noqa: E402
from portal.dashboard.selectors import dashboard  # noqa: E402
from sales.models import Signing, Team, Visit  # noqa: E402

MONTH = "2026-10"
TODAY = date(2026, 10, 20)  # mid-month: the live case a manager looks at
# The live server's storage without collectstatic (run.sh does not collect static files).
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def add_month_facts(project_id: int) -> None:
    """Targets for every team and partner of the month, contracts and job runs."""
    month = parse_period(MONTH)
    teams = list(Team.objects.filter(project_id=project_id).values_list("pk", flat=True))
    partners = list(Partner.objects.values_list("pk", flat=True))
    Target.objects.bulk_create(
        [
            Target(
                metric="signing_amount",
                subject_type="team",
                subject_id=pk,
                period=MONTH,
                value=Decimal("20000000"),
            )
            for pk in teams
        ]
        + [
            Target(
                metric="signing_amount",
                subject_type="partner",
                subject_id=pk,
                period=MONTH,
                value=Decimal("2000000"),
            )
            for pk in partners
        ]
    )
    PartnerContract.objects.bulk_create(
        PartnerContract(
            partner_id=pk,
            status="active",
            code=f"HT-{pk}",
            scope="代理销售住宅",
            fee_mode="per_unit",
            fee_value=Decimal("1000"),
            start_on=month.start - timedelta(days=300),
            end_on=TODAY + timedelta(days=(i % 5) * 20),
        )
        for i, pk in enumerate(partners)
    )
    now = timezone.now()
    JobRun.objects.bulk_create(
        JobRun(name=f"job_{i % 6}", key=str(i), status="succeeded", started_at=now)
        for i in range(3000)
    )


def best_of(runs: int, work) -> tuple[float, int]:
    """(best wall time in seconds, queries of one run)."""
    best, queries = float("inf"), 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    return best, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketers", type=int, default=500)
    parser.add_argument("--visits", type=int, default=300_000)
    parser.add_argument("--signings", type=int, default=15_000)
    parser.add_argument("--partners", type=int, default=100)
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = generate(
        marketers=args.marketers,
        visits=args.visits,
        signings=args.signings,
        partners=args.partners,
        months=12,
        last_month=MONTH,
    )
    add_month_facts(dataset.project.pk)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    generated = time.perf_counter() - started
    user = get_user_model().objects.create_user("bench-manager")  # force_login: no password
    user_role_set(user, Role.MANAGER)
    month = parse_period(MONTH)
    in_month = Visit.objects.filter(visited_at__gte=month.start_at, visited_at__lt=month.end_at)
    month_visits = in_month.count()
    month_signings = Signing.objects.filter(
        signed_on__gte=month.start, signed_on__lte=month.end
    ).count()

    started = time.perf_counter()
    data = dashboard(user=user, month=month, today=TODAY)
    cold = time.perf_counter() - started
    selector, selector_queries = best_of(3, lambda: dashboard(user=user, month=month, today=TODAY))

    sections = {
        "attainment": lambda: selectors.dashboard_attainment(user=user, month=month, today=TODAY),
        "days": lambda: selectors.dashboard_days(user=user, month=month, today=TODAY),
        "funnel": lambda: selectors.dashboard_funnel(user=user, month=month, today=TODAY),
        "marketers": lambda: selectors.marketer_extremes(user=user, month=month, today=TODAY),
        "flags": lambda: selectors.partner_flags(month=month, today=TODAY),
        "contracts": lambda: selectors.contracts_expiring(user=user, today=TODAY),
        "jobs": selectors.jobs_last_run,
        "staffing": lambda: selectors.staffing_warnings_for(project_ids=None),
        "costs": lambda: selectors.costs_for(month=month, today=TODAY, project_ids=None),
    }
    timed = {name: best_of(3, work) for name, work in sections.items()}
    by_section = ", ".join(f"{name} {t * 1000:.0f} ms/{q}q" for name, (t, q) in timed.items())

    client = Client(secure=True)
    client.force_login(user)
    with override_settings(STORAGES=PLAIN_STATIC):

        def page():
            response = client.get(f"/dashboard/?month={MONTH}")
            assert response.status_code == 200, response.status_code

        def export():
            response = client.get(f"/dashboard/export/?month={MONTH}")
            assert response.status_code == 200, response.status_code

        view, view_queries = best_of(3, page)
        xlsx, xlsx_queries = best_of(3, export)

    result = (
        f"\n## dashboard — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · PostgreSQL {connection.pg_version // 10000} "
        f"(throwaway cluster, fsync off)\n"
        f"- command: `benchmarks/run.sh dashboard --marketers {args.marketers} "
        f"--visits {args.visits} --signings {args.signings} --partners {args.partners}`\n"
        f"- data: 12 months to {MONTH}: {args.marketers:,} marketers, {args.partners:,} partners, "
        f"{args.visits:,} valid visits ({month_visits:,} in {MONTH}), {args.signings:,} signings "
        f"({month_signings:,} in {MONTH}), {len(data['attainment']['teams'])} team and "
        f"{len(data['attainment']['partners'])} partner targets, 3,000 job runs "
        f"(generated in {generated:.1f} s)\n"
        f"- selector `dashboard` as a manager, first call: {cold * 1000:.0f} ms; "
        f"best of 3: {selector * 1000:.0f} ms, {selector_queries} queries\n"
        f"- by section (best of 3, queries): {by_section}\n"
        f"- GET /dashboard/?month={MONTH} (test client, best of 3): {view * 1000:.0f} ms, "
        f"{view_queries} queries\n"
        f"- GET /dashboard/export/?month={MONTH} (xlsx, best of 3): {xlsx * 1000:.0f} ms, "
        f"{xlsx_queries} queries\n"
        f"- sections: {len(data['flags'])} partners flagged, {len(data['contracts'])} contracts "
        f"expiring, {len(data['jobs'])} jobs, funnel "
        f"{' → '.join(str(s['customers']) for s in data['funnel'])}\n"
    )
    if args.record:
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as out:
            out.write(result)
    print(result)


if __name__ == "__main__":
    main()

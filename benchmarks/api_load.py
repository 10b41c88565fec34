"""API latency and throughput under load, side by side with the framework's floor.

Generates department-scale data (benchmarks/dataset.py: staff, partners, visits and signings over
12 months), computes the last month (statements, frozen boards), starts gunicorn on loopback with
the real project (benchmarks/bench_wsgi.py) and drives it with locust, 50 concurrent clients with
no think time, one scenario at a time:
  visits list   GET  /api/v1/visits/                (manager: everything, first page of 50)
  visit create  POST /api/v1/visits/                (manager, confirmed, a new phone each time)
  leaderboard   GET  /api/v1/leaderboards/?kind=monthly_visits&period=<month> (frozen board)
  statement     GET  /api/v1/statements/<id>/       (random draft statement of the month)
  bare view     GET  /bench/bare-visits/            (plain Django view, same count + 50 rows)
Reports p50/p95/p99 and requests/s for each, and the visits list's throughput as a share of the
bare view's. Appends the figures to benchmarks/RESULTS.md. Run with benchmarks/run.sh api_load.
"""

import argparse
import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
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
from rest_framework.authtoken.models import Token  # noqa: E402

from benchmarks.dataset import generate  # noqa: E402
from common.access import user_role_set  # noqa: E402
from common.periods import SHANGHAI, parse_period  # noqa: E402
from common.roles import Role  # noqa: E402
from incentives.models import Statement  # noqa: E402
from incentives.services import period_compute  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MONTH = "2026-10"
SCENARIOS = ("visits_list", "bare_visits", "visit_create", "leaderboard", "statement")
GOAL_P95_MS = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback URL we built
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def gunicorn_start(*, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free loopback port with the real project (benchmarks/bench_wsgi.py),
    DEBUG off, `workers` sync workers; returns the process and its base URL once it answers."""
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            str(BIN / "gunicorn"),
            "benchmarks.bench_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "0"},
    )
    try:
        wait_up(f"{host}/health/")
    except BaseException:
        gunicorn_stop(server)
        raise
    return server, host


def gunicorn_stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def run_scenario(name: str, *, host: str, env: dict, users: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "stats")
        subprocess.run(  # noqa: S603 - fixed argv
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--host",
                host,
                "--csv",
                prefix,
                "--loglevel",
                "WARNING",
            ],
            env={**env, "BENCH_SCENARIO": name},
            check=False,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50": _ms(row["50%"]),
        "p95": _ms(row["95%"]),
        "p99": _ms(row["99%"]),
        "rps": float(row["Requests/s"]),
    }


def _ms(value: str) -> float:
    """A locust percentile; N/A (no request finished, e.g. a short warm-up) is NaN."""
    return float("nan") if value == "N/A" else float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--signings", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=20, help="per scenario")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()

    started = time.perf_counter()
    data = generate(
        marketers=args.staff,
        visits=args.visits,
        signings=args.signings,
        partners=args.partners,
        months=12,
        last_month=MONTH,
    )
    generated = time.perf_counter() - started
    period_compute(period=MONTH, now=datetime(2026, 11, 1, 2, tzinfo=SHANGHAI))
    user = get_user_model().objects.create_user("bench-manager", password="x" * 16)
    user_role_set(user, Role.MANAGER)
    token = Token.objects.create(user=user).key
    statements = list(
        Statement.objects.filter(period=MONTH, staff__isnull=False).values_list("pk", flat=True)[
            :500
        ]
    )
    month = parse_period(MONTH)
    connection.close()

    env = {
        **os.environ,
        "BENCH_TOKEN": token,
        "BENCH_PROJECT": str(data.project.pk),
        "BENCH_MARKETER": str(data.first_staff),
        "BENCH_STATEMENTS": ",".join(map(str, statements)),
        "BENCH_MONTH": MONTH,
    }
    server, host = gunicorn_start(workers=args.workers)
    try:
        results = {}
        for name in SCENARIOS:
            run_scenario(name, host=host, env=env, users=args.users, seconds=3)  # warm-up
            results[name] = run_scenario(
                name, host=host, env=env, users=args.users, seconds=args.seconds
            )
            print(name, results[name], flush=True)
    finally:
        gunicorn_stop(server)

    labels = {
        "visits_list": "GET /api/v1/visits/ (first page of 50)",
        "bare_visits": "bare Django view, same count + 50 rows",
        "visit_create": "POST /api/v1/visits/",
        "leaderboard": f"GET /api/v1/leaderboards/?kind=monthly_visits&period={MONTH}",
        "statement": "GET /api/v1/statements/<id>/",
    }
    table = ["| scenario | requests | failures | p50 ms | p95 ms | p99 ms | req/s | p95 goal |"]
    table.append("|---|---|---|---|---|---|---|---|")
    for name in SCENARIOS:
        r = results[name]
        goal = "—" if name == "bare_visits" else ("met" if r["p95"] <= GOAL_P95_MS else "missed")
        table.append(
            f"| {labels[name]} | {r['requests']:,} | {r['failures']:,} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} | {goal} |"
        )
    share = results["visits_list"]["rps"] / max(results["bare_visits"]["rps"], 0.001)
    result = (
        f"\n## api_load — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.node()} · {os.cpu_count()} cores (server, PostgreSQL and locust "
        f"share them) · Python {platform.python_version()} · gunicorn {args.workers} sync "
        f"workers · DEBUG off\n"
        f"- command: `benchmarks/run.sh api_load --staff {args.staff} --partners "
        f"{args.partners} --visits {args.visits} --signings {args.signings} --users "
        f"{args.users} --seconds {args.seconds}`\n"
        f"- data: {args.staff:,} marketers, {args.partners:,} partners, {args.visits:,} visits "
        f"and {args.signings:,} signings over 12 months to {month.code} (generated in "
        f"{generated:.0f} s); {month.code} computed\n"
        f"- {args.users} concurrent clients, no think time, {args.seconds} s per scenario after "
        f"a 3 s warm-up\n\n" + "\n".join(table) + "\n\n"
        f"- visits list throughput = {share:.0%} of the bare view's (goal ≥ 50 %)\n"
    )
    with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as out:
        out.write(result)
    print(result)


if __name__ == "__main__":
    main()

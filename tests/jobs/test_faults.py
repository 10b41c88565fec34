"""Faults on the real stack: a worker killed mid-compute, Redis going away, two beats firing
the same job. After each, the ledger is whole: one set of statements, each total the sum of
its lines, identical to a clean compute."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from channelhub.celery import app
from common.locks import _NAMESPACE, _key
from common.models import JobRun
from common.periods import local_today, month_of
from common.roles import Role
from incentives.models import Statement, StatementLine
from incentives.services import period_compute, plan_create_default
from incentives.tasks import compute_last_month, compute_period
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import october_activity, wait_for, worker_database_env
from tests.parallel import redis_answers, redis_folder, redis_server_start

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]

QUEUE = "faults"  # the session worker does not listen here: these tasks go to our workers


def start_worker(tmp_path: Path, name: str, *, concurrency: int = 2) -> subprocess.Popen:
    """A `celery worker` on the test database consuming QUEUE, in its own process group."""
    env = worker_database_env()
    node = f"{name}-{os.getpid()}@%h"
    log_path = tmp_path / f"{name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "channelhub",
                "worker",
                "-n",
                node,
                "-Q",
                QUEUE,
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
            start_new_session=True,
        )
    proc.log_path = log_path
    deadline = time.monotonic() + 60
    hostname = node.replace("%h", os.uname().nodename)
    while not _ping(hostname):
        if proc.poll() is not None or time.monotonic() > deadline:
            kill_worker(proc)
            pytest.fail(f"worker {name} did not start:\n{log_path.read_text()[-3000:]}")
    return proc


def _ping(hostname: str) -> bool:
    try:
        return bool(app.control.ping(destination=[hostname], timeout=0.5))
    except (ConnectionError, OSError, redis.exceptions.ConnectionError):
        return False  # a pooled connection to a Redis that restarted: the retry reconnects


def kill_worker(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes: nothing gets to clean up."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)


@pytest.fixture
def workers(tmp_path):
    started: list[subprocess.Popen] = []

    def start(name: str, **kwargs) -> subprocess.Popen:
        started.append(start_worker(tmp_path, name, **kwargs))
        return started[-1]

    yield start
    for proc in started:
        kill_worker(proc)


@pytest.fixture
def october():
    """A month of activity: six marketers with visits and signings in October 2026."""
    return october_activity()


def ledger(period: str) -> dict:
    """Statements and lines of a period, keyed by who they pay (ids and instants left out)."""
    book = {}
    for statement in Statement.objects.filter(period=period).prefetch_related("lines"):
        lines = sorted(
            (line.kind, line.amount, line.description, line.source)
            for line in statement.lines.all()
        )
        book[(statement.staff_id, statement.partner_id)] = (
            statement.status,
            statement.total_amount,
            lines,
        )
    return book


def assert_ledger_whole(period: str) -> None:
    statements = Statement.objects.filter(period=period).prefetch_related("lines")
    assert statements.exists()
    for statement in statements:
        assert statement.total_amount == sum(
            (line.amount for line in statement.lines.all()), Decimal("0")
        ), statement
    keys = list(statements.values_list("staff_id", "partner_id"))
    assert len(keys) == len(set(keys)), "one statement per person and month"


def runs(period: str):
    return JobRun.objects.filter(name="compute_incentives", key=period)


def test_worker_killed_mid_compute_then_a_new_worker_computes_the_same_ledger(october, workers):
    period_compute(period="2026-10")
    clean = ledger("2026-10")
    assert len(clean) == len(october)

    # Hold the compute's own lock so the worker stops inside the compute's transaction.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_lock(%s, %s)", [_NAMESPACE, _key("incentives:compute:2026-10")]
        )
    try:
        first = workers("victim")
        compute_period.apply_async(["2026-10"], queue=QUEUE)
        wait_for(lambda: runs("2026-10").filter(status="running").exists(), timeout=60)
        time.sleep(0.5)
        kill_worker(first)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                [_NAMESPACE, _key("incentives:compute:2026-10")],
            )
    # The killed compute's transaction rolled back: the ledger is what it was.
    assert ledger("2026-10") == clean
    assert_ledger_whole("2026-10")

    workers("rescuer")
    compute_period.apply_async(["2026-10"], queue=QUEUE)
    wait_for(lambda: runs("2026-10").filter(status="succeeded").count() == 2, timeout=60)
    assert ledger("2026-10") == clean
    assert_ledger_whole("2026-10")
    # The killed run is left "running" (it never reached its bookkeeping); none failed.
    assert not runs("2026-10").filter(status="failed").exists()


def test_worker_killed_on_its_first_compute_leaves_nothing_half_written(october, workers):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_lock(%s, %s)", [_NAMESPACE, _key("incentives:compute:2026-10")]
        )
    try:
        victim = workers("victim")
        compute_period.apply_async(["2026-10"], queue=QUEUE)
        wait_for(lambda: runs("2026-10").filter(status="running").exists(), timeout=60)
        kill_worker(victim)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                [_NAMESPACE, _key("incentives:compute:2026-10")],
            )
    assert not Statement.objects.filter(period="2026-10").exists()
    assert not StatementLine.objects.exists()

    workers("rescuer")
    compute_period.apply_async(["2026-10"], queue=QUEUE)
    wait_for(lambda: runs("2026-10").filter(status="succeeded").exists(), timeout=60)
    after_fault = ledger("2026-10")
    period_compute(period="2026-10")  # a clean compute of the same data
    assert ledger("2026-10") == after_fault
    assert len(after_fault) == len(october)
    assert_ledger_whole("2026-10")


def test_two_beats_firing_last_months_job_at_once_pay_once(workers):
    last_month = str(month_of(local_today()).previous())
    year, month = map(int, last_month.split("-"))
    project = ProjectFactory()
    plan_create_default(name="p", effective_from=date(year, 1, 1), projects=[project])
    team = TeamFactory(project=project)
    people = [marketer(team, hired_on=date(year - 1, 1, 1)) for _ in range(4)]
    for n, person in enumerate(people):
        valid_visits(person, 20 + n, date(year, month, 10))
        signing(person, f"{(n + 1) * 400000}.00", date(year, month, 11))

    workers("beat-a", concurrency=1)
    workers("beat-b", concurrency=1)
    for _ in range(2):  # what two beat instances do at 02:00 on the 1st
        compute_last_month.apply_async(queue=QUEUE)
    wait_for(lambda: runs(last_month).exclude(status="running").count() == 2, timeout=90)

    assert not runs(last_month).filter(status="failed").exists()
    assert runs(last_month).filter(status="succeeded").count() >= 1
    assert Statement.objects.filter(period=last_month).count() == len(people)
    assert StatementLine.objects.filter(kind="base_salary").count() == len(people)
    assert StatementLine.objects.filter(kind="commission").count() == len(people)
    assert_ledger_whole(last_month)


# --- Redis going away ---------------------------------------------------------------------


def _redis_port() -> int:
    return urlsplit(settings.CELERY_BROKER_URL).port


def redis_stop() -> None:
    subprocess.run(
        ["redis-cli", "-p", str(_redis_port()), "shutdown", "nosave"],
        capture_output=True,
        check=False,
        timeout=20,
    )
    wait_for(lambda: not _redis_answers(), timeout=20)


def redis_start() -> None:
    """Start the throwaway Redis again where it ran (same port; pidfile and log in the folder
    scripts/servers.sh, or this xdist worker, gave it: tests/parallel.py)."""
    redis_server_start(_redis_port(), redis_folder())
    # Drop this process's pooled broker connections to the old server.
    app.close()
    app.amqp._producer_pool = None


def _redis_answers() -> bool:
    return redis_answers(_redis_port())


@pytest.fixture
def redis_down():
    redis_stop()
    try:
        yield
    finally:
        if not _redis_answers():
            redis_start()


def test_with_redis_down_the_site_answers_and_jobs_run_once_it_is_back(
    october, workers, make_login, client_as, redis_down
):
    manager = make_login(Role.MANAGER)
    health = Client().get("/health/")
    assert health.status_code == 503
    assert health.json()["broker"] == "down"
    assert health.json()["database"] == "ok"

    api = client_as(Role.MANAGER, user=manager)
    assert api.get("/api/v1/projects/").status_code == 200
    browser = Client()
    browser.force_login(manager)
    assert browser.get("/").status_code == 200
    assert Client().get("/accounts/login/").status_code == 200

    # Computing in the request (the API's default) needs no broker.
    computed = api.post("/api/v1/incentives/compute/", {"period": "2026-10"}, format="json")
    assert computed.status_code == 200, computed.content
    assert computed.json()["status"] == "succeeded"
    assert_ledger_whole("2026-10")
    clean = ledger("2026-10")

    redis_start()
    assert Client().get("/health/").json()["broker"] == "ok"
    workers("after-outage")
    compute_period.apply_async(["2026-10"], queue=QUEUE)
    wait_for(lambda: runs("2026-10").filter(status="succeeded").count() == 2, timeout=60)
    assert ledger("2026-10") == clean
    assert_ledger_whole("2026-10")


def test_queueing_a_compute_with_redis_down_answers_a_clear_error(october, client_as, redis_down):
    api = client_as(Role.MANAGER)
    api.raise_request_exception = False
    queued = api.post(
        "/api/v1/incentives/compute/",
        {"period": "2026-10", "run_async": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert queued.status_code != 202, "nothing can be queued while the broker is down"
    assert queued.status_code == 503, queued.status_code
    assert "queue" in queued.json()["detail"].lower() or "broker" in queued.json()["detail"]
    assert queued.json()["code"] == "queue_unavailable"
    assert not runs("2026-10").exists()  # nothing ran, nothing is recorded as queued

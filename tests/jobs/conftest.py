"""A real Celery worker process on the real Redis, reading and writing the test database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings


def worker_database_env() -> dict[str, str]:
    """The environment for a worker process: ours, on the test database (its NAME is the test
    database once django_db_setup ran)."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url}


def october_activity() -> list:
    """A plan and six marketers with visits and signings in October 2026 (each ranks apart)."""
    from datetime import date

    from incentives.services import plan_create_default
    from tests.factories.activity import signing, valid_visits
    from tests.factories.org import ProjectFactory, TeamFactory, marketer

    project = ProjectFactory()
    plan_create_default(name="p", effective_from=date(2026, 1, 1), projects=[project])
    team = TeamFactory(project=project)
    people = [marketer(team) for _ in range(6)]
    for n, person in enumerate(people):
        valid_visits(person, 20 + n, date(2026, 10, 12))
        signing(person, f"{(n + 1) * 300000}.00", date(2026, 10, 15))
    return people


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start `celery worker` (2 processes) against the test database; stop it at the end."""
    from channelhub.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("job tests need the real Redis broker: run them through `make test`")
    env = worker_database_env()
    with django_db_blocker.unblock():
        app.control.purge()
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    node = f"test-{os.getpid()}@%h"
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
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
    proc.log_path = log_path
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")

"""A real Celery worker process on the real Redis, reading and writing the test database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.helpers import worker_database_env

# The worker's group-robot settings: it trusts the test receivers' certificate, waits 1 s for
# an answer and retries after 0.5, 1, 2, 4 s (5 attempts), so a dead robot fails in seconds.
ROBOT_BACKOFF = 0.5
ROBOT_ATTEMPTS = 5


@pytest.fixture(scope="session")
def robot_tls(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (made with the openssl CLI): (cert, key) paths."""
    folder = tmp_path_factory.mktemp("robot-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory, robot_tls):
    """Start `celery worker` (2 processes) against the test database; stop it at the end."""
    from channelhub.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("job tests need the real Redis broker: run them through `make test`")
    env = {
        **worker_database_env(),
        "ROBOT_WEBHOOK_CA_FILE": str(robot_tls[0]),
        "ROBOT_WEBHOOK_EXTRA_HOSTS": "127.0.0.1",  # the robots the tests run on loopback
        "ROBOT_WEBHOOK_TIMEOUT": "1",
        "ROBOT_WEBHOOK_BACKOFF": str(ROBOT_BACKOFF),
        "ROBOT_WEBHOOK_ATTEMPTS": str(ROBOT_ATTEMPTS),
    }
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

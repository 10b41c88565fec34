"""The suite on several pytest-xdist workers (`scripts/test.sh` runs `pytest -n 2`).

Each worker is a process of its own with
- its own test database: pytest-django names it test_channelhub_gw0, _gw1, ... on the one
  PostgreSQL server that scripts/servers.sh started;
- its own Redis server (started here, stopped when the worker ends): the cache a test clears,
  the broker its Celery worker reads and the server tests/jobs/test_faults.py shuts down are
  then that worker's alone;
- its own groups of tests that share something costly (`xdist_group`, see `group_of`).

Without xdist (`-n 0`, `-p no:xdist`) nothing here changes anything: the tests use the servers
scripts/servers.sh started.
"""

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

# "gw0", "gw1", ... in a worker; None when pytest runs the tests itself.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers(port: int) -> bool:
    done = subprocess.run(
        ["redis-cli", "-p", str(port), "ping"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    return done.stdout.strip() == "PONG"


def redis_server_start(port: int, folder: Path) -> None:
    """A throwaway redis-server on 127.0.0.1:`port` as scripts/servers.sh starts one (no
    persistence), its pidfile and log in `folder`; returns once it answers."""
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
        ],
        check=True,
        timeout=20,
    )
    deadline = time.monotonic() + 20
    while not redis_answers(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server on :{port} did not answer:\n{_log(folder)}")
        time.sleep(0.05)


def redis_folder() -> Path:
    """Where the Redis the tests use keeps its pidfile and log (TEST_REDIS_DIR: the scratch
    dir of scripts/servers.sh, or this worker's folder in it)."""
    return Path(os.environ["TEST_REDIS_DIR"])


def _log(folder: Path) -> str:
    with contextlib.suppress(OSError):
        return (folder / "redis.log").read_text()[-2000:]
    return ""


def worker_redis_start() -> int | None:
    """In an xdist worker on the real Redis: start the worker's own redis-server and point the
    cache, Celery and the processes tests start (via os.environ) at it; its port, else None."""
    if not WORKER or not os.environ.get("REDIS_URL", "").startswith("redis://"):
        return None
    from django.test import override_settings

    from channelhub.celery import app

    folder = Path(os.environ["TEST_REDIS_DIR"]) / f"redis-{WORKER}"
    folder.mkdir(exist_ok=True)
    for attempt in range(5):  # a free port can be taken before redis binds it: try another
        port = free_port()
        try:
            redis_server_start(port, folder)
            break
        except (subprocess.CalledProcessError, RuntimeError):
            if attempt == 4:
                raise
    cache_url, broker_url = f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1"
    os.environ.update(REDIS_URL=cache_url, CELERY_BROKER_URL=broker_url, TEST_REDIS_DIR=str(folder))
    # setting_changed resets Django's cache connections to the new LOCATION.
    override_settings(
        REDIS_URL=cache_url,
        CELERY_BROKER_URL=broker_url,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": cache_url,
            }
        },
    ).enable()
    app.conf.broker_url = broker_url
    return port


def worker_redis_stop(port: int | None) -> None:
    if port is not None:
        subprocess.run(
            ["redis-cli", "-p", str(port), "shutdown", "nosave"],
            capture_output=True,
            check=False,
            timeout=20,
        )


MAKE_RUN = "make_run"


def group_of(item) -> str | None:
    """The xdist group an item must share a worker with, so that what its fixtures build once
    is built once: make run's SQLite, migrated and seeded once a session, for the make-run
    tests; else the module for a module-scoped fixture (the demo seed, the generated client, a
    module's world), its transactional tests apart (pytest-django runs them after the others,
    which a transactional test's flush would rob of the migrations' rows: a group runs as one
    block where its first test comes). Other tests go to whichever worker is free."""
    definitions = getattr(item, "_fixtureinfo", None)
    if definitions is None:
        return None
    names = item.fixturenames
    if "_make_run_migrated" in names:
        return MAKE_RUN
    for name in names:
        for definition in definitions.name2fixturedefs.get(name, ()):
            if definition.scope == "module":
                return item.module.__name__ + ("/transactional" if _transactional(item) else "")
    return None


def _transactional(item) -> bool:
    """As pytest-django orders tests: `django_db(transaction=True)`, or a fixture that is."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


class MakeRunFirst:
    """The make-run tests first: the longest group (a migrate, a demo seed and make run's
    processes, ~5 min here) must not start last and hold up the end. They use no test database,
    so where they run in pytest-django's order (trylast: after it) changes nothing for others."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: group_of(item) != MAKE_RUN)

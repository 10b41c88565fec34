"""Shared fixtures. Tests run against the real PostgreSQL (and Redis) that `make test` starts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from common.roles import Role
from tests import parallel
from tests.factories.org import TeamFactory
from tests.helpers import browser_for, login_create, make_run_env

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The slow groups, by where they live (`make test-fast` leaves them out, `make test` runs all):
# a test under one of these paths (relative to tests/) gets the group's marker.
SLOW_GROUPS = {
    "e2e": ("e2e/",),  # Playwright driving Chromium against a live server
    "jobs": ("jobs/",),  # a real Celery worker process on Redis, pg_dump/restore
    "fuzz": ("security/test_api_fuzz.py",),  # schemathesis over every operation and role
    "subprocess": (  # each test starts Python (or make run) in a fresh process
        "test_make_run.py",
        "test_settings.py",
        "security/test_deploy_check.py",
        "incentives/rules/test_purity.py",
        "test_generated_client.py",  # runs openapi-python-client, then drives a live server
    ),
}
_TESTS = Path(__file__).parent


_WORKER_REDIS = pytest.StashKey[int | None]()


def pytest_configure(config):
    """On xdist workers: a Redis server of each worker's own, the make-run group first
    (tests/parallel.py)."""
    config.stash[_WORKER_REDIS] = parallel.worker_redis_start()
    if parallel.WORKER:
        config.pluginmanager.register(parallel.MakeRunFirst(), "channelhub-make-run-first")


def pytest_unconfigure(config):
    parallel.worker_redis_stop(config.stash.get(_WORKER_REDIS, None))


def pytest_itemcollected(item):
    """Tests sharing a costly fixture share an xdist worker (tests/parallel.py)."""
    if item.config.pluginmanager.hasplugin("xdist"):
        group = parallel.group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_modifyitems(config, items):
    for item in items:
        where = item.path.relative_to(_TESTS).as_posix()
        for marker, paths in SLOW_GROUPS.items():
            if where.startswith(paths):
                item.add_marker(marker)


@pytest.fixture(autouse=True, scope="session")
def _real_postgresql(django_db_setup, django_db_blocker):
    """Refuse to run the suite anywhere but PostgreSQL (`make test` starts one)."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit("The suite runs on PostgreSQL only: use `make test`.", returncode=2)


_DB_FIXTURES = {"db", "transactional_db", "module_db", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _content_types_cached(request, django_db_blocker):
    """ContentType.objects.get_for_model caches per process, as in production, so a request's
    first audit entry costs no query more than its next; a flush (a transactional test) empties
    the cache. Filled before each test (no query when it is full), so a query-count test's
    first request counts what every later one does. The API lists' table estimates
    (common.api, also cached per process) start empty in each test instead: a query-count test
    warms them with a first request, as a server's first request does."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from common import api

    api._estimates.clear()
    marked = request.node.get_closest_marker("django_db")
    if not (marked or _DB_FIXTURES & set(request.fixturenames)):
        return  # a test without the database (e.g. make run's own processes on SQLite)
    with django_db_blocker.unblock():
        ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests create many logins and check none of its strength."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def english():
    """Service messages in English (the default language is zh-hans) for tests that read them."""
    with translation.override("en"):
        yield


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def make_login(db):
    """Create a login with a role: staff roles get a Staff record, partners a partner
    (tests.helpers.login_create)."""
    return login_create


@pytest.fixture
def browser_as(make_login):
    """A signed-in browser (session) reading English: browser_as(role, **login fields) for a
    new login of the role, browser_as(role, user=user) for a login there is; `.user` is it."""

    def make(role: str, **kwargs):
        user = kwargs.pop("user", None) or make_login(role, **kwargs)
        client = browser_for(user)
        client.user = user
        return client

    return make


@pytest.fixture
def office(make_login):
    """The channel secretary who logs the day."""
    return make_login(Role.SECRETARY)


@pytest.fixture
def no_default_plan(db):
    """Without the default plan the migrations install (incentives 0008): for tests about a
    plan of their own being the only one there is."""
    from incentives.models import IncentivePlan

    IncentivePlan.objects.filter(projects__isnull=True).delete()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a module, as Django's `TestCase.setUpTestData` has around a class:
    rows a module-scoped fixture builds inside it are there for each of the module's tests
    (whose own writes still roll back to a savepoint after each) and gone after the module.
    Only for tests that are not transactional (`django_db(transaction=True)` would flush them)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def client_as(make_login):
    """An API client authenticated by token as a new login of the given role."""

    def make(role: str, **kwargs) -> APIClient:
        user = kwargs.pop("user", None) or make_login(role, **kwargs)
        from rest_framework.authtoken.models import Token

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
        client.user = user
        return client

    return make


def _make_run_manage(var_dir: Path, *args: str, timeout: int) -> str:
    """`manage.py ARGS` in a fresh process on make run's embedded defaults in `var_dir`: what
    it printed (the test fails when it fails)."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=make_run_env(var_dir),
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def _make_run_migrated(tmp_path_factory) -> Path:
    """`manage.py migrate` on make run's embedded defaults, once per session (~25 s of SQLite
    writes here): the var dir it filled."""
    var_dir = tmp_path_factory.mktemp("make-run-migrated")
    _make_run_manage(var_dir, "migrate", "--noinput", "-v0", timeout=300)
    return var_dir


def _databases_copy(source: Path, target: Path) -> Path:
    for database in source.glob("db.sqlite3*"):
        shutil.copy2(database, target / database.name)
    return target


@pytest.fixture
def make_run_var(_make_run_migrated, tmp_path) -> Path:
    """A var dir of make run's shape with its SQLite database already migrated (a copy of the
    session's one), for tests that boot make run's processes on it."""
    return _databases_copy(_make_run_migrated, tmp_path)


@pytest.fixture(scope="session")
def _make_run_seeded(_make_run_migrated, tmp_path_factory) -> tuple[Path, str]:
    """`manage.py seed_demo` on make run's migrated SQLite database, once per session (~40 s
    here, the logins' PBKDF2 hashes among them): the var dir it filled and what it printed."""
    var_dir = _databases_copy(_make_run_migrated, tmp_path_factory.mktemp("make-run-seeded"))
    printed = _make_run_manage(var_dir, "seed_demo", timeout=600)
    assert "Demo company created." in printed, printed[-3000:]
    return var_dir, printed


@pytest.fixture
def make_run_seeded_var(_make_run_seeded, tmp_path) -> Path:
    """A var dir of make run's shape with the demo company seeded on SQLite (a copy of the
    session's one; `_make_run_seeded` has what the seeding printed)."""
    return _databases_copy(_make_run_seeded[0], tmp_path)


@pytest.fixture
def make_run_seed_printed(_make_run_seeded) -> str:
    """What the session's `manage.py seed_demo` on SQLite printed (its logins)."""
    return _make_run_seeded[1]

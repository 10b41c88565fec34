"""Shared fixtures. Tests run against the real PostgreSQL (and Redis) that `make test` starts."""

import itertools
import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from common.access import user_role_set
from common.roles import Role
from partners.services import partner_member_create
from tests.factories.org import PartnerFactory, StaffFactory, TeamFactory, UserFactory
from tests.helpers import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_usernames = itertools.count(1)

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
    ),
}
_TESTS = Path(__file__).parent


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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests create many logins and check none of its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    """Create a login with a role: staff roles get a Staff record, partners a partner."""

    def make(role: str, *, team=None, partner=None, username=None, **staff_fields):
        username = username or f"{role}{next(_usernames)}"
        if role == Role.PARTNER:
            partner = partner or PartnerFactory()
            return partner_member_create(partner=partner, username=username, password=PASSWORD)
        user = UserFactory(username=username)
        user_role_set(user, role)
        if team is not None or role in (Role.MANAGER, Role.SECRETARY, Role.SUPERVISOR):
            staff_fields["team"] = team
        StaffFactory(role=role, user=user, **staff_fields)
        return user

    return make


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

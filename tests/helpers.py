"""Plain helpers the tests import: constants, instants, builders and waits. Fixtures stay in
the conftest files; anything a test calls by name lives here."""

import itertools
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from common.periods import SHANGHAI
from common.roles import Role

PASSWORD = "Secret-pass-123"

# Every staff role, then every role (a partner login is not staff).
ROLES = [Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT]
ALL_ROLES = [*ROLES, Role.PARTNER]

_usernames = itertools.count(1)


def login_create(role: str, *, team=None, partner=None, username=None, **staff_fields):
    """A login with a role: staff roles get a Staff record (managers, secretaries and
    supervisors in `team`, none unless told), partners a partner member (of a new partner
    unless told)."""
    from common.access import user_role_set
    from partners.services import partner_member_create
    from tests.factories.org import PartnerFactory, StaffFactory, UserFactory

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


def browser_for(user):
    """A browser session signed in as `user`, reading English."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- instants and periods ---------------------------------------------------------------------
def at(day: str, hour: int = 10) -> datetime:
    """An aware Asia/Shanghai instant on a day, e.g. at("2026-11-02")."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def shanghai(day: str, hour: int = 2) -> datetime:
    """An aware Asia/Shanghai instant at 02:00 (the hour the beat jobs run) unless told."""
    return at(day, hour)


def earlier_today(**ago) -> datetime:
    """A moment `ago` (timedelta's words; an hour unless told), but never before the Shanghai
    midnight of the day its whole `days` name: a visit logged "an hour ago" just after
    midnight is still today's, "2 days and an hour ago" still on the day before yesterday."""
    from django.utils import timezone

    from common.periods import day_bounds, local_today

    day = local_today() - timedelta(days=ago.get("days", 0))
    moment = timezone.now() - timedelta(**(ago or {"hours": 1}))
    return max(moment, day_bounds(day)[0])


# October 2026 computed on 1 November at 02:00, as the beat job does.
OCT = "2026-10"
AFTER_OCT = shanghai("2026-11-01")


# --- forms --------------------------------------------------------------------------------------
def shown_seconds_ago(seconds: float) -> str:
    """The apply form's signed 'shown at' token, as if the page was opened `seconds` ago."""
    from django.core import signing

    from partners.forms import STARTED_SALT

    return signing.dumps(time.time() - seconds, salt=STARTED_SALT)


# --- sales activity ---------------------------------------------------------------------------
_phones = itertools.count(10_000_000)


def next_phone() -> str:
    """A customer phone no other call has given (139 and eight digits)."""
    return f"139{next(_phones):08d}"


def log_visit(office, project, *, by, when=None, phone=None, status="confirmed", **kw):
    """A visit logged by the office through the visit service, brought by a marketer (Staff)
    or a partner (`by`); a new customer 李女士 now, confirmed, unless told."""
    from django.utils import timezone

    from sales.services.visits import visit_record

    channel = {"partner": by} if hasattr(by, "credit_code") else {"marketer": by}
    return visit_record(
        actor=office,
        project=project,
        customer_name=kw.pop("name", "李女士"),
        customer_phone=phone or next_phone(),
        visited_at=when or timezone.now(),
        property_type="high_rise",
        status=status,
        **channel,
        **kw,
    )


# --- a small company with one of everything ---------------------------------------------------
PARTNER_PHONE = "13912345678"
MARKETER_PHONE = "13787654321"


@dataclass
class World:
    project: object
    marketer: object
    consultant: object
    partner: object
    users: dict = field(default_factory=dict)


def world_build(make_login) -> World:
    """Users of every role, a partner's customer (registered, visited, signed) and a
    marketer's customer, both in one project."""

    from common.periods import local_today
    from sales.models import Staff
    from sales.services.customers import registration_create
    from sales.services.deals import signing_record
    from sales.services.visits import visit_record
    from tests.factories.org import PartnerFactory, ProjectFactory, StaffFactory, TeamFactory

    project = ProjectFactory()
    team = TeamFactory(project=project)
    users = {role: make_login(role, team=team) for role in ROLES}
    team.supervisor = Staff.objects.get(user=users[Role.SUPERVISOR])
    team.save(update_fields=["supervisor"])
    partner = PartnerFactory()
    users[Role.PARTNER] = make_login(Role.PARTNER, partner=partner)
    marketer = Staff.objects.get(user=users[Role.MARKETER])
    consultant = StaffFactory(role=Role.CONSULTANT, level=None, team=team)
    office = users[Role.SECRETARY]
    registration_create(
        actor=users[Role.PARTNER],
        project=project,
        customer_name="王先生",
        customer_phone=PARTNER_PHONE,
        partner=partner,
    )
    registration_create(
        actor=users[Role.MARKETER],
        project=project,
        customer_name="李女士",
        customer_phone=MARKETER_PHONE,
        marketer=marketer,
    )
    visited_at = earlier_today()
    for phone, channel in ((PARTNER_PHONE, {"partner": partner}), (MARKETER_PHONE, {})):
        visit_record(
            actor=office,
            project=project,
            customer_name="客户",
            customer_phone=phone,
            visited_at=visited_at,
            property_type="high_rise",
            consultant=consultant,
            status="pending" if channel else "confirmed",
            **(channel or {"marketer": marketer}),
        )
    signing_record(
        actor=office,
        project=project,
        customer_name="王先生",
        customer_phone=PARTNER_PHONE,
        unit="1-101",
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal("900000"),
        signed_on=local_today(),
        partner=partner,
    )
    return World(
        project=project, marketer=marketer, consultant=consultant, partner=partner, users=users
    )


# --- jobs: a worker process on the test database ---------------------------------------------
def worker_database_env() -> dict[str, str]:
    """The environment for a worker process: ours, on the test database (its NAME is the test
    database once django_db_setup ran)."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url}


def october_activity() -> list:
    """A plan and six marketers with visits and signings in October 2026 (each ranks apart)."""
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


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


# --- make run's shape: SQLite and the file broker in a var dir, no servers --------------------
# Set by scripts/servers.sh for the suite's real servers; make run has none of them.
SERVER_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY")


def make_run_env(var_dir) -> dict[str, str]:
    """The environment `make run` gives a process: ours without the servers, DEBUG on, its
    SQLite database and file broker under `var_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARIABLES}
    env.update(DJANGO_DEBUG="1", CHANNELHUB_VAR_DIR=str(var_dir))
    return env

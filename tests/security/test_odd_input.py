"""Odd input through the API answers a field-level 400 naming the field, and writes nothing:
ids that are decimals or beyond 64 bits, numbers beyond their column, text beyond its limit,
fields the caller cannot write. The walks find every body and filter from the schema
generator and the URLconf (tests/security/odd_input.py), so a new one is covered unasked."""

import json
import sys

import django_filters
import pytest
from django.conf import settings
from rest_framework import serializers

from common.filters import IdFilterSet
from common.roles import Role
from common.serializers import IdRelatedField, StrictFieldsMixin
from partners.models import PartnerContract
from sales.models import Signing, Staff, Team, Visit
from tests.factories.org import PartnerFactory, StaffFactory, TeamFactory
from tests.helpers import make_run_env
from tests.security import odd_input as odd

pytestmark = pytest.mark.django_db


# --- What every body and filter is made of (no requests) ------------------------------------


def test_every_request_body_refuses_fields_it_cannot_write_and_bounds_what_it_takes():
    wrong, bodies = [], odd.request_bodies()
    assert len(bodies) > 40
    for method, path, body in bodies:
        where = f"{method} {path} {type(body).__name__}"
        if not isinstance(body, StrictFieldsMixin):
            wrong.append(f"{where}: not a common.serializers base")
        for field_path, field in odd.writable_fields(body):
            name = f"{where}.{'.'.join(map(str, field_path))}"
            if isinstance(field, serializers.BaseSerializer) and not isinstance(
                field, StrictFieldsMixin
            ):
                wrong.append(f"{name}: nested body not strict")
            if isinstance(field, serializers.RelatedField) and not isinstance(
                field, IdRelatedField
            ):
                wrong.append(f"{name}: an id field that is no IdRelatedField")
            if odd.is_free_text(field) and field.max_length is None:
                wrong.append(f"{name}: free text without max_length")
            if isinstance(field, serializers.IntegerField) and None in (
                field.max_value,
                field.min_value,
            ):
                wrong.append(f"{name}: a whole number without a range")
    assert wrong == []


def test_every_api_filterset_takes_ids_as_plain_bounded_ids():
    filtersets = odd.api_filtersets()
    assert len(filtersets) > 15
    wrong = []
    for filterset in filtersets:
        if not issubclass(filterset, IdFilterSet):
            wrong.append(f"{filterset.__name__}: not an IdFilterSet")
        for name, declared in filterset.base_filters.items():
            if isinstance(declared, odd.MODEL_CHOICES):
                wrong.append(f"{filterset.__name__}.{name}: a model choice (an existence oracle)")
            elif type(declared) is django_filters.NumberFilter:
                wrong.append(f"{filterset.__name__}.{name}: a decimal number filter")
    assert wrong == []


# --- The walks, on PostgreSQL -----------------------------------------------------------------


@pytest.fixture
def manager_api(world, client_as):
    odd.world_extras()
    return client_as(Role.MANAGER, user=world.users[Role.MANAGER])


def test_every_id_filter_of_every_list_refuses_odd_ids_naming_the_filter(manager_api):
    before = odd.row_counts()
    problems, tried = odd.number_filter_problems(manager_api)
    assert tried > 150
    assert problems == [], "\n".join(problems)
    assert odd.row_counts() == before


def test_every_body_field_refuses_odd_ids_numbers_dates_and_long_text_naming_it(manager_api):
    before = odd.row_counts()
    problems, tried = odd.body_problems(manager_api)
    assert tried > 300
    assert problems == [], "\n".join(problems)
    assert odd.row_counts() == before


# --- The cases the issue names, one by one -----------------------------------------------------


def _registration(world, **fields):
    return {
        "project": world.project.pk,
        "customer_name": "赵先生",
        "customer_phone": "13700001111",
        **fields,
    }


def _signing(world, **fields):
    return {
        "project": world.project.pk,
        "customer_name": "赵先生",
        "customer_phone": "13700001111",
        "unit": "9-901",
        "property_type": "high_rise",
        "area": "98.50",
        "amount": "1200000.00",
        "signed_on": "2026-11-05",
        **fields,
    }


def _staff(world, **fields):
    base = {"name": "钱", "role": "marketer", "level": "regular", "hire_date": "2026-01-05"}
    return {**base, **fields}


def _contract(world, **fields):
    return {
        "partner": world.partner.pk,
        "code": "C-9",
        "fee_mode": "per_unit",
        "fee_value": "1000",
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
        **fields,
    }


def _visit(world, **fields):
    at = {"visited_at": "2026-11-05T10:00:00+08:00", "property_type": "high_rise"}
    return _registration(world, **at, **fields)


LONG = "长" * 10_000
# (role, resource, the body, the field the 400 names); every case is a POST.
CASES = [
    ("manager", "registrations", lambda w: _registration(w, project=w.project.pk + 0.9), "project"),
    ("manager", "registrations", lambda w: _registration(w, project=f"{w.project.pk}.0"), "project"),  # noqa: E501
    ("manager", "registrations", lambda w: _registration(w, project=True), "project"),
    ("manager", "registrations", lambda w: _registration(w, project=2**64 + 1), "project"),
    ("manager", "registrations", lambda w: _registration(w, project=str(2**63)), "project"),
    ("manager", "signings", lambda w: _signing(w, partner=w.partner.pk + 0.5), "partner"),
    ("manager", "signings", lambda w: _signing(w, status="cancelled"), "status"),
    ("manager", "signings", lambda w: _signing(w, customer_name=LONG), "customer_name"),
    ("manager", "signings", lambda w: _signing(w, salesman="x"), "salesman"),
    ("manager", "statements/approve-many", lambda w: {"ids": [2**64 + 1]}, "ids"),
    ("manager", "statements/approve-many", lambda w: {"ids": [1.5]}, "ids"),
    ("manager", "staff", lambda w: _staff(w, active=True, left_on="2026-03-01"), "left_on"),
    ("manager", "staff", lambda w: _staff(w, active=False, left_on="2025-03-01"), "left_on"),
    ("manager", "staff", lambda w: _staff(w, team=2**64), "team"),
    ("manager", "contracts", lambda w: _contract(w, scope=LONG), "scope"),
    ("manager", "contracts", lambda w: _contract(w, partner=2**64), "partner"),
    ("secretary", "visits", lambda w: _visit(w, consultant=w.consultant.pk + 0.9), "consultant"),
    ("secretary", "visits", lambda w: _visit(w, note="长" * 301), "note"),
    ("secretary", "visits", lambda w: _visit(w, group_size=2**64), "group_size"),
]  # fmt: skip


@pytest.mark.parametrize(("role", "resource", "body", "field"), CASES)
def test_odd_input_answers_400_naming_the_field_and_writes_nothing(
    world, client_as, english, role, resource, body, field
):
    api = client_as(role, user=world.users[role])
    before = odd.row_counts()
    response = api.post(f"/api/v1/{resource}/", body(world), format="json")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert field in answer["errors"], answer
    assert answer["detail"] and answer["code"] == "invalid"
    assert odd.row_counts() == before


@pytest.mark.parametrize("value", ["2.9", "2.0", "1.5", str(2**64 + 1), str(2**63), "-1", "１"])
def test_an_id_filter_given_no_id_answers_400_naming_it(world, client_as, value):
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    response = api.get("/api/v1/visits/", {"project": value})
    assert response.status_code == 400, response.content
    assert "project" in response.json()["errors"]


def test_a_decimal_id_is_never_rounded_to_another_object(world, client_as):
    """2.9 once credited project 2; 1.5 partner 1."""
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    before = Signing.objects.count()
    body = _signing(world, partner=float(world.partner.pk) + 0.5)
    assert api.post("/api/v1/signings/", body, format="json").status_code == 400
    assert Signing.objects.count() == before
    listed = api.get("/api/v1/registrations/", {"project": f"{world.project.pk}.9"})
    assert listed.status_code == 400


def test_a_contract_keeps_its_partner_and_a_write_naming_another_is_refused(world, client_as):
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    contract = odd.world_extras()["contract"]
    other = PartnerFactory()
    url = f"/api/v1/contracts/{contract.pk}/"
    for call in (api.patch, api.put):
        response = call(url, {**api.get(url).json(), "partner": other.pk}, format="json")
        assert response.status_code == 400, response.content
        assert "partner" in response.json()["errors"]
    contract.refresh_from_db()
    assert contract.partner == world.partner
    # What GET answered, sent back unchanged, is no attempt to change anything.
    echoed = {
        k: v for k, v in api.get(url).json().items() if v is not None and k != "signed_pdf_url"
    }
    response = api.put(url, echoed, format="json")
    assert response.status_code == 200, response.content
    assert PartnerContract.objects.get(pk=contract.pk).partner == world.partner


def test_a_staff_member_who_left_is_recorded_with_the_last_working_day(world, client_as):
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    response = api.post(
        "/api/v1/staff/",
        {
            "name": "孙离职",
            "role": "marketer",
            "level": "regular",
            "hire_date": "2026-01-05",
            "active": False,
            "left_on": "2026-06-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["left_on"] == "2026-06-30"
    staff = Staff.objects.get(pk=response.json()["id"])
    assert (staff.is_active, str(staff.left_on)) == (False, "2026-06-30")


def test_a_visit_patch_naming_a_fixed_field_says_which_route_changes_it(world, client_as, english):
    api = client_as(Role.SECRETARY, user=world.users[Role.SECRETARY])
    visit = Visit.objects.order_by("pk").first()
    response = api.patch(f"/api/v1/visits/{visit.pk}/", {"status": "confirmed"}, format="json")
    assert response.status_code == 400
    assert "confirm/" in response.json()["errors"]["status"][0]


# --- Supervisors' id filters reveal nothing outside their teams ---------------------------------


def test_a_supervisor_filtering_by_an_id_outside_their_teams_gets_the_missing_id_answer(
    world, client_as
):
    api = client_as(Role.SUPERVISOR, user=world.users[Role.SUPERVISOR])
    elsewhere = TeamFactory(project=world.project)
    outsider = StaffFactory(role=Role.MARKETER, level="regular", team=elsewhere)
    other_supervisor = StaffFactory(role=Role.SUPERVISOR, level=None)
    elsewhere.leader, elsewhere.supervisor = outsider, other_supervisor
    elsewhere.save()
    StaffFactory(role=Role.MARKETER, level="regular", team=elsewhere, referred_by=outsider)
    missing = 10**12
    probes = [
        ("teams", "leader", outsider.pk),
        ("teams", "supervisor", other_supervisor.pk),
        ("staff", "team", elsewhere.pk),
        ("staff", "referred_by", outsider.pk),
    ]
    for resource, name, outside in probes:
        url = f"/api/v1/{resource}/"
        theirs, nothing = api.get(url, {name: outside}), api.get(url, {name: missing})
        assert theirs.status_code == 200, (name, theirs.content)
        assert (theirs.status_code, theirs.content) == (nothing.status_code, nothing.content)
        assert theirs.json()["count"] == 0
    assert Team.objects.filter(leader=outsider).exists()  # the ids do exist


def test_a_supervisor_naming_a_team_or_person_outside_their_teams_gets_the_missing_id_answer(
    world, client_as
):
    api = client_as(Role.SUPERVISOR, user=world.users[Role.SUPERVISOR])
    elsewhere = TeamFactory(project=world.project)
    outsider = StaffFactory(role=Role.MARKETER, level="regular", team=elsewhere)
    mine = Team.objects.get(supervisor__user=world.users[Role.SUPERVISOR])
    staff = _staff(world, team=mine.pk)
    before = odd.row_counts()
    for method, url, name, body in (
        ("post", "/api/v1/staff/", "team", staff),
        ("post", "/api/v1/staff/", "referred_by", staff),
        ("patch", f"/api/v1/teams/{mine.pk}/", "leader", {}),
    ):
        outside = elsewhere.pk if name == "team" else outsider.pk
        call = getattr(api, method)
        theirs = call(url, {**body, name: outside}, format="json")
        missing = call(url, {**body, name: 10**12}, format="json")
        assert theirs.status_code == 400 and name in theirs.json()["errors"], theirs.content
        expected = missing.json()["errors"][name][0].replace(str(10**12), str(outside))
        assert theirs.json()["errors"][name] == [expected]
    assert odd.row_counts() == before


# --- The same id walks on SQLite (make run's database), in a subprocess ------------------------

SQLITE_WALK = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()
from django.db import connection
from rest_framework.test import APIClient
from common.roles import Role
from tests.helpers import login_create, world_build
from tests.security import odd_input as odd

assert connection.vendor == "sqlite", connection.vendor
world = world_build(login_create)
odd.world_extras()
api = APIClient(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="en")
api.force_authenticate(world.users[Role.MANAGER])
before = odd.row_counts()
filters, filters_tried = odd.number_filter_problems(api)
bodies, bodies_tried = odd.body_problems(api, ids_only=True)
print(json.dumps({
    "problems": filters + bodies,
    "tried": [filters_tried, bodies_tried],
    "unchanged": odd.row_counts() == before,
}))
"""


@pytest.mark.subprocess
def test_beyond_64_bit_and_decimal_ids_answer_400_on_sqlite_too(make_run_var):
    """SQLite raises OverflowError (a 500) for an integer beyond 64 bits where PostgreSQL
    raises a DataError: the walks run again against make run's migrated SQLite database."""
    import subprocess

    script = make_run_var / "walk.py"
    script.write_text(SQLITE_WALK, encoding="utf-8")
    env = make_run_env(make_run_var) | {"PYTHONPATH": str(settings.BASE_DIR)}
    done = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["problems"] == []
    assert answer["tried"][0] > 150 and answer["tried"][1] > 50
    assert answer["unchanged"]

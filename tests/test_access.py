"""The access table (common/access.py) is the one place that says who may do what."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from common.access import CAPABILITIES, Can, Capabilities, can, capability_required
from common.roles import Role

ROOT = Path(__file__).resolve().parent.parent
APPS = ("channelhub", "common", "partners", "sales", "incentives", "portal")

# What SPEC's "Users" table means for the pages and actions a role sees most: a second,
# hand-written statement of a few rows of the table, so a slip in either one fails here.
EXPECTED = {
    "log_visits": {Role.MANAGER, Role.SECRETARY},
    "record_deals": {Role.MANAGER, Role.SECRETARY},
    "see_assigned_visits": {Role.CONSULTANT},
    "read_daily_report": {Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY},
    "read_boards": {Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT},
    "read_statements": {Role.MANAGER, Role.SUPERVISOR, Role.MARKETER},
    "approve_statements": {Role.MANAGER},
    "view_dashboard": {Role.MANAGER, Role.SUPERVISOR},
    "use_partner_portal": {Role.PARTNER},
    "use_marketer_pages": {Role.MARKETER},
    "masked_phones_only": {Role.PARTNER},
}


class _User:
    is_authenticated = True
    is_superuser = False

    def __init__(self, role):
        self._channelhub_role = role


@pytest.mark.parametrize("capability", sorted(EXPECTED))
def test_each_role_has_exactly_the_capabilities_the_spec_gives_it(capability):
    allowed = {role for role in Role if can(_User(role.value), capability)}
    assert allowed == EXPECTED[capability]


def test_anonymous_and_roleless_users_hold_no_capability():
    for capability in CAPABILITIES:
        assert not can(AnonymousUser(), capability)
        assert not can(_User(None), capability)


def test_an_unknown_capability_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        can(_User(Role.MANAGER.value), "log_visit")
    with pytest.raises(KeyError):
        capability_required("approve_statement")
    with pytest.raises(KeyError):
        Can("read_board")


def test_templates_ask_capabilities_lazily_and_once():
    capabilities = Capabilities(_User(Role.SECRETARY.value))
    assert capabilities["log_visits"] is True
    assert capabilities["approve_statements"] is False
    assert "log_visits" in capabilities
    assert "no_such_thing" not in capabilities


def _sources(*suffixes):
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


# Two or more roles written together: a role list.
ROLE_LIST = re.compile(r"Role\.[A-Z]+\s*,\s*Role\.[A-Z]+|Role\.[A-Z]+\s*\|\s*Role\.[A-Z]+")


def test_no_role_list_outside_the_access_table():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _sources(".py")
        if path != ROOT / "common" / "access.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        # a filter of Staff rows by their job (`role__in=`) is data, not access
        if ROLE_LIST.search(line) and "role__in=" not in line
    ]
    assert offenders == []


def test_templates_ask_capabilities_not_role_codes():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "user_role" in path.read_text()
    ]
    assert offenders == []

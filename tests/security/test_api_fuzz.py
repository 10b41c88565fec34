"""Schemathesis over /api/schema/ with every role's token, in-process through the WSGI app:
no request may get a 5xx, and every documented response must match the schema."""

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token

from common.roles import Role
from tests.helpers import ALL_ROLES

pytestmark = pytest.mark.django_db(transaction=True)

# Examples per operation and role. One keeps the promise — every operation is called with each
# role's token, answers no 5xx and matches its schema (the run checks every operation was
# called) — at half the requests of two: 6 roles x ~105 operations in ~25 s instead of ~50 s
# on this 2-core machine. Raise it locally to fuzz deeper.
MAX_EXAMPLES = 1
# Left out, and why:
# - auth/token/: fuzzed usernames and passwords only feed the login lockout (test_lockout.py).
# - incentives/compute/: starts a real compute on the broker (tests/jobs cover it).
# - imports (visits/signings import/): multipart xlsx uploads (tests/sales/test_imports.py).
EXCLUDED = r"^/api/v1/(auth/token/|incentives/compute/|visits/import/|signings/import/)$"
# Known bugs the fuzzing found, left out of the run until fixed: (method, path) pairs, each with
# a strict xfail below that starts passing (and so fails) once the bug is gone. None now.
KNOWN_BUGS: list[tuple[str, str]] = []


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    """The schema as the API serves it at /api/schema/, read through the WSGI app."""
    import schemathesis

    from channelhub.wsgi import application

    with django_db_blocker.unblock():
        schema = schemathesis.from_wsgi("/api/schema/", application)
    schema = schema.exclude(path_regex=EXCLUDED)
    for method, path in KNOWN_BUGS:
        schema = schema.exclude(method=method, path=path)
    return schema


def _run(schema, token: str) -> list[str]:
    from schemathesis.checks import not_a_server_error, response_schema_conformance
    from schemathesis.models import Status
    from schemathesis.runner import events, from_schema

    runner = from_schema(
        schema,
        checks=[not_a_server_error, response_schema_conformance],
        headers={"Authorization": f"Token {token}"},
        hypothesis_settings=hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
        count_operations=False,
        count_links=False,
    )
    problems, called = [], set()
    for event in runner.execute():
        if isinstance(event, events.AfterExecution) and event.result.checks:
            called.add((event.method.upper(), event.path))
        if isinstance(event, events.InternalError):
            problems.append(f"internal error: {event.message}\n{event.exception_with_traceback}")
        if not isinstance(event, events.AfterExecution):
            continue
        if event.status not in (Status.failure, Status.error):
            continue
        for check in event.result.checks:
            if check.value == Status.failure:
                response = check.response
                problems.append(
                    f"{event.method} {event.path}: {check.name}: {check.message} "
                    f"[{response.status_code if response else '-'}] {check.example.path_parameters}"
                    f" {check.example.query} {str(check.example.body)[:200]}"
                )
        for error in event.result.errors:
            problems.append(f"{event.method} {event.path}: error {error.exception[:300]}")
    if len(called) != schema.operations_count:
        problems.append(f"called {len(called)} of the {schema.operations_count} operations")
    return problems


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_server_error_and_no_schema_violation(world, api_schema, role):
    token = Token.objects.create(user=world.users[role]).key
    problems = _run(api_schema, token)
    assert problems == [], "\n".join(problems[:30])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "resource", ["registrations", "visits", "subscriptions", "signings", "payments", "mortgages"]
)
def test_every_activity_search_answers_200(world, client_as, resource):
    """Each list's search names fields its model has (subscriptions once searched a missing
    customer_name column: a FieldError, so a 500, for any ?q=)."""
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    response = api.get(f"/api/v1/{resource}/", {"q": "王"})
    assert response.status_code == 200, response.content

"""GENERATED CLIENT (issue 16): a Python client generated from /api/schema/ with
openapi-python-client (installed from PyPI with the dev dependencies; no network here), every
module of it imported, and a day's work run through it against the live test server.

Run alone with `scripts/test.sh -m generated_client`. The generation runs here, in a temporary
directory, so `make test` needs no extra step."""

import importlib
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from common.periods import local_today, month_of
from common.roles import Role
from tests.helpers import PASSWORD, earlier_today

pytestmark = [pytest.mark.generated_client, pytest.mark.django_db(transaction=True)]

PACKAGE = "channelhub_client"
# The binary downloads (xlsx, PDF) are bytes to the client; generators read this media type.
CONFIG = {
    "package_name_override": PACKAGE,
    "post_hooks": [],
    "content_type_overrides": {
        "application/pdf": "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
            "application/octet-stream"
        ),
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from the schema /api/schema/ serves (asked for in Chinese,
    the default language: the schema is English whatever the request), importable:
    (package dir, the generator's output)."""
    from django.test import Client

    work = tmp_path_factory.mktemp("client")
    served = Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert served.status_code == 200
    (work / "schema.json").write_bytes(served.content)
    (work / "config.json").write_text(json.dumps(CONFIG))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(work / "schema.json"),
            "--config",
            str(work / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(work / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sys.path.insert(0, str(work))
    yield work / PACKAGE, done.stdout + done.stderr
    sys.path.remove(str(work))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _module_names(package_dir) -> list[str]:
    root = package_dir.parent
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_client_generates_without_warnings_and_every_module_imports(generated):
    package_dir, output = generated
    assert "Warning" not in output and "WARNING" not in output, output[-3000:]
    names = _module_names(package_dir)
    failed = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # every failure is collected, then reported together
            failed[name] = f"{type(exc).__name__}: {exc}"
    assert failed == {}
    assert len(names) > 250  # ~110 operations and their models, not a stub
    api = importlib.import_module(f"{PACKAGE}.api")
    areas = {path.name for path in (package_dir / "api").iterdir() if path.is_dir()}
    assert {"sales", "incentives", "partners", "customers", "targets"} <= areas, api


@pytest.fixture
def company(make_login):
    """A project with a plan in force, a team, a marketer, a consultant and a manager login."""
    from incentives.services import plan_create_default
    from sales.models import Staff
    from tests.factories.org import ProjectFactory, StaffFactory, TeamFactory

    project = ProjectFactory()
    plan_create_default(
        name="默认方案", effective_from=month_of(local_today()).previous().start, projects=[project]
    )
    team = TeamFactory(project=project)
    marketer = Staff.objects.get(user=make_login(Role.MARKETER, team=team))
    consultant = StaffFactory(role=Role.CONSULTANT, level=None, team=team)
    make_login(Role.MANAGER, username="client-boss")
    return {"project": project, "marketer": marketer, "consultant": consultant}


def _ok(response, status=200):
    assert response.status_code == status, response.content[:2000]
    return response.parsed


def test_a_day_of_work_runs_through_the_generated_client(generated, live_server, company):
    def use(module: str):
        return importlib.import_module(f"{PACKAGE}.{module}")

    models = use("models")
    client_module = use("client")
    token_create = use("api.auth.auth_token_create")
    visits_create = use("api.sales.visits_create")
    visits_confirm = use("api.sales.visits_confirm_create")
    visits_reject = use("api.sales.visits_reject_create")
    visits_list = use("api.sales.visits_list")
    signings_create = use("api.sales.signings_create")
    signings_cancel = use("api.sales.signings_cancel_create")
    leaderboards = use("api.incentives.leaderboards_retrieve")
    compute = use("api.incentives.incentives_compute_create")
    statements = use("api.incentives.statements_list")

    anonymous = client_module.Client(base_url=live_server.url)
    body = models.AuthTokenRequest(username="client-boss", password=PASSWORD)
    token = _ok(token_create.sync_detailed(client=anonymous, body=body)).token
    api = client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")
    project, marketer = company["project"].pk, company["marketer"].pk
    month = str(month_of(local_today()))

    def visit(phone: str):
        return models.VisitRequest(
            project=project,
            customer_name="王先生",
            customer_phone=phone,
            visited_at=earlier_today(),
            property_type=models.PropertyTypeEnum.HIGH_RISE,
            marketer=marketer,
            consultant=company["consultant"].pk,
        )

    logged = _ok(visits_create.sync_detailed(client=api, body=visit("13800138000")), 201)
    assert logged.status == models.VisitStatusEnum.PENDING
    confirmed = _ok(visits_confirm.sync_detailed(logged.id, client=api))
    assert confirmed.status == models.VisitStatusEnum.CONFIRMED and confirmed.valid is True
    second = _ok(visits_create.sync_detailed(client=api, body=visit("13900139000")), 201)
    reason = models.VisitRejectRequest(reason="重复登记")
    _ok(visits_reject.sync_detailed(second.id, client=api, body=reason))
    # A list holding a rejected visit parses (the status enum lists every status).
    page = _ok(visits_list.sync_detailed(client=api, project=project))
    assert {v.status for v in page.results} == {
        models.VisitStatusEnum.CONFIRMED,
        models.VisitStatusEnum.REJECTED,
    }

    signing = models.SigningRequest(
        project=project,
        customer_name="王先生",
        customer_phone="13800138000",
        unit="1-1001",
        property_type=models.PropertyTypeEnum.HIGH_RISE,
        area="98.50",
        amount="1250000.00",
        signed_on=local_today(),
        marketer=marketer,
    )
    signed = _ok(signings_create.sync_detailed(client=api, body=signing), 201)
    assert signed.status == models.SigningStatusEnum.SIGNED
    cancel = models.SigningCancelRequest(cancelled_on=local_today())
    cancelled = _ok(signings_cancel.sync_detailed(signed.id, client=api, body=cancel))
    assert cancelled.status == models.SigningStatusEnum.CANCELLED
    assert cancelled.cancelled_on == local_today()

    board = _ok(
        leaderboards.sync_detailed(
            client=api, kind=models.BoardKindEnum.MONTHLY_VISITS, period=month
        )
    )
    assert board.kind == models.BoardKindEnum.MONTHLY_VISITS and board.frozen is False
    (entry,) = [e for e in board.entries if e.staff == marketer]
    assert Decimal(entry.value) == 1

    result = _ok(compute.sync_detailed(client=api, body=models.PeriodRequest(period=month)))
    assert result.status == "succeeded" and result.period == month
    listed = _ok(statements.sync_detailed(client=api, period=month, staff=marketer))
    (statement,) = listed.results
    assert statement.status == models.StatementStatusEnum.DRAFT
    kinds = {line.kind for line in statement.lines}
    assert models.StatementLineKindEnum.BASE_SALARY in kinds
    assert models.StatementLineKindEnum.VISIT_INCENTIVE in kinds
    assert Decimal(statement.total) > 0

    # Errors parse as the documented envelope.
    refused = leaderboards.sync_detailed(
        client=api, kind=models.BoardKindEnum.MONTHLY_VISITS, period="2026-Q4"
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.ValidationError)
    assert "period" in refused.parsed.errors.additional_properties
    missing = visits_confirm.sync_detailed(999_999, client=api)
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)

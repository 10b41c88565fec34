"""xlsx exports of statements (payroll) and leaderboards, on pages and over the API: the
numbers are the statement lines and the engine's board, scoped exactly like the lists."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from common.periods import local_today, parse_period
from common.roles import Role
from incentives.choices import LineKind
from incentives.explanations import line_text
from incentives.models import Statement
from incentives.selectors import leaderboard
from incentives.services import period_compute, statement_adjust
from sales.models import Staff
from tests.factories.activity import signing, valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def october(plan, team, make_login):
    me = make_login(Role.MARKETER, team=team, username="exporter")
    mine = Staff.objects.get(user=me)
    a = marketer(team, name="甲", level="senior")
    valid_visits(a, 22, date(2026, 10, 12))
    valid_visits(mine, 11, date(2026, 10, 13))
    signing(a, "1000000.00", date(2026, 10, 9))
    signing(mine, "800000.00", date(2026, 10, 19))
    period_compute(period=OCT, now=AFTER_OCT)
    manager = make_login(Role.MANAGER)
    statement_adjust(
        actor=manager,
        statement=Statement.objects.get(staff=a, period=OCT),
        amount=Decimal("-33.30"),
        reason="扣款",
    )
    return {"me": me, "mine": mine, "a": a, "manager": manager}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def table(sheet, header_row: int = 1) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[header_row - 1]
    return [dict(zip(headers, row, strict=True)) for row in rows[header_row:]]


def check_statements_workbook(book, statements):
    summary = {row["Name"]: row for row in table(book["Summary"])}
    assert set(summary) == {s.staff.name for s in statements}
    for statement in statements:
        row = summary[statement.staff.name]
        by_kind: dict[str, Decimal] = {}
        for line in statement.lines.all():
            label = str(LineKind(line.kind).label)
            by_kind[label] = by_kind.get(label, Decimal("0")) + line.amount
        for kind in LineKind:
            assert Decimal(str(row[str(kind.label)])) == by_kind.get(str(kind.label), 0), kind
        assert Decimal(str(row["Total"])) == statement.total_amount
        assert row["Team"] == statement.staff.team.name
        assert row["Status"] == "Draft"
    lines = table(book["Lines"])
    # Explanations are rendered from the lines' facts in the requester's language (en here).
    with translation.override("en"):
        expected = sorted(
            (s.staff.name, str(LineKind(line.kind).label), line.amount, line_text(line))
            for s in statements
            for line in s.lines.all()
        )
    got = sorted(
        (
            r["Name"],
            r["Kind"],
            Decimal(str(r["Amount"])).quantize(Decimal("0.01")),
            r["Description"],
        )
        for r in lines
    )
    assert got == expected


def test_payroll_export_numbers_equal_the_statement_lines(client, october):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(october["manager"])
    response = client.get("/incentives/statements/export/", {"period": OCT})
    assert 'filename="statements-2026-10.xlsx"' in response["Content-Disposition"]
    book = workbook(response)
    statements = list(Statement.objects.filter(period=OCT).select_related("staff__team"))
    assert len(statements) == 2
    check_statements_workbook(book, statements)
    summary = {row["Name"]: row for row in table(book["Summary"])}
    assert summary["甲"]["Level"].startswith("Senior")
    assert Decimal(str(summary["甲"]["Manual adjustment"])) == Decimal("-33.30")
    assert book["Summary"].cell(row=2, column=7).number_format == "#,##0.00"


def test_marketer_exports_only_their_own_statement(client, api, october):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(october["me"])
    book = workbook(client.get("/incentives/statements/export/", {"period": OCT}))
    assert [row["Name"] for row in table(book["Summary"])] == [october["mine"].name]
    assert {row["Name"] for row in table(book["Lines"])} == {october["mine"].name}
    api.force_authenticate(october["me"])
    book = workbook(
        api.get("/api/v1/statements/export/", {"period": OCT}, HTTP_ACCEPT_LANGUAGE="en")
    )
    assert [row["Name"] for row in table(book["Summary"])] == [october["mine"].name]


def test_api_statement_export_matches_lines(client_as, october):
    client = client_as(Role.MANAGER)
    book = workbook(
        client.get("/api/v1/statements/export/?period=2026-10", HTTP_ACCEPT_LANGUAGE="en")
    )
    check_statements_workbook(
        book, list(Statement.objects.filter(period=OCT).select_related("staff__team"))
    )


@pytest.mark.parametrize("period", ["", "2026-13", "2026-W40", "x"])
def test_api_statement_export_bad_period_is_a_field_error(client_as, plan, period):
    response = client_as(Role.MANAGER).get(
        "/api/v1/statements/export/", {"period": period}, HTTP_ACCEPT=XLSX
    )
    assert response.status_code == 400
    assert "period" in response.json()["errors"]


def test_statement_export_roles(client_as, client, make_login, october):
    for role in (Role.PARTNER, Role.CONSULTANT, Role.SECRETARY):
        assert client_as(role).get(f"/api/v1/statements/export/?period={OCT}").status_code == 403
        client.force_login(make_login(role))
        assert client.get(f"/incentives/statements/export/?period={OCT}").status_code == 403


def test_page_statement_export_needs_a_month(client, october):
    client.force_login(october["manager"])
    assert client.get("/incentives/statements/export/").status_code == 400
    assert client.get("/incentives/statements/export/", {"period": "2026-99"}).status_code == 400


@pytest.mark.usefixtures("no_default_plan")
def test_leaderboard_export_equals_the_engine(client, client_as, october, plan):
    engine = leaderboard(
        plan=plan, kind="monthly_visits", period=parse_period(OCT), today=local_today()
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(october["me"])
    page = client.get("/incentives/leaderboards/export/", {"kind": "monthly_visits", "period": OCT})
    assert 'filename="leaderboard-monthly-visits-2026-10.xlsx"' in page["Content-Disposition"]
    api = client_as(Role.CONSULTANT).get(
        "/api/v1/leaderboards/export/?kind=monthly_visits&period=2026-10", HTTP_ACCEPT_LANGUAGE="en"
    )
    for book in (workbook(page), workbook(api)):
        sheet = book["Leaderboard"]
        assert sheet["B3"].value == "frozen"
        rows = table(sheet, header_row=5)
        assert [(r["Rank"], r["Name"], r["Valid visits"], r["Eligible"]) for r in rows] == [
            (e["rank"], e["staff_name"], int(e["value"]), "yes" if e["eligible"] else "no")
            for e in engine["entries"]
        ]
        assert [Decimal(str(r["Prize"])) for r in rows] == [e["prize"] for e in engine["entries"]]
        assert rows[0]["Name"] == "甲" and rows[0]["Prize"] == 800


def test_live_signing_board_export(client_as, plan, team):
    a = marketer(team)
    signing(a, "2000000.00", local_today())
    period = str(parse_period(local_today().strftime("%Y-%m")))
    response = client_as(Role.MANAGER).get(
        f"/api/v1/leaderboards/export/?kind=monthly_signings&period={period}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    sheet = workbook(response)["Leaderboard"]
    assert sheet["B3"].value == "live"
    rows = table(sheet, header_row=5)
    assert Decimal(str(rows[0]["Signed amount"])) == Decimal("2000000.00")
    assert rows[0]["Rank"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "kind=weekly_visits&period=2026-10",
        "kind=monthly_visits&period=2026-W40",
        "kind=bogus&period=2026-10",
        "period=2026-10",
    ],
)
def test_api_leaderboard_export_bad_query_is_400(client_as, plan, query):
    response = client_as(Role.MARKETER).get(f"/api/v1/leaderboards/export/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_leaderboard_export_refuses_partners_and_needs_a_plan(client_as, client, make_login, db):
    assert (
        client_as(Role.PARTNER)
        .get("/api/v1/leaderboards/export/?kind=monthly_visits&period=2026-10")
        .status_code
        == 403
    )
    # No plan in force at all: a 404 with a message, not a 500.
    response = client_as(Role.MANAGER).get(
        "/api/v1/leaderboards/export/?kind=monthly_visits&period=2026-10"
    )
    assert response.status_code == 404
    client.force_login(make_login(Role.MANAGER))
    page = client.get("/incentives/leaderboards/export/?kind=monthly_visits&period=2026-10")
    assert page.status_code == 404


def test_statement_export_query_count_does_not_grow(client_as, plan, team):
    client = client_as(Role.MANAGER)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/statements/export/?period={OCT}")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _n in range(2):
        valid_visits(marketer(team), 3, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    few = count()
    for _n in range(15):
        valid_visits(marketer(team), 3, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    assert Statement.objects.count() == 17
    assert count() == few

"""Leaderboards, compute and statements over the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.models import Statement, StatementLine
from incentives.services import period_compute
from tests.api_base import EndpointCase
from tests.factories.activity import signing, valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("no_default_plan")
def test_leaderboard_contract_and_ties(client_as, plan, team):
    a, b, c = marketer(team), marketer(team), marketer(team)
    valid_visits(a, 11, date(2026, 10, 12))
    valid_visits(b, 11, date(2026, 10, 13))
    valid_visits(c, 10, date(2026, 10, 14))
    response = client_as(Role.MARKETER).get(
        "/api/v1/leaderboards/?kind=weekly_visits&period=2026-W42"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["kind"], body["period"], body["frozen"]) == ("weekly_visits", "2026-W42", False)
    top = [(e["staff"], e["rank"], e["prize"], e["eligible"]) for e in body["entries"]]
    assert top[:3] == [
        (a.pk, 1, "500.00", True),
        (b.pk, 1, "500.00", True),
        (c.pk, 3, "200.00", True),
    ]
    assert set(body["entries"][0]) >= {"rank", "staff", "team", "value", "eligible", "prize"}
    period_compute(period="2026-W42", now=AFTER_OCT)
    assert (
        client_as(Role.MANAGER)
        .get("/api/v1/leaderboards/?kind=weekly_visits&period=2026-W42")
        .json()["frozen"]
        is True
    )


@pytest.mark.usefixtures("no_default_plan")
def test_frozen_board_is_served_from_cache_until_a_recompute_refreezes_it(
    client_as, plan, team, django_assert_max_num_queries
):
    a, b = marketer(team), marketer(team)
    valid_visits(a, 12, date(2026, 10, 12))
    valid_visits(b, 10, date(2026, 10, 13))
    period_compute(period="2026-W42", now=AFTER_OCT)
    client = client_as(Role.MARKETER)
    url = "/api/v1/leaderboards/?kind=weekly_visits&period=2026-W42"
    response = client.get(url)
    assert response.status_code == 200, response.content[:3000]
    first = response.json()
    assert [(e["staff"], e["value"]) for e in first["entries"][:2]] == [
        (a.pk, "12.00"),
        (b.pk, "10.00"),
    ]
    with django_assert_max_num_queries(6):  # session, user, role, plans, board; no entries
        assert client.get(url).json() == first
    valid_visits(b, 3, date(2026, 10, 14))
    # Nothing paid yet: a later recompute re-freezes the board under a new computed_at.
    period_compute(period="2026-W42", now=AFTER_OCT + timedelta(hours=1))
    again = client.get(url).json()
    assert again["frozen"] is True
    assert [(e["staff"], e["value"]) for e in again["entries"][:2]] == [
        (b.pk, "13.00"),
        (a.pk, "12.00"),
    ]


def test_team_board_has_no_staff(client_as, plan, team):
    signing(marketer(team), "5000000.00", date(2026, 10, 10))
    entries = (
        client_as(Role.SECRETARY)
        .get("/api/v1/leaderboards/?kind=monthly_team_signings&period=2026-10")
        .json()["entries"]
    )
    assert [(e["staff"], e["team"], e["rank"], e["prize"]) for e in entries] == [
        (None, team.pk, 1, "6000.00")
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=weekly_visits&period=2026-10", "period"),
        ("kind=yearly&period=2026", "kind"),
        ("kind=monthly_visits&period=2026-13", "period"),
        ("period=2026-10", "kind"),
    ],
)
def test_bad_leaderboard_queries_are_field_level_400s(client_as, plan, query, field):
    response = client_as(Role.MANAGER).get(f"/api/v1/leaderboards/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_partners_do_not_see_leaderboards(client_as, plan):
    response = client_as(Role.PARTNER).get(
        "/api/v1/leaderboards/?kind=monthly_visits&period=2026-10"
    )
    assert response.status_code == 403


def test_compute_endpoint_is_for_managers_and_validates(client_as, plan, team):
    marketer(team)
    assert (
        client_as(Role.SUPERVISOR)
        .post("/api/v1/incentives/compute/", {"period": OCT}, format="json")
        .status_code
        == 403
    )
    manager = client_as(Role.MANAGER)
    bad = manager.post("/api/v1/incentives/compute/", {"period": "2026-W60"}, format="json")
    assert bad.status_code == 400
    assert "period" in bad.json()["errors"]
    ok = manager.post("/api/v1/incentives/compute/", {"period": OCT}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "succeeded"
    assert Statement.objects.filter(period=OCT).count() == 1
    jobs = manager.get("/api/v1/incentives/jobs/?name=compute_incentives").json()["results"]
    assert jobs[0]["status"] == "succeeded"


def test_statements_contract_scoping_and_actions(client_as, make_login, plan, team):
    me = make_login(Role.MARKETER, team=team)
    other = marketer(team)
    signing(me.staff, "600000.00", date(2026, 10, 10))
    period_compute(period=OCT, now=AFTER_OCT)
    mine = client_as(Role.MARKETER, user=me).get(f"/api/v1/statements/?period={OCT}").json()
    assert mine["count"] == 1
    row = mine["results"][0]
    assert (row["staff"], row["period"], row["status"]) == (me.staff.pk, OCT, "draft")
    assert row["total"] == "3500.00"
    assert {line["kind"] for line in row["lines"]} == {"base_salary", "commission"}
    assert set(row["lines"][0]) == {"kind", "amount", "description", "source"}
    theirs = Statement.objects.get(staff=other).pk
    marketer_client = client_as(Role.MARKETER, user=me)
    assert marketer_client.get(f"/api/v1/statements/{theirs}/").status_code == 404
    assert marketer_client.post(f"/api/v1/statements/{row['id']}/approve/").status_code == 403

    manager = client_as(Role.MANAGER)
    adjusted = manager.post(
        f"/api/v1/statements/{row['id']}/adjustments/",
        {"amount": "100.00", "reason": "全勤奖"},
        format="json",
    ).json()
    assert adjusted["total"] == "3600.00"
    approved = manager.post(
        "/api/v1/statements/approve-many/", {"ids": [row["id"], theirs]}, format="json"
    ).json()
    assert approved == {"approved": 2}
    again = manager.post(f"/api/v1/statements/{row['id']}/approve/")
    assert again.status_code == 400
    assert "status" in again.json()["errors"]
    paid = manager.post(f"/api/v1/statements/{row['id']}/mark-paid/").json()
    assert paid["status"] == "paid"


class TestStatementList(EndpointCase):
    url = "statement-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.MARKETER, Role.PARTNER})

    @pytest.fixture(autouse=True)
    def _plan_and_team(self, plan, team):
        self.team = team

    def rows(self, n, user):
        """Marketers who signed in October, then October computed: one statement each."""
        for _ in range(n):
            signing(marketer(self.team), "100000.00", date(2026, 10, 10))
        period_compute(period=OCT, now=AFTER_OCT)


@pytest.mark.parametrize("amount", ["999999999999.99", "-999999999999.99", "100000000.00"])
def test_an_adjustment_too_large_for_a_statement_is_a_field_level_400(
    client_as, plan, team, amount
):
    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(period=OCT)
    response = client_as(Role.MANAGER).post(
        f"/api/v1/statements/{statement.pk}/adjustments/",
        {"amount": amount, "reason": "录入错误"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "amount" in response.json()["errors"]
    statement.refresh_from_db()
    assert statement.total_amount == Decimal("2500.00")
    assert not statement.lines.filter(kind="adjustment").exists()


def test_an_adjustment_that_would_overflow_the_statement_total_is_refused(client_as, plan, team):
    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(period=OCT)
    # A statement already close to what its total column holds (numeric(14, 2)).
    StatementLine.objects.create(
        statement=statement,
        kind="adjustment",
        amount=Decimal("999999990000.00"),
        description="历史数据",
        source="import",
    )
    Statement.objects.filter(pk=statement.pk).update(total_amount=Decimal("999999992500.00"))
    response = client_as(Role.MANAGER).post(
        f"/api/v1/statements/{statement.pk}/adjustments/",
        {"amount": "99999999.99", "reason": "再加"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "amount" in response.json()["errors"]
    assert statement.lines.filter(kind="adjustment").count() == 1

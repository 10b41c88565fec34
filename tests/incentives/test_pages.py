"""The incentive pages: leaderboards, statements (list, detail, adjustment, approve and mark
paid one), who reaches the approvals page (tests/incentives/test_approvals.py has the rest),
the navigation — scoped by role, never a 500."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from common.periods import local_today, parse_period
from common.roles import Role
from incentives.choices import StatementStatus
from incentives.explanations import line_text
from incentives.models import Statement
from incentives.selectors import leaderboard
from incentives.services import period_compute, plan_create_default, statement_approve
from sales.models import Staff
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

BOARDS = "/incentives/leaderboards/"
STATEMENTS = "/incentives/statements/"
APPROVALS = "/incentives/approvals/"


@pytest.fixture
def web(client):
    """A browser in English, signed in as a new login of a role."""

    def sign_in(user):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        client.force_login(user)
        return client

    return sign_in


def staff_of(user) -> Staff:
    return Staff.objects.get(user=user)


@pytest.fixture
def october(plan, team, make_login):
    """Three marketers of one team with October's visits and a signing; October computed.
    The first of them signs in (`me`)."""
    me = make_login(Role.MARKETER, team=team, username="me")
    mine = staff_of(me)
    a, b = marketer(team, name="甲"), marketer(team, name="乙")
    valid_visits(a, 25, date(2026, 10, 12))
    valid_visits(mine, 21, date(2026, 10, 13))
    valid_visits(b, 4, date(2026, 10, 14))
    signing(a, "1200000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    return {"me": me, "mine": mine, "a": a, "b": b}


def rows(body: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*>([^<]*)<', body)


# --- leaderboards -----------------------------------------------------------------------------
def test_leaderboard_table_and_chart_data_match_the_engine(web, october, plan):
    client = web(october["me"])
    response = client.get(BOARDS, {"kind": "monthly_visits", "period": OCT})
    assert response.status_code == 200
    body = response.content.decode()
    engine = leaderboard(
        plan=plan, kind="monthly_visits", period=parse_period(OCT), today=local_today()
    )
    assert [int(v) for v in rows(body, "value")] == [int(e["value"]) for e in engine["entries"]]
    assert [int(v) for v in rows(body, "value")] == [25, 21, 4]
    assert rows(body, "rank") == ["1", "2", "–"]
    assert [p.replace(",", "") for p in rows(body, "prize")] == ["800.00", "500.00", "0.00"]
    assert 'data-state="frozen"' in body  # October was computed after it closed
    chart = json.loads(
        re.search(r'<script id="leaderboard-data" type="application/json">(.*?)</script>', body)[1]
    )
    assert chart["values"] == ["25.00", "21.00", "4.00"]
    assert chart["labels"][0] == "甲"
    assert chart["mine"] == 1  # the signed-in marketer's bar
    assert re.search(rf'data-subject="{october["mine"].pk}" class="mine"', body)
    assert "/static/js/leaderboard." in body and "/echarts/echarts.min." in body
    assert "<script>" not in body  # CSP: no inline code
    assert f"period={OCT}" in body and "previous-period" in body


@pytest.mark.usefixtures("no_default_plan")
def test_current_week_board_is_live_by_default(web, plan, team, make_login):
    client = web(make_login(Role.CONSULTANT))
    marketer(team)
    body = client.get(BOARDS).content.decode()
    assert 'data-state="live"' in body
    assert 'data-testid="tab-weekly_visits" aria-current="page"' in body
    assert 'data-testid="next-period"' not in body  # no future period


def test_team_board_lists_teams_and_highlights_my_team(web, october):
    client = web(october["me"])
    body = client.get(BOARDS, {"kind": "monthly_team_signings", "period": OCT}).content.decode()
    assert october["mine"].team.name in body
    assert 'class="mine"' in body


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "weekly_visits", "period": "2026-10"},
        {"kind": "monthly_visits", "period": "2026-W99"},
        {"kind": "monthly_visits", "period": "garbage"},
        {"kind": "nonsense"},
        {"plan": "x"},
    ],
)
def test_bad_board_query_is_a_form_error_not_a_500(web, make_login, plan, query):
    response = web(make_login(Role.MARKETER)).get(BOARDS, query)
    assert response.status_code == 400
    assert b'class="error"' in response.content


def test_partner_users_cannot_open_incentive_pages(web, make_login, plan):
    client = web(make_login(Role.PARTNER))
    for url in (BOARDS, STATEMENTS, APPROVALS, f"{BOARDS}export/?period=2026-10"):
        assert client.get(url).status_code == 403, url


def test_anonymous_goes_to_login(client):
    response = client.get(BOARDS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_leaderboard_query_count_does_not_grow_with_marketers(web, make_login, plan, team):
    client = web(make_login(Role.MANAGER))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BOARDS, {"kind": "monthly_visits", "period": OCT}).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        valid_visits(marketer(team), n + 1, date(2026, 10, 5))
    few = count()
    for n in range(15):
        valid_visits(marketer(TeamFactory(project=team.project)), n + 1, date(2026, 10, 5))
    assert count() == few


# --- statements -------------------------------------------------------------------------------
def test_marketer_sees_only_own_statements_and_404_for_others(web, october):
    client = web(october["me"])
    body = client.get(STATEMENTS).content.decode()
    mine = Statement.objects.get(staff=october["mine"], period=OCT)
    other = Statement.objects.get(staff=october["a"], period=OCT)
    assert re.findall(r'data-statement="(\d+)"', body) == [str(mine.pk)]
    assert client.get(f"{STATEMENTS}{other.pk}/").status_code == 404
    detail = client.get(f"{STATEMENTS}{mine.pk}/")
    assert detail.status_code == 200
    assert b"adjust-form" not in detail.content  # read-only for marketers
    refused = client.post(f"{STATEMENTS}{mine.pk}/", {"amount": "5", "reason": "x"}, follow=True)
    assert b"Only a channel manager can adjust a statement." in refused.content
    mine.refresh_from_db()
    assert not mine.lines.filter(kind="adjustment").exists()


def test_statement_detail_lists_every_line_and_total_is_their_sum(web, october, make_login):
    statement = Statement.objects.get(staff=october["a"], period=OCT)
    body = web(make_login(Role.MANAGER)).get(f"{STATEMENTS}{statement.pk}/").content.decode()
    lines = list(statement.lines.all())
    assert len(re.findall(r'data-testid="line"', body)) == len(lines) > 3
    amounts = [Decimal(a.replace(",", "")) for a in rows(body, "amount")]
    assert amounts == [line.amount for line in lines]
    total = re.search(r'data-testid="total"><strong>([^<]*)<', body)[1]
    assert Decimal(total.replace(",", "")) == sum(amounts) == statement.total_amount
    for line in lines:  # rendered from the line's facts in the page's language
        with translation.override(re.search(r'<html lang="([^"]+)"', body)[1]):
            assert escape(line_text(line)) in body
    assert 'data-testid="status-draft"' in body


def test_supervisor_sees_own_teams_statements_only(web, october, make_login, team):
    boss = make_login(Role.SUPERVISOR)
    client = web(boss)
    assert re.findall(r'data-statement="(\d+)"', client.get(STATEMENTS).content.decode()) == []
    team.supervisor = staff_of(boss)
    team.save()
    outsider = marketer(TeamFactory(project=team.project))
    period_compute(period=OCT, now=AFTER_OCT)
    body = client.get(STATEMENTS, {"period": OCT}).content.decode()
    shown = set(re.findall(r'data-statement="(\d+)"', body))
    assert shown == {
        str(pk) for pk in Statement.objects.filter(staff__team=team).values_list("pk", flat=True)
    }
    other = Statement.objects.get(staff=outsider)
    assert client.get(f"{STATEMENTS}{other.pk}/").status_code == 404


def test_manager_filters_statements_by_period_status_and_team(web, october, make_login, team):
    other_team = TeamFactory(project=team.project)
    marketer(other_team)
    period_compute(period=OCT, now=AFTER_OCT)
    manager = make_login(Role.MANAGER)
    client = web(manager)
    statement_approve(actor=manager, statement=Statement.objects.get(staff=october["a"]))

    def shown(**query) -> set[int]:
        response = client.get(STATEMENTS, query)
        assert response.status_code == 200
        return {int(pk) for pk in re.findall(r'data-statement="(\d+)"', response.content.decode())}

    assert len(shown(period=OCT)) == 4
    assert shown(status="approved") == {Statement.objects.get(staff=october["a"]).pk}
    assert shown(team=other_team.pk) == set(
        Statement.objects.filter(staff__team=other_team).values_list("pk", flat=True)
    )
    assert shown(period="2026-09") == set()


@pytest.mark.parametrize(
    "query", [{"period": "2026-13"}, {"period": "2026-W40"}, {"status": "lost"}, {"team": "x"}]
)
def test_bad_statement_filters_are_form_errors(web, make_login, plan, team, query):
    response = web(make_login(Role.MANAGER)).get(STATEMENTS, query)
    assert response.status_code == 400
    assert b'class="error"' in response.content


def test_statement_list_query_count_is_constant(web, make_login, plan, team):
    client = web(make_login(Role.MANAGER))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(STATEMENTS).status_code == 200
        return len(ctx.captured_queries)

    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    few = count()
    for _n in range(12):
        marketer(TeamFactory(project=team.project))
    period_compute(period=OCT, now=AFTER_OCT)
    period_compute(period="2026-09", now=AFTER_OCT)
    assert Statement.objects.count() > 20
    assert count() == few


def test_consultant_and_secretary_have_no_statements_page(web, make_login, plan):
    for role in (Role.CONSULTANT, Role.SECRETARY):
        assert web(make_login(role)).get(STATEMENTS).status_code == 403


# --- adjustments, approvals -------------------------------------------------------------------
def test_manager_adjusts_a_draft_statement(web, october, make_login):
    client = web(make_login(Role.MANAGER))
    statement = Statement.objects.get(staff=october["b"], period=OCT)
    before = statement.total_amount
    url = f"{STATEMENTS}{statement.pk}/"
    bad = client.post(url, {"amount": "0", "reason": ""})
    assert bad.status_code == 400
    assert b'data-testid="error-amount"' in bad.content
    assert b'data-testid="error-reason"' in bad.content
    assert client.post(url, {"amount": "abc", "reason": "x"}).status_code == 400
    response = client.post(url, {"amount": "-150.50", "reason": "迟到扣款"})
    assert response.status_code == 302 and response["Location"] == url
    statement.refresh_from_db()
    assert statement.total_amount == before - Decimal("150.50")
    assert statement.lines.get(kind="adjustment").description == "迟到扣款"


def test_adjusting_an_approved_statement_is_refused_with_a_message(web, october, make_login):
    manager = make_login(Role.MANAGER)
    client = web(manager)
    statement = Statement.objects.get(staff=october["b"], period=OCT)
    statement_approve(actor=manager, statement=statement)
    url = f"{STATEMENTS}{statement.pk}/"
    assert b"adjust-form" not in client.get(url).content
    response = client.post(url, {"amount": "10", "reason": "late"}, follow=True)
    assert b"never change" in response.content
    assert not statement.lines.filter(kind="adjustment").exists()


def test_marking_one_statement_paid_from_its_page(web, october, make_login):
    manager = make_login(Role.MANAGER)
    client = web(manager)
    statement = Statement.objects.get(staff=october["a"], period=OCT)
    draft = client.post(f"{STATEMENTS}{statement.pk}/mark-paid/", follow=True)
    assert b"Only an approved statement can be marked paid." in draft.content
    statement_approve(actor=manager, statement=statement)
    response = client.post(f"{STATEMENTS}{statement.pk}/mark-paid/", follow=True)
    assert response.redirect_chain[-1][0] == f"{APPROVALS}?period={OCT}"
    statement.refresh_from_db()
    assert (statement.status, statement.paid_on) == (StatementStatus.PAID, local_today())
    assert client.post(f"{STATEMENTS}999999/mark-paid/").status_code == 404


def test_approvals_need_a_manager_and_csrf(client, make_login, october):
    statement = Statement.objects.get(staff=october["a"], period=OCT)
    approve = {"action": "approve", "select": [statement.pk], "confirmed": "1"}
    approve.update(expected_count="1", expected_total=str(statement.total_amount))
    for role in (Role.CONSULTANT, Role.SUPERVISOR, Role.MARKETER, Role.SECRETARY):
        client.force_login(make_login(role))
        assert client.get(APPROVALS).status_code == 403, role
        assert client.post(f"{APPROVALS}bulk/", approve).status_code == 403
        assert client.post(f"{APPROVALS}compute/", {"period": OCT}).status_code == 403
        assert client.post(f"{STATEMENTS}{statement.pk}/approve/").status_code == 403
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_login(Role.MANAGER))
    assert strict.post(f"{APPROVALS}bulk/", approve).status_code == 403
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT


def test_approvals_query_count_is_constant(web, make_login, plan, team):
    client = web(make_login(Role.MANAGER))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(APPROVALS, {"period": OCT}).status_code == 200
        return len(ctx.captured_queries)

    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    few = count()
    for _n in range(12):
        marketer(TeamFactory(project=team.project))
    period_compute(period=OCT, now=AFTER_OCT)
    assert count() == few


def test_manager_approves_one_statement_from_its_page(web, october, make_login):
    client = web(make_login(Role.MANAGER))
    statement = Statement.objects.get(staff=october["a"], period=OCT)
    response = client.post(f"{STATEMENTS}{statement.pk}/approve/")
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED


# --- navigation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.MANAGER, {"nav-leaderboards", "nav-statements", "nav-approvals"}),
        (Role.SUPERVISOR, {"nav-leaderboards", "nav-statements"}),
        (Role.MARKETER, {"nav-leaderboards", "nav-statements"}),
        (Role.SECRETARY, {"nav-leaderboards"}),
        (Role.CONSULTANT, {"nav-leaderboards"}),
    ],
)
def test_nav_links_follow_the_role(web, make_login, role, links):
    body = web(make_login(role)).get(BOARDS).content.decode()
    shown = {t for t in ("nav-leaderboards", "nav-statements", "nav-approvals") if t in body}
    assert shown == links


def test_with_several_plans_the_page_asks_which_one(web, make_login, plan, team):
    other_project = ProjectFactory()
    other = plan_create_default(
        name="第二方案", effective_from=date(2026, 1, 1), projects=[other_project]
    )
    star = marketer(TeamFactory(project=other_project), name="第二名")
    valid_visits(star, 7, date(2026, 10, 5))
    client = web(make_login(Role.MANAGER))
    response = client.get(BOARDS, {"kind": "monthly_visits", "period": OCT})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-plan"' in body and f'<option value="{other.pk}">' in body
    board = client.get(BOARDS, {"kind": "monthly_visits", "period": OCT, "plan": other.pk})
    assert "第二名" in board.content.decode()
    assert f"plan={other.pk}" in board.content.decode()  # prev/next keep the plan
    export = client.get(
        f"{BOARDS}export/", {"kind": "monthly_visits", "period": OCT, "plan": other.pk}
    )
    assert export.status_code == 200
    assert client.get(f"{BOARDS}export/", {"kind": "monthly_visits"}).status_code == 404

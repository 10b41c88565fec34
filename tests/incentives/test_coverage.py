"""Coverage: each compute reports the projects and active marketers no plan covers, and the
drafts of people no plan covers any more are removed (approved and paid never touched)."""

from datetime import date
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.choices import StatementStatus
from incentives.models import IncentivePlan, Statement, StatementLine
from incentives.services import period_compute, plan_create_default, statement_approve
from sales.models import Staff
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT, shanghai

pytestmark = pytest.mark.django_db


def teamless(m: Staff) -> Staff:
    Staff.objects.filter(pk=m.pk).update(team=None)
    return m


@pytest.fixture
def uncovered(no_default_plan, plan, team):
    """A covered marketer, a project no plan covers with an active and an idle marketer, and
    a marketer who left their team after bringing visits."""
    covered = marketer(team)
    valid_visits(covered, 3, date(2026, 10, 6))
    far = TeamFactory(name="A组", project=ProjectFactory(name="远洋"))
    active, idle = marketer(far, name="赵六"), marketer(far, name="钱七")
    signing(active, "800000.00", date(2026, 10, 9))
    alone = marketer(team, name="王五")
    valid_visits(alone, 2, date(2026, 10, 8))
    teamless(alone)
    return {"covered": covered, "active": active, "idle": idle, "alone": alone}


def test_a_compute_reports_the_projects_and_active_marketers_no_plan_covers(uncovered, english):
    summary = period_compute(period=OCT, now=AFTER_OCT)

    assert [p.name for p in summary.coverage.projects] == ["远洋"]
    assert [(m.name, m.team_name, m.project_name) for m in summary.coverage.marketers] == [
        ("王五", None, None),
        ("赵六", "A组", "远洋"),
    ]
    assert Statement.objects.filter(staff=uncovered["covered"]).exists()
    assert not Statement.objects.filter(staff__in=[uncovered["alone"], uncovered["active"]])
    text = summary.text()
    assert "no plan covers the project(s) 远洋" in text
    assert "王五 (no team)" in text and "赵六 (A组 · 远洋)" in text
    assert "钱七" not in text  # no activity in the month: nothing to pay


def test_the_default_plan_covers_every_project_but_not_a_marketer_without_a_team(plan, team):
    m = marketer(TeamFactory(project=ProjectFactory(name="远洋")))
    valid_visits(m, 2, date(2026, 10, 6))
    alone = teamless(marketer(team))
    valid_visits(marketer(team), 1, date(2026, 10, 6))
    signing(alone, "500000.00", date(2026, 10, 9), project=team.project)

    summary = period_compute(period=OCT, now=AFTER_OCT)

    assert summary.coverage.projects == ()
    assert [x.id for x in summary.coverage.marketers] == [alone.pk]
    assert Statement.objects.get(staff=m).plan == IncentivePlan.objects.get(projects__isnull=True)


def test_the_compute_api_lists_whom_no_plan_covers(uncovered, client_as):
    response = client_as(Role.MANAGER).post("/api/v1/incentives/compute/", {"period": OCT})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["uncovered_projects"] == [
        {"id": uncovered["active"].team.project_id, "name": "远洋"}
    ]
    assert body["uncovered_marketers"] == [
        {"id": uncovered["alone"].pk, "name": "王五", "team_name": None, "project_name": None},
        {
            "id": uncovered["active"].pk,
            "name": "赵六",
            "team_name": "A组",
            "project_name": "远洋",
        },
    ]
    assert body["statements_removed"] == 0


def test_approvals_page_and_dashboard_warn_of_whom_no_plan_covers(uncovered, client, make_login):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(make_login(Role.MANAGER))

    for url in (f"/incentives/approvals/?period={OCT}", f"/dashboard/?month={OCT}"):
        body = client.get(url).content.decode()
        assert 'data-testid="coverage-warning"' in body, url
        assert "Project 远洋" in body and "王五: no team" in body, url
        assert "赵六 (A组 · 远洋): no plan covers the project." in body, url


def test_no_warning_when_every_active_marketer_is_covered(plan, team, client, make_login):
    valid_visits(marketer(team), 2, date(2026, 10, 6))
    client.force_login(make_login(Role.MANAGER))

    body = client.get(f"/incentives/approvals/?period={OCT}").content.decode()

    assert 'data-testid="coverage-warning"' not in body


def test_recompute_removes_drafts_of_whom_no_plan_covers_any_more(
    no_default_plan, english, make_login
):
    kept, dropped = ProjectFactory(name="锦绣华庭"), ProjectFactory(name="远洋")
    plan = plan_create_default(
        name="方案", effective_from=date(2026, 1, 1), projects=[kept, dropped]
    )
    stays, goes, approved = (
        marketer(TeamFactory(project=kept)),
        marketer(TeamFactory(project=dropped)),
        marketer(TeamFactory(project=dropped)),
    )
    leaves_team = marketer(TeamFactory(project=kept))
    for m in (stays, goes, approved, leaves_team):
        valid_visits(m, 3, date(2026, 10, 6))
    period_compute(period=OCT, now=AFTER_OCT)
    done = statement_approve(
        actor=make_login(Role.MANAGER), statement=Statement.objects.get(staff=approved)
    )
    approved_lines = list(done.lines.values_list("kind", "amount", "description"))

    plan.projects.set([kept])
    teamless(leaves_team)
    summary = period_compute(period=OCT, now=shanghai("2026-11-02"))

    assert summary.statements_removed == 2
    assert "2 draft statement(s) of people no plan covers removed" in summary.text()
    assert set(Statement.objects.values_list("staff", flat=True)) == {stays.pk, approved.pk}
    done.refresh_from_db()
    assert done.status == StatementStatus.APPROVED and done.total_amount == Decimal("2560.00")
    assert list(done.lines.values_list("kind", "amount", "description")) == approved_lines
    assert not StatementLine.objects.filter(statement__staff__in=[goes, leaves_team]).exists()

"""费效 (cost per valid visit and per signing) and the seed's staffing check."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.periods import parse_period
from common.roles import Role
from incentives.models import ChannelCost
from incentives.rules.staffing import StaffingFacts, staffing_warnings
from portal.dashboard.selectors import dashboard
from sales.models import Signing, Visit
from tests.factories.activity import signing, valid_visits
from tests.factories.org import (
    PartnerFactory,
    ProjectFactory,
    StaffFactory,
    TeamFactory,
    consultant,
    marketer,
)

TODAY = date(2026, 11, 23)

pytestmark = pytest.mark.django_db


def test_cost_per_valid_visit_and_per_signing(client_as, team):
    m = marketer(team)
    valid_visits(m, 40, date(2026, 10, 12))
    signing(m, "1000000.00", date(2026, 10, 13))
    signing(m, "1000000.00", date(2026, 10, 14))
    client = client_as(Role.MANAGER)
    for category, amount in (("promotion", "3000.00"), ("training", "1000.50")):
        created = client.post(
            "/api/v1/channel-costs/",
            {
                "category": category,
                "period": "2026-10",
                "project": team.project_id,
                "amount": amount,
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
    report = client.get("/api/v1/cost-effectiveness/?period=2026-Q4").json()
    assert report["spend"] == "4000.50"
    assert report["cost_per_valid_visit"] == "100.01"  # 4000.50 / 40
    assert report["cost_per_signing"] == "2000.25"
    assert report["projects"][0]["cost_per_valid_visit"] == "100.01"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"period": "2026-W40"}, "period"),
        ({"category": "party"}, "category"),
        ({"period": "bad"}, "period"),
    ],
)
def test_bad_costs_are_refused(client_as, body, field):
    base = {"category": "promotion", "period": "2026-10", "amount": "10.00"}
    response = client_as(Role.MANAGER).post(
        "/api/v1/channel-costs/", {**base, **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ChannelCost.objects.exists()


def test_only_managers_record_costs(client_as):
    body = {"category": "promotion", "period": "2026-10", "amount": "10.00"}
    assert (
        client_as(Role.SUPERVISOR).post("/api/v1/channel-costs/", body, format="json").status_code
        == 403
    )
    assert (
        client_as(Role.MARKETER).get("/api/v1/cost-effectiveness/?period=2026-10").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("marketers", "consultants", "secretaries", "people", "warned"),
    [(6, 2, 1, 9, 0), (7, 2, 1, 10, 1), (15, 5, 1, 21, 1), (15, 5, 2, 22, 0), (0, 0, 0, 0, 0)],
)
def test_staffing_ratios(marketers, consultants, secretaries, people, warned):
    facts = StaffingFacts(
        project_id=1,
        project_name="p",
        marketers=marketers,
        consultants=consultants,
        secretaries=secretaries,
        people=people,
    )
    assert len(staffing_warnings(facts)) == warned


def test_staffing_check_endpoint(client_as):
    team = TeamFactory()
    for _ in range(4):
        marketer(team)
    consultant(team)
    StaffFactory(role=Role.SECRETARY, level=None, team=team)
    rows = client_as(Role.MANAGER).get("/api/v1/staffing-check/", HTTP_ACCEPT_LANGUAGE="en").json()
    row = next(r for r in rows if r["project_id"] == team.project_id)
    assert (row["marketers"], row["consultants"], row["secretaries"]) == (4, 1, 1)
    assert len(row["warnings"]) == 1 and "2 property consultants" in row["warnings"][0]


def test_cost_per_figures_round_half_up(client_as, team):
    m = marketer(team)
    valid_visits(m, 4, date(2026, 10, 12))
    ChannelCost.objects.create(
        category="promotion", period="2026-10", project=team.project, amount=Decimal("100.10")
    )
    report = client_as(Role.MANAGER).get("/api/v1/cost-effectiveness/?period=2026-10").json()
    assert report["cost_per_valid_visit"] == "25.03"  # 25.025 rounds up, not to even (25.02)
    assert report["projects"][0]["cost_per_valid_visit"] == "25.03"


# --- who sees which 费效: the dashboard's rule on the API too ---------------------------------
OCT_DAY = date(2026, 10, 12)


def _partner_visits(partner, team, n: int) -> None:
    """n valid visits credited to a partner (brought to the team's project)."""
    before = set(Visit.objects.values_list("pk", flat=True))
    valid_visits(marketer(team), n, OCT_DAY)
    Visit.objects.exclude(pk__in=before).update(
        marketer=None, brought_marketer=None, partner=partner
    )


def _partner_signing(partner, team, amount="1000000.00") -> None:
    deal = signing(marketer(team), amount, date(2026, 10, 13))
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)


def _cost(amount, *, project=None, partner=None, category="promotion") -> ChannelCost:
    return ChannelCost.objects.create(
        category=category, period="2026-10", project=project, partner=partner, amount=amount
    )


class CostWorld:
    """Two projects: the supervisor runs a team on `mine`, another supervisor the team on
    `theirs`; spend on both, on the company, and on two partners active on both."""

    def __init__(self, make_login):
        self.sup = make_login(Role.SUPERVISOR, username="sup_costs")
        self.mine = ProjectFactory(name="锦绣华庭")
        self.theirs = ProjectFactory(name="金隅大成")
        self.team = TeamFactory(project=self.mine, supervisor=self.sup.staff)
        self.other_team = TeamFactory(
            project=self.theirs, supervisor=make_login(Role.SUPERVISOR).staff
        )
        valid_visits(marketer(self.team), 10, OCT_DAY)
        valid_visits(marketer(self.other_team), 50, OCT_DAY)
        signing(marketer(self.other_team), "2000000.00", date(2026, 10, 13))
        self.x, self.y = PartnerFactory(name="好房代理"), PartnerFactory(name="安居中介")
        _partner_visits(self.x, self.team, 4)
        _partner_visits(self.x, self.other_team, 6)
        _partner_signing(self.x, self.team)
        _partner_visits(self.y, self.other_team, 3)
        self.mine_cost = _cost(Decimal("1000.00"), project=self.mine)
        self.theirs_cost = _cost(Decimal("5000.00"), project=self.theirs)
        _cost(Decimal("700.00"), category="management")  # the company's, no project
        self.x_mine = _cost(Decimal("300.00"), project=self.mine, partner=self.x)
        _cost(Decimal("200.00"), partner=self.x, category="recruitment")  # X, no project
        _cost(Decimal("90.00"), project=self.theirs, partner=self.y)


@pytest.fixture
def costs(make_login):
    return CostWorld(make_login)


def test_a_supervisor_reads_only_their_teams_projects_and_no_company_totals(client_as, costs):
    sup = client_as(Role.SUPERVISOR, user=costs.sup)
    report = sup.get("/api/v1/cost-effectiveness/?period=2026-10").json()
    assert report["company"] is False
    for total in ("spend", "valid_visits", "signings", "cost_per_valid_visit", "cost_per_signing"):
        assert report[total] is None, total
    assert report["by_category"] == []
    (project,) = report["projects"]
    assert (project["project"], project["spend"], project["valid_visits"]) == (
        costs.mine.pk,
        "1300.00",  # the project's own 1000 and partner X's 300 on it
        14,
    )
    (partner,) = report["partners"]  # Y works only on the other project
    assert (partner["partner"], partner["spend"], partner["valid_visits"]) == (
        costs.x.pk,
        "300.00",
        4,
    )
    assert (partner["signings"], partner["cost_per_valid_visit"]) == (1, "75.00")
    # The same rule as the dashboard's 费效 section.
    board = dashboard(user=costs.sup, month=parse_period("2026-10"), today=TODAY)
    assert [row["project"] for row in board["costs"]["projects"]] == [costs.mine.pk]
    assert [row["partner"] for row in board["costs"]["partners"]] == [costs.x.pk]
    assert board["costs"]["spend"] is None


def test_a_supervisor_lists_the_cost_entries_of_their_teams_projects_only(client_as, costs):
    sup = client_as(Role.SUPERVISOR, user=costs.sup)
    rows = sup.get("/api/v1/channel-costs/").json()["results"]
    assert sorted(r["id"] for r in rows) == sorted([costs.mine_cost.pk, costs.x_mine.pk])
    assert sup.get(f"/api/v1/channel-costs/{costs.theirs_cost.pk}/").status_code == 404
    everything = client_as(Role.MANAGER).get("/api/v1/channel-costs/").json()
    assert everything["count"] == 6


def test_a_supervisor_checks_the_staffing_of_their_teams_projects_only(client_as, costs):
    rows = client_as(Role.SUPERVISOR, user=costs.sup).get("/api/v1/staffing-check/").json()
    assert [r["project_id"] for r in rows] == [costs.mine.pk]
    everyone = client_as(Role.MANAGER).get("/api/v1/staffing-check/").json()
    assert {costs.mine.pk, costs.theirs.pk} <= {r["project_id"] for r in everyone}


def test_a_supervisor_without_teams_sees_no_costs(client_as, costs):
    sup = client_as(Role.SUPERVISOR)
    report = sup.get("/api/v1/cost-effectiveness/?period=2026-10").json()
    assert (report["projects"], report["partners"], report["spend"]) == ([], [], None)
    assert sup.get("/api/v1/channel-costs/").json()["count"] == 0
    assert sup.get("/api/v1/staffing-check/").json() == []


def test_cost_per_partner_for_the_manager(client_as, costs):
    report = client_as(Role.MANAGER).get("/api/v1/cost-effectiveness/?period=2026-10").json()
    assert report["company"] is True
    assert report["spend"] == "7290.00"
    partners = {row["partner"]: row for row in report["partners"]}
    assert set(partners) == {costs.x.pk, costs.y.pk}
    x, y = partners[costs.x.pk], partners[costs.y.pk]
    assert (x["partner_name"], x["spend"], x["valid_visits"], x["signings"]) == (
        "好房代理",
        "500.00",  # 300 on a project and 200 with no project
        10,
        1,
    )
    assert (x["cost_per_valid_visit"], x["cost_per_signing"]) == ("50.00", "500.00")
    assert (y["spend"], y["valid_visits"], y["signings"]) == ("90.00", 3, 0)
    assert (y["cost_per_valid_visit"], y["cost_per_signing"]) == ("30.00", None)


def test_a_partner_with_activity_but_no_spend_costs_nothing_and_rounds_half_up(client_as, team):
    free, dear = PartnerFactory(), PartnerFactory()
    _partner_visits(free, team, 2)
    _partner_visits(dear, team, 4)
    _cost(Decimal("100.10"), partner=dear)
    rows = {
        row["partner"]: row
        for row in client_as(Role.MANAGER)
        .get("/api/v1/cost-effectiveness/?period=2026-10")
        .json()["partners"]
    }
    assert (rows[free.pk]["spend"], rows[free.pk]["cost_per_valid_visit"]) == ("0.00", "0.00")
    assert rows[dear.pk]["cost_per_valid_visit"] == "25.03"  # 25.025 rounds up


def test_cost_per_partner_takes_a_constant_number_of_queries(client_as, team):
    client = client_as(Role.MANAGER)

    def grow(n):
        for _ in range(n):
            partner = PartnerFactory()
            _partner_visits(partner, team, 2)
            _partner_signing(partner, team)
            _cost(Decimal("10.00"), partner=partner, project=team.project)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/cost-effectiveness/?period=2026-10")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = queries()
    grow(15)
    assert queries() == few
    assert len(client.get("/api/v1/cost-effectiveness/?period=2026-10").json()["partners"]) == 17


def test_partner_users_are_refused_every_cost_endpoint(client_as, costs):
    """403 on the lists and reports; a cost (even one on their own partner) is no row of
    theirs, so its detail answers 404 like an id that does not exist."""
    partner = client_as(Role.PARTNER, partner=costs.x)
    for url, status in (
        ("/api/v1/cost-effectiveness/?period=2026-10", 403),
        ("/api/v1/channel-costs/", 403),
        (f"/api/v1/channel-costs/{costs.x_mine.pk}/", 404),
        (f"/api/v1/channel-costs/{costs.x_mine.pk + 10**6}/", 404),
        (f"/api/v1/channel-costs/?partner={costs.x.pk}", 403),
        ("/api/v1/staffing-check/", 403),
    ):
        response = partner.get(url)
        assert response.status_code == status, url
        assert "好房代理" not in response.content.decode() and "安居中介" not in (
            response.content.decode()
        )

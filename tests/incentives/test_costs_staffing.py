"""费效 (cost per valid visit and per signing) and the seed's staffing check."""

from datetime import date
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.models import ChannelCost
from incentives.rules.staffing import StaffingFacts, staffing_warnings
from tests.factories.activity import signing, valid_visits
from tests.factories.org import StaffFactory, TeamFactory, consultant, marketer

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
    rows = client_as(Role.MANAGER).get("/api/v1/staffing-check/").json()
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

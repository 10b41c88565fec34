"""Targets: split exactness, live attainment, permissions, the team award reading targets."""

from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from common.roles import Role
from incentives.models import StatementLine, Target
from incentives.services import period_compute
from tests.api_base import EndpointCase
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, ALL_ROLES, OCT

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/v1/targets/", body, format="json")


def test_quarter_target_splits_into_months_that_add_up(client_as, team):
    client = client_as(Role.MANAGER)
    created = post(
        client,
        {
            "metric": "signing_amount",
            "subject_type": "team",
            "subject_id": team.pk,
            "period": "2026-q4",
            "value": "10000000.01",
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["period"] == "2026-Q4"
    parts = client.post(
        f"/api/v1/targets/{created.json()['id']}/split/", {"weights": [1, 1, 2]}, format="json"
    ).json()
    assert [p["period"] for p in parts] == ["2026-10", "2026-11", "2026-12"]
    assert [p["value"] for p in parts] == ["2500000.00", "2500000.00", "5000000.01"]
    again = client.post(
        f"/api/v1/targets/{created.json()['id']}/split/", {"by_days": True}, format="json"
    ).json()
    assert sum(Decimal(p["value"]) for p in again) == Decimal("10000000.01")
    assert Target.objects.filter(parent_id=created.json()["id"]).count() == 3


def test_count_targets_split_in_whole_visits(client_as):
    client = client_as(Role.MANAGER)
    target = post(
        client,
        {"metric": "valid_visits", "subject_type": "company", "period": "2028-Q1", "value": "100"},
    ).json()
    parts = client.post(
        f"/api/v1/targets/{target['id']}/split/", {"by_days": True}, format="json"
    ).json()
    assert [p["value"] for p in parts] == ["34.00", "32.00", "34.00"]  # 31/29/31 days


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"value": "-1"}, "value"),
        ({"metric": "valid_visits", "value": "10.5"}, "value"),
        ({"subject_type": "team", "subject_id": 999999}, "subject_id"),
        ({"subject_id": 5}, "subject_id"),
        ({"metric": "happiness"}, "metric"),
    ],
)
def test_bad_targets_are_field_level_400s(client_as, body, field):
    base = {
        "metric": "signing_amount",
        "subject_type": "company",
        "period": "2026-11",
        "value": "100.00",
    }
    response = post(client_as(Role.MANAGER), {**base, **body})
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Target.objects.exists()


def test_attainment_is_live(client_as, team):
    m = marketer(team)
    valid_visits(m, 15, date(2026, 10, 12))
    signing(m, "750000.00", date(2026, 10, 13))
    client = client_as(Role.MANAGER)
    visits = post(
        client,
        {
            "metric": "valid_visits",
            "subject_type": "staff",
            "subject_id": m.pk,
            "period": "2026-10",
            "value": "20",
        },
    ).json()
    amount = post(
        client,
        {
            "metric": "signing_amount",
            "subject_type": "team",
            "subject_id": team.pk,
            "period": "2026-10",
            "value": "1000000",
        },
    ).json()
    assert (visits["actual"], visits["attainment"]) == ("15.00", "0.7500")
    assert (amount["actual"], amount["attainment"]) == ("750000.00", "0.7500")
    listed = {
        row["id"]: row["attainment"] for row in client.get("/api/v1/targets/").json()["results"]
    }
    assert listed == {visits["id"]: "0.7500", amount["id"]: "0.7500"}


def test_who_sets_and_sees_targets(client_as, make_login):
    supervisor = make_login(Role.SUPERVISOR)
    mine, other = TeamFactory(supervisor=supervisor.staff), TeamFactory()
    body = {"metric": "signed_units", "subject_type": "team", "period": "2026-11", "value": "5"}
    sup = client_as(Role.SUPERVISOR, user=supervisor)
    assert post(sup, {**body, "subject_id": mine.pk}).status_code == 201
    refused = post(sup, {**body, "subject_id": other.pk})
    assert refused.status_code == 400
    assert "subject_id" in refused.json()["errors"]
    assert post(client_as(Role.MARKETER), {**body, "subject_id": mine.pk}).status_code == 403
    partner = PartnerFactory()
    Target.objects.create(
        metric="registrations",
        subject_type="partner",
        subject_id=partner.pk,
        period="2026-11",
        value=10,
    )
    Target.objects.create(
        metric="registrations",
        subject_type="partner",
        subject_id=PartnerFactory().pk,
        period="2026-11",
        value=10,
    )
    rows = client_as(Role.PARTNER, partner=partner).get("/api/v1/targets/").json()["results"]
    assert [(r["subject_type"], r["subject_id"]) for r in rows] == [("partner", partner.pk)]


def test_team_award_needs_the_teams_monthly_target(plan, team):
    m = marketer(team)
    signing(m, "5200000.00", date(2026, 10, 10))
    Target.objects.create(
        metric="signing_amount",
        subject_type="team",
        subject_id=team.pk,
        period=OCT,
        value=Decimal("6000000"),
    )
    period_compute(period=OCT, now=AFTER_OCT)
    assert not StatementLine.objects.filter(kind="team_award").exists()
    Target.objects.filter(subject_id=team.pk).update(value=Decimal("5200000"))
    period_compute(period=OCT, now=AFTER_OCT)
    assert StatementLine.objects.get(kind="team_award").amount == Decimal("6000.00")


class TestTargetList(EndpointCase):
    url = "target-list"
    roles_allowed = frozenset(ALL_ROLES)

    @pytest.fixture(autouse=True)
    def _team(self, team):
        self.team = team

    def rows(self, n, user):
        """Marketers, each with a signing-amount and a valid-visits target for October."""
        for _ in range(n):
            m = marketer(self.team)
            Target.objects.create(
                metric="signing_amount",
                subject_type="staff",
                subject_id=m.pk,
                period="2026-10",
                value=100,
            )
            Target.objects.create(
                metric="valid_visits",
                subject_type="staff",
                subject_id=m.pk,
                period="2026-10",
                value=10,
            )


def _target(subject_type, subject_id=None, period="2026-Q4", metric="signed_units"):
    return Target.objects.create(
        metric=metric, subject_type=subject_type, subject_id=subject_id, period=period, value=30
    )


def test_a_supervisor_changes_and_splits_only_their_own_teams_and_peoples_targets(
    client_as, make_login
):
    supervisor = make_login(Role.SUPERVISOR)
    mine = TeamFactory(supervisor=supervisor.staff)
    member = marketer(mine)
    sup = client_as(Role.SUPERVISOR, user=supervisor)
    for target in (_target("team", mine.pk), _target("staff", member.pk)):
        changed = sup.patch(f"/api/v1/targets/{target.pk}/", {"value": "33"}, format="json")
        assert changed.status_code == 200, changed.json()
        split = sup.post(f"/api/v1/targets/{target.pk}/split/", {}, format="json")
        assert split.status_code == 200, split.json()
        assert [p["value"] for p in split.json()] == ["11.00", "11.00", "11.00"]


@pytest.mark.parametrize("subject", ["company", "partner"])
def test_a_supervisor_cannot_change_or_split_company_or_partner_targets(
    client_as, make_login, subject
):
    supervisor = make_login(Role.SUPERVISOR)
    TeamFactory(supervisor=supervisor.staff)
    target = _target(subject, None if subject == "company" else PartnerFactory().pk)
    sup = client_as(Role.SUPERVISOR, user=supervisor)
    changed = sup.patch(f"/api/v1/targets/{target.pk}/", {"value": "1"}, format="json")
    assert changed.status_code == 400, changed.json()
    assert "subject_id" in changed.json()["errors"]
    split = sup.post(f"/api/v1/targets/{target.pk}/split/", {}, format="json")
    assert split.status_code == 400, split.json()
    target.refresh_from_db()
    assert target.value == 30
    assert not target.parts.exists()


def test_a_supervisor_gets_404_for_another_supervisors_team_targets(client_as, make_login):
    supervisor = make_login(Role.SUPERVISOR)
    TeamFactory(supervisor=supervisor.staff)
    other = TeamFactory(supervisor=make_login(Role.SUPERVISOR).staff)
    sup = client_as(Role.SUPERVISOR, user=supervisor)
    for target in (_target("team", other.pk), _target("staff", marketer(other).pk)):
        assert (
            sup.patch(f"/api/v1/targets/{target.pk}/", {"value": "1"}, format="json").status_code
            == 404
        )
        assert sup.post(f"/api/v1/targets/{target.pk}/split/", {}, format="json").status_code == 404
        target.refresh_from_db()
        assert target.value == 30


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"metric": "signing_amount"}, "metric"),
        ({"subject_type": "staff"}, "subject_type"),
        ({"subject_id": 0}, "subject_id"),
        ({"period": "2026-11"}, "period"),
    ],
)
def test_changing_what_a_target_measures_is_refused_not_silently_ignored(
    client_as, team, change, field
):
    target = _target("team", team.pk)
    client = client_as(Role.MANAGER)
    if field == "subject_id":
        change = {"subject_id": TeamFactory().pk}
    url = f"/api/v1/targets/{target.pk}/"
    patched = client.patch(url, {**change, "value": "40"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert patched.status_code == 400, patched.json()
    assert list(patched.json()["errors"]) == [field]
    assert "create a new target instead" in patched.json()["errors"][field][0]
    whole = {
        "metric": target.metric,
        "subject_type": target.subject_type,
        "subject_id": target.subject_id,
        "period": target.period,
        "value": "40",
    }
    put = client.put(url, {**whole, **change}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert put.status_code == 400, put.json()
    assert list(put.json()["errors"]) == [field]
    target.refresh_from_db()
    assert (target.metric, target.subject_type, target.subject_id, target.period) == (
        "signed_units",
        "team",
        team.pk,
        "2026-Q4",
    )
    assert target.value == 30


def test_a_put_that_keeps_what_a_target_measures_changes_its_value(client_as, team):
    target = _target("team", team.pk)
    client = client_as(Role.MANAGER)
    body = {
        "metric": "signed_units",
        "subject_type": "team",
        "subject_id": team.pk,
        "period": "2026-q4",  # the same quarter, written in lower case
        "value": "45",
    }
    put = client.put(f"/api/v1/targets/{target.pk}/", body, format="json")
    assert put.status_code == 200, put.json()
    assert (put.json()["period"], put.json()["value"]) == ("2026-Q4", "45.00")
    company = _target("company")
    patched = client.patch(
        f"/api/v1/targets/{company.pk}/", {"subject_id": None, "value": "50"}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    company.refresh_from_db()
    assert company.value == 50


def test_attainment_reads_the_leaderboards_own_definitions(monkeypatch, plan, team):
    """Target actuals and the leaderboards count through the same selectors: redefine what a
    counted signing or a valid visit is and both move together (they cannot drift)."""
    from incentives.selectors import activity, leaderboard, target_actuals
    from sales.models import Visit

    m = marketer(team)
    valid_visits(m, 3, date(2026, 10, 12))
    left_out = signing(m, "1000000.00", date(2026, 10, 13))
    signing(m, "500000.00", date(2026, 10, 14))
    kept_visits = list(Visit.objects.order_by("pk").values_list("pk", flat=True)[:2])
    signings, visits = activity.period_counted_signings, activity.period_valid_visits
    monkeypatch.setattr(
        activity,
        "period_counted_signings",
        lambda **kw: signings(**kw).exclude(pk=left_out.pk),
    )
    monkeypatch.setattr(
        activity, "period_valid_visits", lambda **kw: visits(**kw).filter(pk__in=kept_visits)
    )
    targets = [
        Target.objects.create(metric=metric, subject_type=kind, subject_id=pk, period=OCT, value=1)
        for metric in ("signing_amount", "valid_visits")
        for kind, pk in (("staff", m.pk), ("team", team.pk), ("company", None))
    ]
    actuals = target_actuals(targets=targets, today=date(2026, 10, 20))
    month = parse_period(OCT)

    def board(kind):
        return leaderboard(plan=plan, kind=kind, period=month, today=date(2026, 10, 20))

    (signed,) = board("monthly_signings")["entries"]
    (visited,) = board("monthly_visits")["entries"]
    (team_row,) = board("monthly_team_signings")["entries"]
    assert (signed["value"], visited["value"], team_row["value"]) == (
        Decimal("500000.00"),
        2,
        Decimal("500000.00"),
    )
    by_metric = {(t.metric, t.subject_type): actuals[t.pk] for t in targets}
    assert by_metric == {
        ("signing_amount", "staff"): signed["value"],
        ("signing_amount", "team"): team_row["value"],
        ("signing_amount", "company"): signed["value"],
        ("valid_visits", "staff"): visited["value"],
        ("valid_visits", "team"): visited["value"],
        ("valid_visits", "company"): visited["value"],
    }


@pytest.mark.parametrize("weights", [[1, 1], [0, 0, 0], [-1, 2, 1]])
def test_bad_split_weights_are_a_field_level_400_in_the_readers_language(client_as, weights):
    target = _target("company")
    response = client_as(Role.MANAGER).post(
        f"/api/v1/targets/{target.pk}/split/", {"weights": weights}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == ["weights"]
    assert "权重" in response.json()["errors"]["weights"][0]  # zh-hans, the default
    assert not target.parts.exists()

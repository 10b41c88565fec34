"""The manager's dashboard: numbers against known data, supervisor scoping, permissions,
a constant number of queries, and the xlsx export."""

import io
import itertools
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from common.models import JobRun
from common.periods import SHANGHAI, local_today, parse_period
from common.roles import Role
from incentives.models import ChannelCost, Target
from partners.choices import ContractStatus
from portal.dashboard.selectors import dashboard
from sales.models import Customer, Payment, Registration, Signing, Subscription, Visit
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer
from tests.factories.partners import PartnerContractFactory

pytestmark = pytest.mark.django_db

OCT = parse_period("2026-10")
TODAY = date(2026, 11, 23)
URL = "/dashboard/?month=2026-10"
_phones = itertools.count(13900000000)


def _customer(project) -> Customer:
    phone = str(next(_phones))
    return Customer.objects.create(
        project=project, name="客户", phone=phone, phone_key=phone[:3] + phone[-4:]
    )


def _visit_at(who, at: datetime) -> Visit:
    customer = _customer(who.team.project)
    return Visit.objects.create(
        project=who.team.project,
        customer=customer,
        customer_name=customer.name,
        customer_phone=customer.phone,
        marketer=who,
        brought_marketer=who,
        visited_at=at,
        property_type="high_rise",
        status="confirmed",
        is_valid=True,
    )


def _registration(who, at: datetime) -> Registration:
    customer = _customer(who.team.project)
    return Registration.objects.create(
        project=who.team.project,
        customer=customer,
        marketer=who,
        customer_name=customer.name,
        customer_phone=customer.phone,
        registered_at=at,
        protected_until=at.date() + timedelta(days=30),
    )


class World:
    """Two teams of one project, each run by its own supervisor, and October's activity."""

    def __init__(self, make_login):
        self.project = ProjectFactory(name="锦绣华庭")
        self.sup_a = make_login(Role.SUPERVISOR, username="sup_a")
        self.sup_b = make_login(Role.SUPERVISOR, username="sup_b")
        self.manager = make_login(Role.MANAGER, username="boss")
        self.team_a = TeamFactory(project=self.project, name="A组", supervisor=self.sup_a.staff)
        self.team_b = TeamFactory(project=self.project, name="B组", supervisor=self.sup_b.staff)
        self.a1 = marketer(team=self.team_a, name="甲一")
        self.a2 = marketer(team=self.team_a, name="甲二")
        self.b1 = marketer(team=self.team_b, name="乙一")
        valid_visits(self.a1, 3, date(2026, 10, 5))
        valid_visits(self.a2, 2, date(2026, 10, 5))
        valid_visits(self.a2, 1, date(2026, 10, 20))
        valid_visits(self.b1, 4, date(2026, 10, 20))
        # Local-day edges: 00:30 on 1 Oct is 30 Sep in UTC; 23:30 on 31 Oct is still October.
        _visit_at(self.a1, datetime(2026, 10, 1, 0, 30, tzinfo=SHANGHAI))
        _visit_at(self.a1, datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI))
        _visit_at(self.a1, datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI))  # November
        self.s1 = signing(self.a1, "1000000", date(2026, 10, 5))
        signing(self.a2, "500000", date(2026, 10, 20))
        signing(self.b1, "2000000", date(2026, 10, 20))
        cancelled = signing(self.a1, "300000", date(2026, 10, 10))
        Signing.objects.filter(pk=cancelled.pk).update(
            status="cancelled", cancelled_on=date(2026, 10, 15)
        )
        _registration(self.a1, datetime(2026, 10, 3, 9, tzinfo=SHANGHAI))
        _registration(self.b1, datetime(2026, 10, 4, 9, tzinfo=SHANGHAI))
        Subscription.objects.create(
            project=self.project,
            customer=self.s1.customer,
            marketer=self.a1,
            unit="1-101",
            property_type="high_rise",
            amount=Decimal("50000"),
            subscribed_on=date(2026, 10, 2),
        )
        Payment.objects.create(
            signing=self.s1,
            kind="down_payment",
            amount=Decimal("300000"),
            paid_on=date(2026, 10, 8),
        )
        self.partner = PartnerFactory(name="好房代理")
        Target.objects.create(
            metric="signing_amount",
            subject_type="team",
            subject_id=self.team_a.pk,
            period="2026-10",
            value=Decimal("3000000"),
        )
        Target.objects.create(
            metric="signing_amount",
            subject_type="team",
            subject_id=self.team_b.pk,
            period="2026-10",
            value=Decimal("1000000"),
        )
        Target.objects.create(
            metric="signing_amount",
            subject_type="partner",
            subject_id=self.partner.pk,
            period="2026-10",
            value=Decimal("1000000"),
        )
        today = TODAY  # the dashboard is asked about TODAY, whatever the clock says
        self.expiring = PartnerContractFactory(
            partner=self.partner,
            status=ContractStatus.ACTIVE,
            code="HT-001",
            end_on=today + timedelta(days=10),
        )
        PartnerContractFactory(
            status=ContractStatus.ACTIVE, code="HT-LATER", end_on=today + timedelta(days=45)
        )
        now = timezone.now()
        JobRun.objects.create(
            name="compute_incentives",
            key="2026-09",
            status="succeeded",
            started_at=now - timedelta(days=30),
        )
        JobRun.objects.create(
            name="compute_incentives", key="2026-10", status="failed", started_at=now
        )
        JobRun.objects.create(name="contract_reminders", key="", status="succeeded", started_at=now)


@pytest.fixture
def world(make_login, monkeypatch):
    """The world, and its pages asked about TODAY as its selectors are: the contract ending
    10 days after TODAY is expiring on the page whatever day the clock says."""
    monkeypatch.setattr("portal.dashboard.views.local_today", lambda: TODAY)
    return World(make_login)


def day(data, on: date) -> dict:
    return next(row for row in data["days"] if row["day"] == on)


def test_days_count_valid_visits_and_signings_per_shanghai_day(world):
    data = dashboard(user=world.manager, month=OCT, today=TODAY)
    assert len(data["days"]) == 31
    assert day(data, date(2026, 10, 1))["valid_visits"] == 1  # 00:30 local, 30 Sep in UTC
    assert day(data, date(2026, 10, 5))["valid_visits"] == 5
    assert day(data, date(2026, 10, 20))["valid_visits"] == 5
    assert day(data, date(2026, 10, 31))["valid_visits"] == 1
    assert day(data, date(2026, 10, 20))["signings"] == 2
    assert day(data, date(2026, 10, 20))["signing_amount"] == Decimal("2500000.00")
    assert day(data, date(2026, 10, 10))["signings"] == 0  # cancelled (退房) before today
    assert data["totals"] == {
        "valid_visits": 12,
        "signings": 3,
        "signing_amount": Decimal("3500000.00"),
    }


def test_funnel_counts_distinct_customers_per_step(world):
    data = dashboard(user=world.manager, month=OCT, today=TODAY)
    funnel = {step["step"]: step["customers"] for step in data["funnel"]}
    assert funnel == {"registered": 2, "visited": 12, "subscribed": 1, "signed": 3, "paid": 1}


def test_attainment_by_team_and_partner(world):
    data = dashboard(user=world.manager, month=OCT, today=TODAY)
    teams = {row["name"]: row for row in data["attainment"]["teams"]}
    assert teams["A组"]["actual"] == Decimal("1500000")
    assert teams["A组"]["attainment"] == Decimal("0.5000")
    assert teams["B组"]["attainment"] == Decimal("2.0000")
    assert teams["B组"]["attainment_percent"] == Decimal("200.0")
    (partner,) = data["attainment"]["partners"]
    assert (partner["name"], partner["attainment"]) == ("好房代理", Decimal("0.0000"))


@pytest.mark.usefixtures("english")
def test_marketer_ends_flags_contracts_jobs_staffing(world):
    data = dashboard(user=world.manager, month=OCT, today=TODAY)
    by_amount = data["marketers"]["by_amount"]
    assert [m["name"] for m in by_amount["top"]] == ["乙一", "甲一", "甲二"]
    assert [m["name"] for m in by_amount["bottom"]] == ["甲二", "甲一", "乙一"]
    top_visits = data["marketers"]["by_visits"]["top"]
    assert [(m["name"], m["valid_visits"]) for m in top_visits] == [
        ("甲一", 5),
        ("乙一", 4),
        ("甲二", 3),
    ]
    flag = next(f for f in data["flags"] if f["partner_name"] == "好房代理")
    assert "no activity in the period" in flag["reasons"]
    assert [c["code"] for c in data["contracts"]] == ["HT-001"]
    assert data["contracts"][0]["days_left"] == 10
    jobs = {job["name"]: job for job in data["jobs"]}
    assert set(jobs) == {"compute_incentives", "contract_reminders"}
    assert (jobs["compute_incentives"]["key"], jobs["compute_incentives"]["status"]) == (
        "2026-10",
        "failed",
    )
    (staffing,) = data["staffing"]
    assert staffing["project_name"] == "锦绣华庭"
    assert staffing["warnings"]  # 3 marketers, no property consultant
    assert data["costs"]["company"] is True


def test_supervisor_sees_only_own_teams(world):
    data = dashboard(user=world.sup_a, month=OCT, today=TODAY)
    names = {
        m["name"] for ranking in data["marketers"].values() for end in ranking.values() for m in end
    }
    assert names == {"甲一", "甲二"}
    assert [row["name"] for row in data["attainment"]["teams"]] == ["A组"]
    assert day(data, date(2026, 10, 20))["valid_visits"] == 1  # b1's four are team B's
    assert data["totals"]["signing_amount"] == Decimal("1500000.00")
    funnel = {step["step"]: step["customers"] for step in data["funnel"]}
    assert funnel["registered"] == 1
    assert data["jobs"] is None  # the jobs are the manager's
    assert data["costs"]["company"] is False


def test_supervisor_page_never_shows_another_teams_marketer(client, world):
    client.force_login(world.sup_a)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲一" in body
    assert "乙一" not in body
    assert "B组" not in body
    assert 'data-testid="table-jobs"' not in body


def test_manager_page_shows_every_section(client, world):
    client.force_login(world.manager)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for testid in (
        "chart-days",
        "table-days",
        "chart-funnel",
        "table-funnel",
        "chart-attainment",
        "table-team-attainment",
        "table-partner-attainment",
        "table-flags",
        "table-contracts",
        "table-jobs",
        "table-staffing",
        'id="dashboard-data"',
    ):
        assert testid in body, testid
    assert "乙一" in body and "HT-001" in body
    assert "style=" not in body and "onclick" not in body  # CSP: no inline styles or handlers
    charts = response.context["charts"]
    assert charts["days"]["valid_visits"][4] == 5  # 10-05
    assert charts["attainment"]["percent"] == ["50.00", "200.00"]
    assert response.context["previous_month"] == parse_period("2026-09")
    assert response.context["next_month"] == parse_period("2026-11")


@pytest.mark.parametrize("role", [Role.MARKETER, Role.SECRETARY, Role.CONSULTANT, Role.PARTNER])
def test_other_roles_are_refused(client, make_login, role):
    client.force_login(make_login(role))
    assert client.get(URL).status_code == 403
    assert client.get("/dashboard/export/?month=2026-10").status_code == 403


def test_selector_refuses_other_roles(make_login):
    with pytest.raises(PermissionDenied):
        dashboard(user=make_login(Role.MARKETER), month=OCT, today=TODAY)


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("bad", ["2026-13", "abc", "2026-W47", "2026-Q4"])
def test_bad_month_is_a_form_error_not_a_500(client, make_login, bad):
    client.force_login(make_login(Role.MANAGER))
    response = client.get(f"/dashboard/?month={bad}")
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert b'data-testid="month-error"' in response.content
    assert client.get(f"/dashboard/export/?month={bad}").status_code == 400


def test_without_month_shows_the_current_month(client, make_login):
    client.force_login(make_login(Role.SUPERVISOR))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert str(response.context["month"]) == f"{local_today():%Y-%m}"


def test_nav_links_the_dashboard_for_manager_and_supervisor_only(client, make_login):
    for role, shown in ((Role.MANAGER, True), (Role.SUPERVISOR, True), (Role.MARKETER, False)):
        client.force_login(make_login(role))
        body = client.get("/").content.decode()
        assert ('data-testid="nav-dashboard"' in body) is shown, role


def _more_data(world, n: int) -> None:
    """n more teams with marketers, activity, targets, partners, contracts and job runs."""
    for i in range(n):
        team = TeamFactory(project=world.project, supervisor=world.sup_a.staff)
        people = [marketer(team=team) for _ in range(3)]
        for person in people:
            valid_visits(person, 2, date(2026, 10, 3 + i % 20))
            signing(person, "100000", date(2026, 10, 4 + i % 20))
            _registration(person, datetime(2026, 10, 6, 9, tzinfo=SHANGHAI))
        Target.objects.create(
            metric="signing_amount",
            subject_type="team",
            subject_id=team.pk,
            period="2026-10",
            value=Decimal("500000"),
        )
        partner = PartnerFactory()
        Target.objects.create(
            metric="signing_amount",
            subject_type="partner",
            subject_id=partner.pk,
            period="2026-10",
            value=Decimal("100000"),
        )
        ChannelCost.objects.create(
            category="promotion",
            period="2026-10",
            project=world.project,
            partner=partner,
            amount=Decimal("100"),
        )
        PartnerContractFactory(
            partner=partner,
            status=ContractStatus.ACTIVE,
            end_on=local_today() + timedelta(days=5 + i),
        )
        JobRun.objects.create(
            name=f"job_{i}", key="", status="succeeded", started_at=timezone.now()
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["manager", "sup_a"])
def test_query_count_does_not_grow_with_data(client, world, who):
    client.force_login(getattr(world, who))
    _more_data(world, 2)
    small = _queries(client)
    _more_data(world, 6)  # three times the extra data
    large = _queries(client)
    assert small == large, f"{small} queries with small data, {large} with 3× the data"
    assert small < 50  # the header's bell and the sources table came with their own queries


def test_export_has_one_sheet_per_section(client, world):
    client.force_login(world.manager)
    response = client.get("/dashboard/export/?month=2026-10", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-2026-10.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Attainment",
        "Per day",
        "Funnel",
        "Sources",
        "Marketers",
        "Partners to review",
        "Contracts expiring",
        "Jobs",
        "Staffing",
        "Cost-effectiveness",
    ]
    per_day = list(book["Per day"].iter_rows(min_row=2, values_only=True))
    assert len(per_day) == 31
    assert per_day[19][1:] == (5, 2, 2500000)  # 20 October
    funnel = dict(book["Funnel"].iter_rows(min_row=2, values_only=True))
    assert list(funnel.values()) == [2, 12, 1, 3, 1]
    attainment = list(book["Attainment"].iter_rows(min_row=4, values_only=True))
    assert attainment[0][1:] == ("A组", "Signing amount", 3000000, 1500000, 0.5)
    contracts = list(book["Contracts expiring"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in contracts] == ["HT-001"]


def test_supervisor_export_leaves_out_jobs_and_other_teams(client, world):
    client.force_login(world.sup_a)
    response = client.get("/dashboard/export/?month=2026-10", headers={"accept-language": "en"})
    book = load_workbook(io.BytesIO(response.content))
    assert "Jobs" not in book.sheetnames
    marketers = {row[2] for row in book["Marketers"].iter_rows(min_row=2, values_only=True)}
    assert marketers == {"甲一", "甲二"}


def test_cost_section_and_its_sheet_break_spend_down_per_partner(client, world):
    ChannelCost.objects.create(
        category="promotion",
        period="2026-10",
        project=world.project,
        partner=world.partner,
        amount=Decimal("600.00"),
    )
    deal = signing(world.a1, "100000", date(2026, 10, 6))
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=world.partner)
    data = dashboard(user=world.manager, month=OCT, today=TODAY)
    (row,) = data["costs"]["partners"]
    assert (row["partner_name"], row["spend"], row["valid_visits"], row["signings"]) == (
        "好房代理",
        Decimal("600.00"),
        0,
        1,
    )
    assert (row["cost_per_valid_visit"], row["cost_per_signing"]) == (None, Decimal("600.00"))
    client.force_login(world.manager)
    body = client.get(URL).content.decode()
    assert 'data-testid="table-partner-costs"' in body
    response = client.get("/dashboard/export/?month=2026-10", headers={"accept-language": "en"})
    sheet = load_workbook(io.BytesIO(response.content))["Cost-effectiveness"]
    rows = list(sheet.iter_rows(values_only=True))
    assert ("Project", "锦绣华庭", 600, 12, 4, 50, 150) in rows
    assert ("Partner", "好房代理", 600, 0, 1, None, 600) in rows


def test_amounts_read_with_thousands_separators_in_chinese(client, world):
    client.force_login(world.manager)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    kpi = re.search(r'data-testid="kpi-amount">([^<]+)<', body).group(1)
    assert kpi == "3,500,000.00"
    assert "3500000.00" not in body

"""Sales activity over the API: roles, partner isolation and masking, bad input, query counts."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from common.periods import SHANGHAI
from common.roles import Role
from sales.models import Registration, Signing, Visit
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    payment_record,
    signing_record,
    subscription_record,
)
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_record
from tests.api_base import EndpointCase
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer
from tests.helpers import ALL_ROLES

pytestmark = pytest.mark.django_db

VISIT = {
    "customer_name": "孙女士",
    "customer_phone": "13712345678",
    "visited_at": "2026-11-02T10:30:00+08:00",
    "property_type": "high_rise",
}


@pytest.fixture
def project(db):
    return ProjectFactory()


def test_secretary_logs_a_confirmed_visit_and_gets_valid(client_as, project):
    m = marketer()
    response = client_as(Role.SECRETARY).post(
        "/api/v1/visits/",
        {**VISIT, "project": project.pk, "marketer": m.pk, "status": "confirmed"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["valid"], body["marketer"]) == ("confirmed", True, m.pk)
    assert set(body) >= {
        "id",
        "project",
        "marketer",
        "partner",
        "customer_name",
        "customer_phone",
        "visited_at",
        "property_type",
        "consultant",
        "status",
        "valid",
    }


def test_confirm_and_reject_actions(client_as, project):
    client = client_as(Role.SECRETARY)
    created = client.post(
        "/api/v1/visits/",
        {**VISIT, "project": project.pk, "marketer": marketer().pk},
        format="json",
    ).json()
    assert created["status"] == "pending"
    confirmed = client.post(f"/api/v1/visits/{created['id']}/confirm/").json()
    assert (confirmed["status"], confirmed["valid"]) == ("confirmed", True)
    rejected = client.post(
        f"/api/v1/visits/{created['id']}/reject/", {"reason": "假到访"}, format="json"
    ).json()
    assert (rejected["status"], rejected["valid"]) == ("rejected", False)


def test_marketer_cannot_log_or_confirm_visits(client_as, make_login, project):
    user = make_login(Role.MARKETER)
    visit = visit_record(
        actor=make_login(Role.SECRETARY),
        project=project,
        marketer=user.staff,
        **{**VISIT, "visited_at": datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)},
    )
    client = client_as(Role.MARKETER, user=user)
    assert (
        client.post("/api/v1/visits/", {**VISIT, "project": project.pk}, format="json").status_code
        == 403
    )
    assert client.post(f"/api/v1/visits/{visit.pk}/confirm/").status_code == 403
    assert client.get(f"/api/v1/visits/{visit.pk}/").json()["status"] == "pending"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_phone": "12345"}, "customer_phone"),
        ({"project": 999999}, "project"),
        ({"visited_at": "2099-01-01T10:00:00+08:00"}, "visited_at"),
        ({"property_type": "castle"}, "property_type"),
        ({"status": "rejected"}, "status"),
        # {"marketer": None} is a walk-in now (tests/sales/test_walk_ins.py).
        ({"marketer": 987654}, "marketer"),
    ],
)
def test_bad_visit_input_is_a_field_level_400(client_as, project, changes, field):
    body = {**VISIT, "project": project.pk, "marketer": marketer().pk, **changes}
    response = client_as(Role.SECRETARY).post("/api/v1/visits/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Visit.objects.exists()


SIGNING = {
    "customer_name": "周先生",
    "customer_phone": "13600001111",
    "unit": "5-801",
    "property_type": "high_rise",
    "area": "120.00",
    "amount": "1500000.00",
    "signed_on": "2026-11-03",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"area": "0"}, "area"),
        ({"signed_on": (date.today() + timedelta(days=3)).isoformat()}, "signed_on"),
        ({"customer_phone": "1360000111"}, "customer_phone"),
        ({"project": 424242}, "project"),
    ],
)
def test_bad_signing_input_is_a_field_level_400(client_as, project, changes, field):
    body = {**SIGNING, "project": project.pk, "marketer": marketer().pk, **changes}
    response = client_as(Role.SECRETARY).post("/api/v1/signings/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Signing.objects.exists()


def test_cancel_action_keeps_the_signing(client_as, project):
    client = client_as(Role.SECRETARY)
    signing = client.post(
        "/api/v1/signings/",
        {**SIGNING, "project": project.pk, "marketer": marketer().pk},
        format="json",
    ).json()
    bad = client.post(
        f"/api/v1/signings/{signing['id']}/cancel/", {"cancelled_on": "2026-11-01"}, format="json"
    )
    assert bad.status_code == 400
    assert "cancelled_on" in bad.json()["errors"]
    ok = client.post(
        f"/api/v1/signings/{signing['id']}/cancel/", {"cancelled_on": "2026-11-05"}, format="json"
    )
    assert ok.json()["status"] == "cancelled"
    assert ok.json()["cancelled_on"] == "2026-11-05"
    assert client.get("/api/v1/signings/?status=cancelled").json()["count"] == 1


def test_registration_conflict_over_the_api_names_the_end_date(client_as, project):
    body = {"project": project.pk, "customer_name": "吴女士", "customer_phone": "13512345678"}
    first = client_as(Role.MARKETER).post("/api/v1/registrations/", body, format="json")
    assert first.status_code == 201, first.json()
    until = first.json()["protected_until"]
    second = client_as(Role.PARTNER).post("/api/v1/registrations/", body, format="json")
    assert second.status_code == 400
    message = second.json()["errors"]["customer_phone"][0]
    assert until in message
    assert second.json()["detail"]


# --- partner isolation --------------------------------------------------------------------------
@pytest.fixture
def two_partners(make_login, project):
    office = make_login(Role.SECRETARY)
    a, b = PartnerFactory(name="甲代理"), PartnerFactory(name="乙代理")
    users = {p: make_login(Role.PARTNER, partner=p) for p in (a, b)}
    rows = {}
    for n, p in enumerate((a, b)):
        phone = f"1391234567{n}"
        reg = registration_create(
            actor=users[p], project=project, customer_name=f"客户{n}", customer_phone=phone
        )
        visit = visit_record(
            actor=office,
            project=project,
            customer_name=f"客户{n}",
            customer_phone=phone,
            partner=p,
            property_type="high_rise",
            visited_at=datetime(2026, 11, 2, 10, tzinfo=SHANGHAI),
            status="confirmed",
        )
        signing = signing_record(
            actor=office,
            project=project,
            customer_name=f"客户{n}",
            customer_phone=phone,
            unit=f"1-{n}01",
            property_type="high_rise",
            area=100,
            amount=1000000,
            signed_on=date(2026, 11, 3),
        )
        rows[p] = {"registrations": reg, "visits": visit, "signings": signing}
    return a, b, users, rows


@pytest.mark.parametrize("resource", ["registrations", "visits", "signings"])
def test_partner_sees_only_its_own_rows_and_404_for_others(client_as, two_partners, resource):
    a, b, users, rows = two_partners
    client = client_as(Role.PARTNER, user=users[a])
    listing = client.get(f"/api/v1/{resource}/").json()
    assert [r["id"] for r in listing["results"]] == [rows[a][resource].pk]
    assert listing["count"] == 1
    other = rows[b][resource].pk
    assert client.get(f"/api/v1/{resource}/{other}/").status_code == 404
    assert client.get(f"/api/v1/{resource}/?partner={b.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/{resource}/?q=客户1").json()["count"] == 0


def test_partner_sees_phones_masked(client_as, two_partners):
    a, _b, users, _rows = two_partners
    client = client_as(Role.PARTNER, user=users[a])
    for resource in ("registrations", "visits", "signings"):
        phone = client.get(f"/api/v1/{resource}/").json()["results"][0]["customer_phone"]
        assert phone == "139****5670"


def test_partner_cannot_act_on_another_partners_visit(client_as, two_partners):
    a, b, users, rows = two_partners
    client = client_as(Role.PARTNER, user=users[a])
    other = rows[b]["visits"].pk
    assert client.post(f"/api/v1/visits/{other}/reject/").status_code in (403, 404)
    assert client.post(
        f"/api/v1/signings/{rows[b]['signings'].pk}/cancel/",
        {"cancelled_on": "2026-11-05"},
        format="json",
    ).status_code in (403, 404)
    assert Visit.objects.get(pk=other).status == "confirmed"


def test_partner_registers_for_itself_and_naming_another_partner_is_refused(
    client_as, two_partners, project
):
    a, b, users, _rows = two_partners
    client = client_as(Role.PARTNER, user=users[a])
    body = {"project": project.pk, "customer_name": "新客", "customer_phone": "13811112222"}
    refused = client.post("/api/v1/registrations/", {**body, "partner": b.pk}, format="json")
    assert refused.status_code == 400 and "partner" in refused.json()["errors"]
    assert not Registration.objects.filter(customer_name="新客").exists()
    response = client.post("/api/v1/registrations/", body, format="json")
    assert response.status_code == 201
    assert Registration.objects.get(pk=response.json()["id"]).partner == a


def test_lost_registration_shows_closed_by_another_channel_and_nothing_more(
    client_as, make_login, project
):
    p = PartnerFactory()
    user = make_login(Role.PARTNER, partner=p)
    registration_create(
        actor=user,
        project=project,
        customer_name="钱先生",
        customer_phone="13855556666",
        registered_at=datetime(2026, 9, 1, 10, tzinfo=SHANGHAI),
    )
    m = marketer()
    signing_record(
        actor=make_login(Role.SECRETARY),
        project=project,
        customer_name="钱先生",
        customer_phone="13855556666",
        unit="9-9",
        property_type="high_rise",
        area=90,
        amount=900000,
        signed_on=date(2026, 11, 3),
        marketer=m,
    )
    row = client_as(Role.PARTNER, user=user).get("/api/v1/registrations/").json()["results"][0]
    assert row["status"] == "lost"
    assert row["customer_status"] is None
    assert row["marketer"] is None
    assert m.name not in str(row)


# --- daily report and query counts ----------------------------------------------------------------
def test_daily_report_counts_and_amounts(client_as, make_login, project):
    office = make_login(Role.SECRETARY)
    m = marketer()
    for n in range(3):
        visit_record(
            actor=office,
            project=project,
            customer_name=f"c{n}",
            customer_phone=f"1370000000{n}",
            marketer=m,
            property_type="high_rise",
            visited_at=datetime(2026, 11, 2, 9 + n, tzinfo=SHANGHAI),
            status="confirmed" if n else "pending",
        )
    signing_record(
        actor=office,
        project=project,
        customer_name="c1",
        customer_phone="13700000001",
        unit="1-1",
        property_type="high_rise",
        area=Decimal(88),
        amount=Decimal("1000000.50"),
        signed_on=date(2026, 11, 2),
    )
    report = (
        client_as(Role.SECRETARY)
        .get(f"/api/v1/daily-reports/?project={project.pk}&date=2026-11-02")
        .json()
    )
    assert report["visits"] == {
        "logged": 3,
        "confirmed": 2,
        "valid": 2,
        "walk_ins": 0,
        "people": 2,
    }
    assert report["signings"] == {"count": 1, "amount": "1000000.50", "area": "88.00"}
    assert report["payments"] == {"count": 0, "amount": "0.00"}
    bad = client_as(Role.SECRETARY).get("/api/v1/daily-reports/?project=x&date=2026-13-01")
    assert bad.status_code == 400
    assert {"project", "date"} <= set(bad.json()["errors"])
    assert (
        client_as(Role.PARTNER)
        .get(f"/api/v1/daily-reports/?project={project.pk}&date=2026-11-02")
        .status_code
        == 403
    )


def _grow_activity(project, *, office, manager):
    """Add n customers, each with every kind of activity a list shows."""
    counter = itertools.count(1)

    def grow(n):
        for _ in range(n):
            i = next(counter)
            phone = f"135{i:08d}"
            m = marketer()
            registration = registration_create(
                actor=office, project=project, customer_name="x", customer_phone=phone, marketer=m
            )
            visit_record(
                actor=office,
                project=project,
                customer_name="x",
                customer_phone=phone,
                marketer=m,
                property_type="high_rise",
                status="confirmed",
                visited_at=datetime(2026, 11, 2, 10, tzinfo=SHANGHAI),
            )
            subscription_record(
                actor=office,
                project=project,
                customer_name="x",
                customer_phone=phone,
                unit=f"u{i}",
                property_type="high_rise",
                amount=Decimal("50000"),
                subscribed_on=date(2026, 11, 2),
            )
            signing = signing_record(
                actor=office,
                project=project,
                customer_name="x",
                customer_phone=phone,
                unit=f"u{i}",
                property_type="high_rise",
                area=80,
                amount=800000,
                signed_on=date(2026, 11, 3),
            )
            payment_record(
                actor=office,
                signing=signing,
                kind="down_payment",
                amount=Decimal("240000"),
                paid_on=date(2026, 11, 3),
            )
            mortgage_record(
                actor=office,
                signing=signing,
                bank="建设银行",
                amount=Decimal("560000"),
                applied_on=date(2026, 11, 3),
            )
            customer_attribution_override(
                actor=manager, customer=registration.customer, marketer=marketer(), reason="核实"
            )

    return grow


ACTIVITY_LISTS = [
    "registrations",
    "visits",
    "subscriptions",
    "signings",
    "payments",
    "mortgages",
    "attribution-overrides",
]


# Each list: who reads it, and a constant query count as rows grow (daily-reports/ is one
# project's day, not a list: it has no rows to grow).
class ActivityList(EndpointCase):
    """Rows: customers with every kind of activity a list shows (`_grow_activity`)."""

    @pytest.fixture(autouse=True)
    def _project(self, make_login, project):
        self.make_login, self.project, self.grow = make_login, project, None

    def rows(self, n, user):
        if self.grow is None:
            self.grow = _grow_activity(
                self.project,
                office=self.make_login(Role.SECRETARY),
                manager=self.make_login(Role.MANAGER),
            )
        self.grow(n)


class TestRegistrationList(ActivityList):
    url = "registration-list"
    roles_allowed = frozenset(ALL_ROLES) - {Role.CONSULTANT}


class TestVisitList(ActivityList):
    url = "visit-list"
    roles_allowed = frozenset(ALL_ROLES)


class TestSubscriptionList(ActivityList):
    url = "subscription-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY})


class TestSigningList(ActivityList):
    url = "signing-list"
    roles_allowed = frozenset(ALL_ROLES) - {Role.CONSULTANT}


class TestPaymentList(ActivityList):
    url = "payment-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY})


class TestMortgageList(ActivityList):
    url = "mortgage-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY})


class TestAttributionOverrideList(ActivityList):
    url = "attribution-override-list"
    roles_allowed = frozenset({Role.MANAGER})


@pytest.mark.parametrize("resource", ACTIVITY_LISTS[:-1])
def test_every_activity_list_searches_by_customer_name(client_as, make_login, project, resource):
    office = make_login(Role.SECRETARY)
    _grow_activity(project, office=office, manager=make_login(Role.MANAGER))(1)
    client = client_as(Role.MANAGER)
    found = client.get(f"/api/v1/{resource}/", {"q": "x"})
    assert found.status_code == 200, found.content
    assert found.json()["count"] == 1
    assert client.get(f"/api/v1/{resource}/", {"q": "nobody"}).json()["count"] == 0


def test_visit_list_filters_by_team_marketer_and_local_dates(client_as, make_login, project):
    office = make_login(Role.SECRETARY)
    team_a, team_b = TeamFactory(project=project), TeamFactory(project=project)
    a1, a2, b1 = marketer(team_a), marketer(team_a), marketer(team_b)
    # Local days: 23:30 on 1 Nov in Shanghai is 15:30 UTC; 00:30 on 3 Nov is 2 Nov in UTC.
    logged = {}
    for n, (m, when) in enumerate(
        [
            (a1, datetime(2026, 11, 1, 23, 30, tzinfo=SHANGHAI)),
            (a2, datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)),
            (b1, datetime(2026, 11, 3, 0, 30, tzinfo=SHANGHAI)),
            (a1, datetime(2026, 11, 4, 9, tzinfo=SHANGHAI)),
        ]
    ):
        logged[n] = visit_record(
            actor=office,
            project=project,
            customer_name="x",
            customer_phone=f"1360000000{n}",
            marketer=m,
            property_type="high_rise",
            visited_at=when,
        ).pk
    client = client_as(Role.MANAGER)

    def ids(**params):
        response = client.get("/api/v1/visits/", params)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(team=team_a.pk) == sorted([logged[0], logged[1], logged[3]])
    assert ids(team=team_b.pk) == [logged[2]]
    assert ids(marketer=a1.pk) == sorted([logged[0], logged[3]])
    assert ids(date_from="2026-11-02") == sorted([logged[1], logged[2], logged[3]])
    assert ids(date_to="2026-11-02") == sorted([logged[0], logged[1]])
    assert ids(date_from="2026-11-02", date_to="2026-11-03") == sorted([logged[1], logged[2]])
    assert ids(team=team_a.pk, date_from="2026-11-02", date_to="2026-11-03") == [logged[1]]
    assert ids(marketer=a1.pk, date_to="2026-11-01") == [logged[0]]
    bad = client.get("/api/v1/visits/", {"date_from": "2026-13-01", "team": "x"})
    assert bad.status_code == 400
    assert {"date_from", "team"} <= set(bad.json()["errors"])


@pytest.mark.parametrize("role", [Role.PARTNER, Role.MARKETER])
def test_a_login_linked_to_no_partner_or_staff_gets_403_not_500(client_as, project, role):
    from common.access import user_role_set
    from tests.factories.org import UserFactory

    user = UserFactory()
    user_role_set(user, role)
    response = client_as(role, user=user).post(
        "/api/v1/registrations/",
        {"project": project.pk, "customer_name": "孙女士", "customer_phone": "13712345678"},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert not Registration.objects.exists()

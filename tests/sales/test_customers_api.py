"""customers/ and customers/{id}/timeline/: who sees which customer, masked phones, search by
phone, name or pinyin initials, the protection that applies, every event in order."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.audit import PHONE_VIEWED, phone_view_customer_ids
from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from sales.choices import VisitStatus
from sales.models import Customer, Registration
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    payment_record,
    signing_cancel,
    signing_record,
    subscription_record,
)
from sales.services.overrides import customer_attribution_override
from sales.services.protection import registration_protection_extend
from sales.services.visits import visit_record
from tests.api_base import EndpointCase, list_query_count
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import ALL_ROLES, earlier_today

pytestmark = pytest.mark.django_db

_phones = itertools.count(1000)


def next_phone() -> str:
    return f"1371234{next(_phones):04d}"


def register(user, project, name="王先生", phone=None, *, days_ago=1, **channel):
    return registration_create(
        actor=user,
        project=project,
        customer_name=name,
        customer_phone=phone or next_phone(),
        registered_at=timezone.now() - timedelta(days=days_ago),
        **channel,
    )


def visit(office, project, phone, *, when=None, **channel):
    return visit_record(
        actor=office,
        project=project,
        customer_name="客户",
        customer_phone=phone,
        visited_at=when or earlier_today(),
        property_type="high_rise",
        status=VisitStatus.CONFIRMED,
        **channel,
    )


class TestCustomerList(EndpointCase):
    url = "customer-list"
    roles_allowed = frozenset(ALL_ROLES) - {Role.CONSULTANT}
    query_roles = (Role.MANAGER, Role.PARTNER, Role.MARKETER)

    def rows(self, n, user):
        from common.access import can

        project = ProjectFactory()
        seller = None
        for _ in range(n):
            if can(user, "credit_self"):
                register(user, project)
            else:
                seller = seller or marketer(TeamFactory(project=project))
                register(user, project, marketer=seller)


@pytest.fixture
def two_partners(make_login):
    return make_login(Role.PARTNER), make_login(Role.PARTNER)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_partner_lists_only_its_own_customers_masked_and_404s_on_anothers(
    client_as, project, two_partners
):
    a, b = two_partners
    mine = register(a, project, "甲客户", "13811112222")
    theirs = register(b, project, "乙客户", "13833334444")
    api = client_as(Role.PARTNER, user=a)
    listed = rows(api.get("/api/v1/customers/"))
    assert [(row["id"], row["phone"]) for row in listed] == [(mine.customer_id, "138****2222")]
    row = listed[0]
    partner = a.partner_member.partner  # the registrant owns it while the protection runs
    assert (row["owner_type"], row["owner"], row["protection"]) == (
        "partner",
        partner.pk,
        "registration",
    )
    assert row["protected_until"] == mine.protected_until.isoformat()
    assert api.get(f"/api/v1/customers/{theirs.customer_id}/").status_code == 404
    assert api.get(f"/api/v1/customers/{theirs.customer_id}/timeline/").status_code == 404
    body = api.get(f"/api/v1/customers/{mine.customer_id}/").content.decode()
    assert "13811112222" not in body
    assert api.get("/api/v1/customers/", {"q": "乙"}).json()["count"] == 0


def test_after_a_visit_the_partner_reads_the_deal_protection(
    client_as, office, project, make_login
):
    user = make_login(Role.PARTNER)
    partner = user.partner_member.partner
    registration = register(user, project, phone="13811112222")
    visit(office, project, "13811112222", partner=partner)
    (row,) = rows(client_as(Role.PARTNER, user=user).get("/api/v1/customers/"))
    assert (row["owner_type"], row["owner"], row["protection"]) == ("partner", partner.pk, "deal")
    customer = Customer.objects.get(pk=registration.customer_id)
    assert row["protected_until"] == customer.owner_locked_until.isoformat()
    assert row["status"] == "visited"


def test_a_customer_lost_to_another_channel_is_no_longer_the_partners(
    client_as, office, manager, project, make_login, m1
):
    user = make_login(Role.PARTNER)
    registration = register(user, project, phone="13811112222")
    customer_attribution_override(
        actor=manager, customer=registration.customer, marketer=m1.staff, reason="申诉成立"
    )
    api = client_as(Role.PARTNER, user=user)
    assert rows(api.get("/api/v1/customers/")) == []
    assert api.get(f"/api/v1/customers/{registration.customer_id}/").status_code == 404


def test_a_marketer_lists_its_own_and_the_office_all_with_full_phones_audited(
    client_as, project, m1, m2
):
    own = register(m1, project, "甲", "13811112222")
    register(m2, project, "乙", "13833334444")
    mine = rows(client_as(Role.MARKETER, user=m1).get("/api/v1/customers/"))
    assert [(r["id"], r["phone"]) for r in mine] == [(own.customer_id, "13811112222")]
    secretary = client_as(Role.SECRETARY)
    everyone = rows(secretary.get("/api/v1/customers/"))
    assert {r["phone"] for r in everyone} == {"13811112222", "13833334444"}
    audited = AuditEntry.objects.filter(actor=secretary.user, action=PHONE_VIEWED)
    (entry,) = audited  # one entry for the response, naming every customer it served
    assert phone_view_customer_ids(entry) == sorted(r["id"] for r in everyone)
    assert not AuditEntry.objects.filter(actor=m1, action=PHONE_VIEWED).exists()


def test_a_supervisor_lists_the_customers_of_its_teams_projects(client_as, make_login, project, m1):
    supervisor = make_login(Role.SUPERVISOR)
    TeamFactory(project=project, supervisor=supervisor.staff)
    other = ProjectFactory()
    register(m1, project, "本项目")
    register(make_login(Role.MARKETER, team=TeamFactory(project=other)), other, "别的项目")
    listed = rows(client_as(Role.SUPERVISOR, user=supervisor).get("/api/v1/customers/"))
    assert [r["name"] for r in listed] == ["本项目"]


def test_a_consultant_may_not_list_customers(client_as):
    assert client_as(Role.CONSULTANT).get("/api/v1/customers/").status_code == 403


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("zw", ["张伟"]),
        ("ZW", ["张伟"]),
        ("z", []),  # one letter is not initials (nor in any name)
        ("wxm", ["王小明"]),
        ("张", ["张伟"]),
        ("13811112222", ["张伟"]),
        ("1382222", ["张伟"]),  # 前三后四 as typed
        ("138****2222", ["张伟"]),
        ("2222", ["张伟"]),
        ("6666", ["王小明"]),
        ("1396666", ["王小明"]),
        ("1112", []),  # four digits are the last four
        ("81111", ["张伟"]),  # any other run of digits, anywhere
    ],
)
def test_the_office_searches_by_phone_name_or_pinyin_initials(client_as, project, m1, query, found):
    register(m1, project, "张伟", "13811112222")
    register(m1, project, "王小明", "13955556666")
    listed = rows(client_as(Role.SECRETARY).get("/api/v1/customers/", {"q": query}))
    assert [r["name"] for r in listed] == found


def test_filters_by_project_status_and_owner(client_as, office, project, m1):
    other = ProjectFactory()
    register(m1, project, "报备客户", "13811112222")
    visit(office, project, "13811112222", marketer=m1.staff)
    visit(office, project, "13900001111")  # a walk-in
    register(m1, other, "别处客户")
    lapsed = register(m1, other, "过期客户")
    yesterday = local_today() - timedelta(days=1)
    Registration.objects.filter(pk=lapsed.pk).update(protected_until=yesterday)
    api = client_as(Role.MANAGER)

    def names(**params):
        return sorted(r["name"] for r in rows(api.get("/api/v1/customers/", params)))

    assert names(project=other.pk) == ["别处客户", "过期客户"]
    assert names(owner_type="walk_in") == ["客户"]
    assert names(owner_type="marketer") == ["别处客户", "报备客户"]  # a registration runs
    assert names(owner_type="none") == ["过期客户"]
    assert names(status="visited") == ["客户", "报备客户"]
    assert names(marketer=m1.staff.pk) == ["报备客户"]
    walk_in = rows(api.get("/api/v1/customers/", {"owner_type": "walk_in"}))[0]
    assert (walk_in["owner_type"], walk_in["owner"], walk_in["protection"]) == (
        "walk_in",
        None,
        "walk_in",
    )
    bad = api.get("/api/v1/customers/", {"status": "nonsense"})
    assert bad.status_code == 400


def full_history(office, manager, project, m1):
    """One customer with one of everything: registration (extended), visit, 认购, two
    signings (one cancelled), a payment, a disbursed mortgage and an override."""
    phone = "13811112222"
    registration = register(m1, project, "张伟", phone, days_ago=0)
    registration.registered_at = timezone.now() - timedelta(hours=2)
    registration.save(update_fields=["registered_at"])
    registration_protection_extend(
        actor=manager, registration=registration, days=10, reason="客户出差"
    )
    visit(office, project, phone)
    today = local_today()
    common = {"actor": office, "project": project, "customer_name": "张伟", "customer_phone": phone}
    subscription_record(
        **common,
        unit="1-101",
        property_type="high_rise",
        amount=Decimal("50000"),
        subscribed_on=today,
    )
    signing = signing_record(
        **common,
        unit="1-101",
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal("900000"),
        signed_on=today,
    )
    payment_record(
        actor=office, signing=signing, kind="down_payment", amount=Decimal("1"), paid_on=today
    )
    mortgage_record(
        actor=office,
        signing=signing,
        bank="建设银行",
        amount=Decimal("600000"),
        applied_on=today,
        status="disbursed",
        disbursed_on=today,
    )
    other = signing_record(
        **common,
        unit="1-102",
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal("800000"),
        signed_on=today,
    )
    signing_cancel(actor=office, signing=other, cancelled_on=today, reason="客户资金问题")
    customer_attribution_override(
        actor=manager, customer=registration.customer, marketer=m1.staff, reason="核实归属"
    )
    return registration.customer


def test_the_timeline_lists_every_event_in_order(client_as, office, manager, project, m1):
    customer = full_history(office, manager, project, m1)
    response = client_as(Role.MANAGER, user=manager).get(
        f"/api/v1/customers/{customer.pk}/timeline/"
    )
    assert response.status_code == 200, response.content
    events = response.json()
    kinds = [event["kind"] for event in events]
    # Instants in order, then the day's deals (a business date each) in the order deals go.
    assert kinds == [
        "registration",
        "visit",
        "protection_extension",
        "attribution_override",
        "subscription",
        "signing",
        "signing",
        "payment",
        "mortgage",
        "mortgage_disbursed",
        "cancellation",
    ]
    extension = events[2]
    assert (extension["days"], extension["reason"]) == (10, "客户出差")
    override = next(e for e in events if e["kind"] == "attribution_override")
    assert override["reason"] == "核实归属" and override["actor"] == manager.get_username()
    assert all("at" in e for e in events)


def test_the_timeline_costs_the_same_queries_for_any_history(
    client_as, office, manager, project, m1
):
    api = client_as(Role.MANAGER, user=manager)
    small = register(m1, project, "小", "13900000001").customer
    big = full_history(office, manager, project, m1)
    for n in range(5):
        visit(office, project, "13811112222", when=timezone.now() - timedelta(days=40 * n + 1))
    few = list_query_count(api, f"/api/v1/customers/{small.pk}/timeline/")
    many = list_query_count(api, f"/api/v1/customers/{big.pk}/timeline/")
    assert many == few


def test_a_partners_timeline_holds_only_its_own_records_and_no_other_channel(
    client_as, office, manager, project, make_login, m1
):
    user = make_login(Role.PARTNER)
    partner = user.partner_member.partner
    phone = "13811112222"
    now = timezone.now()
    visit(office, project, phone, marketer=m1.staff, when=now - timedelta(days=5))
    registration = register(user, project, "张伟", phone, days_ago=3)
    visit(office, project, phone, partner=partner, when=now - timedelta(days=2))
    customer_attribution_override(
        actor=manager, customer=registration.customer, partner=partner, reason="张行销让出"
    )
    response = client_as(Role.PARTNER, user=user).get(
        f"/api/v1/customers/{registration.customer_id}/timeline/"
    )
    events = response.json()
    # The override moved the marketer's earlier visit's credit too: the partner reads it as
    # its own, never who brought it.
    kinds = [e["kind"] for e in events]
    assert kinds == ["visit", "registration", "visit", "attribution_override"]
    assert events[0]["partner"] == partner.pk and events[0]["brought_marketer"] is None
    body = response.content.decode()
    for secret in (m1.staff.name, "张行销让出", manager.get_username(), phone):
        assert secret not in body
    assert events[-1] == {
        "at": events[-1]["at"],
        "kind": "attribution_override",
        "id": events[-1]["id"],
        "to_you": True,
    }
    assert events[2]["partner"] == partner.pk and events[2]["consultant"] is None
    # The office reads the same customer's whole story.
    office_view = client_as(Role.MANAGER, user=manager).get(
        f"/api/v1/customers/{registration.customer_id}/timeline/"
    )
    assert [e["kind"] for e in office_view.json()] == [
        "visit",
        "registration",
        "visit",
        "attribution_override",
    ]


def test_the_customer_list_keeps_a_constant_query_count_for_the_audited_office(
    client_as, project, m1
):
    api = client_as(Role.SECRETARY)
    register(m1, project)
    api.get("/api/v1/customers/")  # warms what a process caches (the table's row estimate)
    with CaptureQueriesContext(connection) as few:
        rows(api.get("/api/v1/customers/"))
    for _ in range(15):
        register(m1, project)
    with CaptureQueriesContext(connection) as many:
        assert len(rows(api.get("/api/v1/customers/"))) == 16
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_registrant_owns_the_customer_while_its_protection_runs_then_the_visits_channel(
    client_as, office, project, m1, make_login
):
    registration = register(m1, project, "张伟", "13811112222", marketer=m1.staff)
    api = client_as(Role.MANAGER)
    (row,) = rows(api.get("/api/v1/customers/"))
    assert (row["owner_type"], row["owner"], row["protection"]) == (
        "marketer",
        m1.staff.pk,
        "registration",
    )
    assert row["protected_until"] == registration.protected_until.isoformat()
    assert rows(api.get("/api/v1/customers/", {"owner_type": "none"})) == []
    visit(office, project, "13811112222", marketer=m1.staff)
    (row,) = rows(api.get("/api/v1/customers/"))
    assert (row["owner_type"], row["owner"], row["protection"]) == ("marketer", m1.staff.pk, "deal")
    # Once the registration protection has ended, nobody holds a customer without a visit.
    lapsed = register(m1, project, "王小明", "13955556666", marketer=m1.staff)
    Registration.objects.filter(pk=lapsed.pk).update(protected_until=local_today() - timedelta(1))
    found = rows(api.get("/api/v1/customers/", {"q": "王小明"}))
    assert [(r["owner_type"], r["owner"]) for r in found] == [(None, None)]
    assert [r["name"] for r in rows(api.get("/api/v1/customers/", {"owner_type": "none"}))] == [
        "王小明"
    ]

"""Walk-ins (自然到访): a visit with neither marketer nor partner earns nobody anything and makes
the customer the sales office's for the project's walk-in protection."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.periods import local_date, month_of
from common.roles import Role
from portal.dashboard.selectors import dashboard_funnel
from sales.choices import AttributionMode, RegistrationStatus, VisitStatus
from sales.models import Customer, Registration, Visit
from sales.selectors.reports import daily_report
from sales.services.customers import registration_create
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_confirm, visit_record
from tests.factories.org import PartnerFactory, ProjectFactory
from tests.helpers import at, earlier_today

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def when_of(when) -> datetime:
    """A day ("2026-11-02", at 10:00) or an instant as it is."""
    return when if isinstance(when, datetime) else at(when)


def just_now() -> datetime:
    return earlier_today(minutes=1)


def walk_in(office, project, when, *, phone=PHONE, status=VisitStatus.CONFIRMED):
    return visit_record(
        actor=office,
        project=project,
        customer_name="张伟",
        customer_phone=phone,
        visited_at=when_of(when),
        property_type="high_rise",
        status=status,
    )


def brought(office, project, when, *, by, phone=PHONE):
    channel = {"partner": by} if hasattr(by, "credit_code") else {"marketer": by}
    return visit_record(
        actor=office,
        project=project,
        customer_name="张伟",
        customer_phone=phone,
        visited_at=when_of(when),
        property_type="high_rise",
        status=VisitStatus.CONFIRMED,
        **channel,
    )


def register(actor, project, when, *, phone=PHONE, **channel):
    return registration_create(
        actor=actor,
        project=project,
        customer_name="张伟",
        customer_phone=phone,
        registered_at=at(when),
        **channel,
    )


@pytest.fixture
def partner_user(make_login):
    return make_login(Role.PARTNER)


def test_a_walk_in_is_credited_to_nobody_and_makes_the_customer_the_offices(office, project):
    visit = walk_in(office, project, "2026-11-02")
    assert (visit.marketer, visit.partner, visit.is_valid) == (None, None, True)
    customer = Customer.objects.get()
    assert customer.owner_office is True
    assert (customer.owner_marketer, customer.owner_partner) == (None, None)
    # The project's walk-in protection (default 90 days) from the day of the walk-in.
    assert project.walkin_protection_days == 90
    assert customer.owner_locked_until == at("2026-11-02").date() + timedelta(days=90)
    assert customer.name_initials == "zw"


def test_a_pending_walk_in_protects_only_once_confirmed(office, project):
    visit = walk_in(office, project, "2026-11-02", status=VisitStatus.PENDING)
    assert Customer.objects.get().owner_office is False
    visit_confirm(actor=office, visit=visit)
    assert Customer.objects.get().owner_office is True


def test_a_registration_during_walk_in_protection_is_refused_without_a_channel(
    office, project, partner_user, english
):
    walk_in(office, project, "2026-11-02")
    with pytest.raises(ValidationError) as exc:
        register(partner_user, project, "2026-11-20")
    message = exc.value.message_dict["customer_phone"][0]
    until = (at("2026-11-02").date() + timedelta(days=90)).isoformat()
    assert message == (
        f"This customer is already known to the sales office (自然到访) and protected until "
        f"{until}."
    )
    assert not Registration.objects.exists()


def test_staff_refused_during_walk_in_protection_also_read_when_it_walked_in(
    office, project, m1, english
):
    walk_in(office, project, "2026-11-02")
    with pytest.raises(ValidationError) as exc:
        register(m1, project, "2026-11-20")
    assert "Walked in on 2026-11-02." in exc.value.message_dict["customer_phone"][0]


def test_after_walk_in_protection_a_channel_registers_and_its_visit_takes_the_customer(
    office, project, partner_user
):
    partner = partner_user.partner_member.partner
    walk_in(office, project, "2026-01-05")
    ended = at("2026-01-05").date() + timedelta(days=90)
    registration = register(partner_user, project, (ended + timedelta(days=1)).isoformat())
    assert registration.status == RegistrationStatus.ACTIVE
    visit = brought(office, project, (ended + timedelta(days=3)).isoformat(), by=partner)
    assert visit.partner == partner
    customer = Customer.objects.get()
    assert (customer.owner_office, customer.owner_partner) == (False, partner)
    assert customer.owner_locked_until == ended + timedelta(days=3 + project.deal_protection_days)


def test_a_channel_visit_during_walk_in_protection_credits_nobody(office, project, m1):
    walk_in(office, project, "2026-11-02")
    visit = brought(office, project, "2026-11-20", by=m1.staff)
    assert (visit.brought_marketer, visit.marketer, visit.partner) == (m1.staff, None, None)
    assert Customer.objects.get().owner_office is True


def test_a_walk_in_followed_by_a_channel_visit_after_the_protection(office, project, m1):
    walk_in(office, project, "2026-01-05")
    later = at("2026-01-05").date() + timedelta(days=95)
    visit = brought(office, project, later.isoformat(), by=m1.staff)
    assert visit.marketer == m1.staff  # no protection ran: whoever brought the group
    customer = Customer.objects.get()
    assert (customer.owner_office, customer.owner_marketer) == (False, m1.staff)


def test_a_walk_in_inside_a_running_registration_locks_the_deal_to_the_registrant(
    office, project, partner_user
):
    partner = partner_user.partner_member.partner
    register(partner_user, project, "2026-11-01")
    visit = walk_in(office, project, "2026-11-05")
    assert (visit.marketer, visit.partner) == (None, None)  # the walk-in itself earns nothing
    customer = Customer.objects.get()
    assert (customer.owner_office, customer.owner_partner) == (False, partner)
    assert customer.owner_locked_until == at("2026-11-05").date() + timedelta(days=90)
    assert Registration.objects.get().status == RegistrationStatus.VISITED


def test_a_walk_in_during_a_channels_deal_protection_leaves_it_with_the_channel(
    office, project, m1
):
    register(m1, project, "2026-11-01", marketer=m1.staff)
    brought(office, project, "2026-11-03", by=m1.staff)
    visit = walk_in(office, project, "2026-11-25")
    assert visit.marketer is None
    customer = Customer.objects.get()
    assert (customer.owner_office, customer.owner_marketer) == (False, m1.staff)


def test_first_visit_mode_a_walk_in_first_is_the_offices(office, m1):
    project = ProjectFactory(
        attribution_mode=AttributionMode.FIRST_VISIT, walkin_protection_days=30
    )
    walk_in(office, project, "2026-11-02")
    visit = brought(office, project, "2026-11-10", by=m1.staff)
    assert visit.marketer is None
    customer = Customer.objects.get()
    assert customer.owner_office is True
    assert customer.owner_locked_until == at("2026-11-02").date() + timedelta(days=30)


def test_an_override_of_a_walk_in_customer_hands_it_to_a_channel(office, manager, project, m1):
    walk_in(office, project, "2026-11-02")
    customer = Customer.objects.get()
    override = customer_attribution_override(
        actor=manager, customer=customer, marketer=m1.staff, reason="客户说是张行销介绍的"
    )
    customer.refresh_from_db()
    assert (customer.owner_office, customer.owner_marketer) == (False, m1.staff)
    assert customer.owner_locked_until is None  # the office's protection is nobody's to inherit
    assert override.before["office"] is True and override.after["office"] is False


def test_the_database_keeps_one_owner_and_a_visit_at_most_one_channel(office, project, m1):
    walk_in(office, project, "2026-11-02")
    customer = Customer.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(owner_marketer=m1.staff)
    visit = Visit.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(
            brought_marketer=m1.staff, brought_partner=PartnerFactory()
        )


def test_a_marketer_naming_nobody_is_credited_itself_never_a_walk_in(project, make_login):
    marketer = make_login(Role.MARKETER)
    visit = visit_record(
        actor=marketer,
        project=project,
        customer_name="张伟",
        customer_phone=PHONE,
        visited_at=at("2026-11-02"),
        property_type="high_rise",
    )
    assert visit.brought_marketer == marketer.staff  # a marketer is always credited itself


def test_the_daily_report_and_the_funnel_count_walk_ins(office, manager, project, m1):
    now = just_now()
    today = local_date(now)
    walk_in(office, project, now, phone="13800000001")
    brought(office, project, now, by=m1.staff, phone="13800000002")
    report = daily_report(project=project, on=today)
    assert (report["visits"]["confirmed"], report["visits"]["walk_ins"]) == (2, 1)
    funnel = {
        step["step"]: step["customers"]
        for step in dashboard_funnel(user=manager, month=month_of(today), today=today)
    }
    assert funnel["visited"] == 2


def test_a_walk_in_through_the_api(client_as, project):
    office = client_as(Role.SECRETARY)
    body = {
        "project": project.pk,
        "customer_name": "张伟",
        "customer_phone": PHONE,
        "visited_at": at("2026-11-02").isoformat(),
        "property_type": "high_rise",
        "status": "confirmed",
    }
    response = office.post("/api/v1/visits/", {**body, "marketer": None}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["marketer"], response.json()["partner"]) == (None, None)
    assert Customer.objects.get().owner_office is True
    omitted = office.post("/api/v1/visits/", {**body, "customer_phone": "13900001111"})
    assert omitted.status_code == 201, omitted.content
    assert Visit.objects.filter(brought_marketer=None, brought_partner=None).count() == 2


def test_a_partner_registering_during_walk_in_protection_via_the_api_learns_no_channel(
    client_as, office, project, partner_user
):
    walk_in(office, project, just_now())
    response = client_as(Role.PARTNER, user=partner_user).post(
        "/api/v1/registrations/",
        {"project": project.pk, "customer_name": "张伟", "customer_phone": PHONE},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "known to the sales office" in text
    assert office.get_username() not in text and "Walked in" not in text

"""Visits: validity (repeat window), out-of-order entry, later rejection, attribution."""

import pytest
from django.core.exceptions import ValidationError

from common.roles import Role
from sales.choices import AttributionMode, CustomerStatus, RegistrationStatus, VisitStatus
from sales.models import Visit
from sales.services.customers import registration_create
from sales.services.visits import visit_confirm, visit_record, visit_reject
from tests.factories.org import ProjectFactory, consultant
from tests.helpers import at

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def log(office, project, when, *, by, phone=PHONE, status=VisitStatus.CONFIRMED, **kw):
    channel = {"partner": by} if hasattr(by, "credit_code") else {"marketer": by}
    return visit_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone=phone,
        visited_at=at(when),
        property_type="high_rise",
        status=status,
        **channel,
        **kw,
    )


def valid_days(project) -> list[str]:
    return [
        v.visited_at.date().isoformat()
        for v in Visit.objects.filter(project=project, is_valid=True).order_by("visited_at")
    ]


def test_first_confirmed_visit_is_valid_and_pending_is_not(office, project, m1):
    pending = log(office, project, "2026-11-01", by=m1.staff, status=VisitStatus.PENDING)
    assert pending.is_valid is False
    confirmed = visit_confirm(actor=office, visit=pending)
    assert confirmed.is_valid is True


@pytest.mark.parametrize(("gap_days", "second_valid"), [(29, False), (30, True)])
def test_repeat_visit_inside_the_window_is_not_valid(office, project, m1, gap_days, second_valid):
    log(office, project, "2026-10-01", by=m1.staff)
    day = f"2026-10-{1 + gap_days:02d}" if gap_days < 30 else "2026-10-31"
    second = log(office, project, day, by=m1.staff)
    assert second.is_valid is second_valid


def test_window_counts_from_the_last_valid_visit(office, project, m1):
    for day in ("2026-09-01", "2026-09-21", "2026-10-11"):  # every 20 days, window 30
        log(office, project, day, by=m1.staff)
    assert valid_days(project) == ["2026-09-01", "2026-10-11"]


def test_out_of_order_entry_gives_the_same_validity(office, project, m1):
    later = log(office, project, "2026-11-10", by=m1.staff)
    assert later.is_valid is True
    log(office, project, "2026-11-01", by=m1.staff)  # entered late, happened first
    later.refresh_from_db()
    assert later.is_valid is False
    assert valid_days(project) == ["2026-11-01"]


def test_rejecting_the_valid_visit_later_makes_the_repeat_valid(office, project, m1):
    first = log(office, project, "2026-11-01", by=m1.staff)
    repeat = log(office, project, "2026-11-05", by=m1.staff)
    assert (first.is_valid, repeat.is_valid) == (True, False)
    visit_reject(actor=office, visit=first, reason="重复录入")
    first.refresh_from_db()
    repeat.refresh_from_db()
    assert (first.status, first.is_valid, repeat.is_valid) == (VisitStatus.REJECTED, False, True)


def test_other_customers_and_projects_do_not_interfere(office, project, m1):
    log(office, project, "2026-11-01", by=m1.staff)
    assert log(office, project, "2026-11-02", by=m1.staff, phone="13900000000").is_valid
    assert log(office, ProjectFactory(), "2026-11-02", by=m1.staff).is_valid


def test_visit_inside_protection_is_credited_to_the_registrant_and_locks(office, project, m1, m2):
    registration_create(
        actor=m1,
        project=project,
        customer_name="李女士",
        customer_phone=PHONE,
        registered_at=at("2026-11-01"),
    )
    visit = log(office, project, "2026-11-05", by=m2.staff)  # m2 brought them
    assert visit.marketer == m1.staff
    assert visit.brought_marketer == m2.staff
    customer = visit.customer
    customer.refresh_from_db()
    assert customer.owner_marketer == m1.staff
    assert customer.owner_locked_until.isoformat() == "2027-02-03"  # 11-05 + 90 days
    assert customer.status == CustomerStatus.VISITED
    assert visit.registration.status == RegistrationStatus.VISITED


def test_visit_after_protection_ends_goes_to_whoever_brought_them(office, project, m1, m2):
    registration_create(
        actor=m1,
        project=project,
        customer_name="李女士",
        customer_phone=PHONE,
        registered_at=at("2026-09-01"),
    )
    visit = log(office, project, "2026-11-05", by=m2.staff)
    assert visit.marketer == m2.staff
    assert visit.registration is None


def test_first_visit_mode_the_first_confirmed_visit_wins(office, m1, m2, db):
    project = ProjectFactory(attribution_mode=AttributionMode.FIRST_VISIT)
    first = log(office, project, "2026-11-01", by=m1.staff, status=VisitStatus.PENDING)
    log(office, project, "2026-11-02", by=m2.staff)
    second_customer = Visit.objects.get(brought_marketer=m2.staff).customer
    assert second_customer.owner_marketer == m2.staff  # the only confirmed visit so far
    visit_confirm(actor=office, visit=first)
    second_customer.refresh_from_db()
    assert second_customer.owner_marketer == m1.staff  # replay: m1 came first
    assert Visit.objects.get(brought_marketer=m2.staff).marketer == m1.staff


def test_marketer_cannot_confirm_a_visit(office, project, m1):
    visit = log(office, project, "2026-11-01", by=m1.staff, status=VisitStatus.PENDING)
    with pytest.raises(ValidationError):
        visit_confirm(actor=m1, visit=visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING


def test_confirm_twice_is_harmless(office, project, m1):
    visit = log(office, project, "2026-11-01", by=m1.staff, status=VisitStatus.PENDING)
    visit_confirm(actor=office, visit=visit)
    assert visit_confirm(actor=office, visit=visit).is_valid is True


def test_rejected_visit_cannot_be_confirmed(office, project, m1):
    visit = log(office, project, "2026-11-01", by=m1.staff, status=VisitStatus.PENDING)
    visit_reject(actor=office, visit=visit)
    with pytest.raises(ValidationError) as exc:
        visit_confirm(actor=office, visit=visit)
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"visited_at": at("2099-01-01")}, "visited_at"),
        ({"property_type": "villa"}, "property_type"),
        ({"customer_phone": "1234"}, "customer_phone"),
    ],
)
def test_bad_visit_is_refused_and_writes_nothing(office, project, m1, changes, field):
    body = {
        "actor": office,
        "project": project,
        "customer_name": "李女士",
        "customer_phone": PHONE,
        "visited_at": at("2026-11-01"),
        "property_type": "high_rise",
        "marketer": m1.staff,
    }
    with pytest.raises(ValidationError) as exc:
        visit_record(**{**body, **changes})
    assert field in exc.value.message_dict
    assert not Visit.objects.exists()


def test_consultant_must_be_a_consultant(office, project, m1):
    with pytest.raises(ValidationError) as exc:
        log(office, project, "2026-11-01", by=m1.staff, consultant=m1.staff)
    assert "consultant" in exc.value.message_dict
    assert log(office, project, "2026-11-01", by=m1.staff, consultant=consultant()).consultant


def test_a_secretary_naming_nobody_logs_a_walk_in(office, project):
    visit = visit_record(
        actor=office,
        project=project,
        customer_name="x",
        customer_phone=PHONE,
        visited_at=at("2026-11-01"),
        property_type="high_rise",
    )
    assert (visit.brought_marketer, visit.brought_partner, visit.marketer, visit.partner) == (
        None,
        None,
        None,
        None,
    )


def test_partner_brought_visit_is_credited_to_the_partner(office, project, make_login):
    partner = make_login(Role.PARTNER).partner_member.partner
    assert log(office, project, "2026-11-01", by=partner).partner == partner

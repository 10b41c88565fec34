"""报备 protection and 撞单 (SPEC "Registration")."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from common.roles import Role
from sales.choices import AttributionMode, PhoneMode, RegistrationStatus
from sales.models import Customer, Registration
from sales.services.customers import registration_create, registrations_expire
from tests.factories.org import ProjectFactory
from tests.helpers import at

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def register(user, project, phone=PHONE, when="2026-11-01", **kw):
    return registration_create(
        actor=user,
        project=project,
        customer_name="王先生",
        customer_phone=phone,
        registered_at=at(when),
        **kw,
    )


def refused_message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.message_dict["customer_phone"])


def test_registration_protects_for_protection_days_inclusive(m1, project):
    registration = register(m1, project)
    assert registration.protected_until.isoformat() == "2026-11-30"  # 30 days: 11-01 … 11-30
    assert registration.marketer == m1.staff
    assert registration.status == RegistrationStatus.ACTIVE


def test_second_registration_inside_protection_is_refused_with_the_end_date(m1, m2, project):
    register(m1, project)
    with pytest.raises(ValidationError) as exc:
        register(m2, project, when="2026-11-30")
    assert "2026-11-30" in refused_message(exc)
    assert "撞单" in refused_message(exc)
    assert Registration.objects.count() == 1


def test_registration_the_day_after_protection_ends_is_accepted(m1, m2, project):
    register(m1, project)
    second = register(m2, project, when="2026-12-01")
    assert second.marketer == m2.staff
    assert Customer.objects.count() == 1


def test_same_phone_at_another_project_is_fine(m1, m2, project):
    register(m1, project)
    other = register(m2, ProjectFactory())
    assert other.pk
    assert Customer.objects.count() == 2


def test_phone_is_normalised_before_matching(m1, m2, project):
    register(m1, project, phone="+86 138-1234-5678")
    with pytest.raises(ValidationError):
        register(m2, project, phone="13812345678")


@pytest.mark.usefixtures("english")
def test_registering_your_own_customer_twice_says_so(m1, project):
    register(m1, project)
    with pytest.raises(ValidationError) as exc:
        register(m1, project, when="2026-11-10")
    assert "already registered" in refused_message(exc)


def test_partner_conflict_message_never_names_the_holder(m1, make_login, project):
    register(m1, project)
    partner_user = make_login(Role.PARTNER)
    with pytest.raises(ValidationError) as exc:
        register(partner_user, project, when="2026-11-05")
    message = refused_message(exc)
    assert "2026-11-30" in message
    assert m1.staff.name not in message


def test_staff_conflict_message_names_the_holder(m1, m2, project):
    register(m1, project)
    with pytest.raises(ValidationError) as exc:
        register(m2, project, when="2026-11-05")
    assert m1.staff.name in refused_message(exc)


def test_masked_mode_matches_first_three_and_last_four(m1, m2, db):
    project = ProjectFactory(phone_mode=PhoneMode.MASKED)
    register(m1, project, phone="138****5678")
    with pytest.raises(ValidationError):
        register(m2, project, phone="13899995678")  # same 前三后四
    assert register(m2, project, phone="13899995679").pk  # last four differ


def test_full_mode_refuses_a_masked_number(m1, project):
    with pytest.raises(ValidationError) as exc:
        register(m1, project, phone="138****5678")
    assert "customer_phone" in exc.value.message_dict


def test_first_visit_projects_give_no_registration_protection(m1, m2, db):
    project = ProjectFactory(attribution_mode=AttributionMode.FIRST_VISIT)
    first = register(m1, project)
    assert first.protected_until is None
    assert register(m2, project, when="2026-11-02").pk


def test_protection_expiry_job_expires_only_ended_registrations(m1, m2, project):
    ended = register(m1, project, when="2026-10-01")
    running = register(m2, project, phone="13900001111", when="2026-11-01")
    assert registrations_expire(today=ended.protected_until + timedelta(days=1)) == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (RegistrationStatus.EXPIRED, RegistrationStatus.ACTIVE)
    assert registrations_expire(today=ended.protected_until + timedelta(days=1)) == 0

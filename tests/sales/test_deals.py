"""Subscriptions, signings with 退房, payments, mortgages; bad input is a field-level refusal."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.periods import local_today
from common.roles import Role
from sales.choices import CustomerStatus, MortgageStatus, RegistrationStatus, SigningStatus
from sales.models import Mortgage, Payment, Signing
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    mortgage_update,
    payment_record,
    signing_cancel,
    signing_record,
)
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_record
from tests.helpers import at

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def sign(office, project, *, unit="3-1502", amount="1200000.00", on=date(2026, 11, 3), **kw):
    body = {
        "customer_name": "赵先生",
        "customer_phone": PHONE,
        "unit": unit,
        "property_type": "high_rise",
        "area": Decimal("98.50"),
        "amount": Decimal(amount),
        "signed_on": on,
        **kw,
    }
    return signing_record(actor=office, project=project, **body)


def test_signing_is_credited_to_the_attributed_channel(office, project, m1, m2):
    registration = registration_create(
        actor=m1,
        project=project,
        customer_name="赵先生",
        customer_phone=PHONE,
        registered_at=at("2026-11-01"),
    )
    registration_create(
        actor=m2,
        project=project,
        customer_name="赵先生",
        customer_phone="13812345679",
        registered_at=at("2026-11-01"),
    )
    visit_record(
        actor=office,
        project=project,
        customer_name="赵先生",
        customer_phone=PHONE,
        visited_at=at("2026-11-02"),
        property_type="high_rise",
        marketer=m2.staff,
        status="confirmed",
    )
    signing = sign(office, project)
    assert signing.marketer == m1.staff
    signing.customer.refresh_from_db()
    assert signing.customer.status == CustomerStatus.SIGNED
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.VISITED


def test_a_locked_customer_cannot_be_signed_to_someone_else(office, project, m1, m2):
    registration_create(
        actor=m1,
        project=project,
        customer_name="赵先生",
        customer_phone=PHONE,
        registered_at=at("2026-11-01"),
    )
    visit_record(
        actor=office,
        project=project,
        customer_name="赵先生",
        customer_phone=PHONE,
        visited_at=at("2026-11-02"),
        property_type="high_rise",
        marketer=m1.staff,
        status="confirmed",
    )
    with pytest.raises(ValidationError) as exc:
        sign(office, project, marketer=m2.staff)
    assert m1.staff.name in exc.value.message_dict["marketer"][0]
    assert not Signing.objects.exists()


def test_other_channels_registrations_close_as_lost_when_signed(office, project, m1, make_login):
    partner_user = make_login(Role.PARTNER)
    lost = registration_create(
        actor=partner_user,
        project=project,
        customer_name="赵先生",
        customer_phone=PHONE,
        registered_at=at("2026-09-01"),
    )
    sign(office, project, marketer=m1.staff)
    lost.refresh_from_db()
    assert lost.status == RegistrationStatus.LOST


def test_manager_override_moves_attribution_and_standing_signings_with_an_audit(
    office, project, m1, m2, manager
):
    signing = sign(office, project, marketer=m1.staff)
    override = customer_attribution_override(
        actor=manager, customer=signing.customer, marketer=m2.staff, reason="客户确认由m2接待"
    )
    signing.refresh_from_db()
    assert signing.marketer == m2.staff
    assert override.before["marketer"] is None
    assert override.after["marketer"] == m2.staff.pk
    override.refresh_from_db()
    assert override.before["signings"] == {
        str(signing.pk): {"marketer": m1.staff.pk, "partner": None}
    }
    assert override.actor == manager


def test_only_a_manager_overrides_and_a_reason_is_required(office, project, m1, m2, manager):
    signing = sign(office, project, marketer=m1.staff)
    with pytest.raises(ValidationError):
        customer_attribution_override(
            actor=office, customer=signing.customer, marketer=m2.staff, reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        customer_attribution_override(
            actor=manager, customer=signing.customer, marketer=m2.staff, reason=" "
        )
    assert "reason" in exc.value.message_dict


def test_cancel_keeps_history_and_frees_the_unit(office, project, m1):
    signing = sign(office, project, marketer=m1.staff)
    cancelled = signing_cancel(
        actor=office, signing=signing, cancelled_on=date(2026, 11, 10), reason="客户资金问题"
    )
    assert (cancelled.status, cancelled.cancelled_on) == (
        SigningStatus.CANCELLED,
        date(2026, 11, 10),
    )
    cancelled.customer.refresh_from_db()
    assert cancelled.customer.status == CustomerStatus.CANCELLED
    resold = sign(office, project, marketer=m1.staff, on=date(2026, 11, 12))
    assert resold.unit == signing.unit
    assert Signing.objects.count() == 2


@pytest.mark.parametrize(
    ("cancelled_on", "field"),
    [(date(2026, 11, 2), "cancelled_on"), (date(2099, 1, 1), "cancelled_on")],
)
def test_cancel_date_must_be_between_signing_and_today(office, project, m1, cancelled_on, field):
    signing = sign(office, project, marketer=m1.staff)
    with pytest.raises(ValidationError) as exc:
        signing_cancel(actor=office, signing=signing, cancelled_on=cancelled_on)
    assert field in exc.value.message_dict
    signing.refresh_from_db()
    assert signing.status == SigningStatus.SIGNED


def test_cancelling_twice_is_refused(office, project, m1):
    signing = sign(office, project, marketer=m1.staff)
    signing_cancel(actor=office, signing=signing, cancelled_on=date(2026, 11, 10))
    with pytest.raises(ValidationError):
        signing_cancel(actor=office, signing=signing, cancelled_on=date(2026, 11, 11))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-100.00"}, "amount"),
        ({"area": Decimal("0")}, "area"),
        ({"on": date(2099, 1, 1)}, "signed_on"),
        ({"customer_phone": "02212345678"}, "customer_phone"),
        ({"property_type": "villa"}, "property_type"),
        ({"unit": "  "}, "unit"),
    ],
)
def test_bad_signing_is_refused_and_nothing_written(office, project, m1, changes, field):
    with pytest.raises(ValidationError) as exc:
        sign(office, project, marketer=m1.staff, **changes)
    assert field in exc.value.message_dict
    assert not Signing.objects.exists()


def test_a_unit_sells_once(office, project, m1):
    sign(office, project, marketer=m1.staff)
    with pytest.raises(ValidationError) as exc:
        sign(office, project, marketer=m1.staff, customer_phone="13900001111")
    assert "unit" in exc.value.message_dict


def test_payments_and_mortgages(office, project, m1):
    signing = sign(office, project, marketer=m1.staff)
    payment_record(
        actor=office,
        signing=signing,
        kind="down_payment",
        amount=Decimal("360000.00"),
        paid_on=date(2026, 11, 4),
    )
    with pytest.raises(ValidationError) as exc:
        payment_record(
            actor=office,
            signing=signing,
            kind="installment",
            amount=Decimal("0"),
            paid_on=date(2026, 11, 4),
        )
    assert "amount" in exc.value.message_dict
    mortgage = mortgage_record(
        actor=office,
        signing=signing,
        bank="建设银行",
        amount=Decimal("840000.00"),
        applied_on=date(2026, 11, 5),
    )
    with pytest.raises(ValidationError) as exc:
        mortgage_update(actor=office, mortgage=mortgage, status=MortgageStatus.DISBURSED)
    assert "disbursed_on" in exc.value.message_dict
    mortgage_update(
        actor=office, mortgage=mortgage, status=MortgageStatus.DISBURSED, disbursed_on=local_today()
    )
    assert Payment.objects.count() == 1
    assert Mortgage.objects.get().status == MortgageStatus.DISBURSED


def test_mortgage_cannot_exceed_the_signing(office, project, m1):
    signing = sign(office, project, marketer=m1.staff)
    with pytest.raises(ValidationError) as exc:
        mortgage_record(
            actor=office,
            signing=signing,
            bank="工商银行",
            amount=Decimal("1200000.01"),
            applied_on=date(2026, 11, 5),
        )
    assert "amount" in exc.value.message_dict

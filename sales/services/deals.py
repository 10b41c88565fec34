"""Subscriptions (认购), signings (签约) with 退房, payments (回款) and mortgages (按揭)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.periods import local_today
from partners.models import Partner
from sales.choices import (
    CustomerStatus,
    MortgageStatus,
    RegistrationStatus,
    SigningStatus,
    SubscriptionStatus,
)
from sales.models import Customer, Mortgage, Payment, Project, Signing, Staff, Subscription
from sales.selectors.customers import (
    PROTECTING,
    Channel,
    owner_of,
    phone_as_stored,
    project_phone,
)
from sales.services.customers import customer_get_or_create, customer_status_advance
from sales.services.notices import signing_notify, subscription_notify
from sales.services.plausibility import business_date_errors, deal_amount_errors

# No one unit has more floor area than this (m²): more is a typo (a price in the area column).
MAX_AREA = Decimal("10000")


def _check_deal_fields(
    *,
    project: Project,
    property_type: str,
    amount: Decimal,
    on: date,
    on_field: str,
    area: Decimal | None = None,
) -> None:
    errors: dict[str, str] = deal_amount_errors(project=project, amount=amount, field="amount")
    if area is not None and area <= 0:
        errors["area"] = _("The area must be greater than 0 m².")
    elif area is not None and area > MAX_AREA:
        errors["area"] = _("%(area)s m² is more than one unit can be; check the digits.") % {
            "area": area
        }
    if property_type not in project.property_types:
        errors["property_type"] = _("%(project)s does not sell this property type.") % {
            "project": project.name
        }
    errors.update(business_date_errors(on=on, field=on_field))
    if errors:
        raise ValidationError(errors)


def _credit(*, customer: Customer, marketer: Staff | None, partner: Partner | None) -> Channel:
    """Credit a deal to whom it was given to, else the customer's attributed channel; a
    standing attribution lock cannot be bypassed here (a manager overrides it instead)."""
    owner = owner_of(customer)
    if not marketer and not partner:
        return owner
    given = Channel(marketer=marketer, partner=partner)
    lock = customer.owner_locked_until
    if (
        lock
        and lock >= local_today()
        and owner.key != (None, None)
        and not (
            (marketer and owner.marketer == marketer) or (partner and owner.partner == partner)
        )
    ):
        raise ValidationError(
            {
                "marketer" if marketer else "partner": _(
                    "This customer is attributed to %(owner)s until %(until)s; "
                    "a channel manager can override the attribution."
                )
                % {"owner": owner.label(), "until": lock.isoformat()}
            }
        )
    return given


@transaction.atomic
def subscription_record(
    *,
    actor,
    project: Project,
    customer_name: str,
    customer_phone: str,
    unit: str,
    property_type: str,
    amount: Decimal,
    subscribed_on: date,
    marketer: Staff | None = None,
    partner: Partner | None = None,
) -> Subscription:
    """认购: a unit reserved by a customer."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    full, key = project_phone(project=project, phone=customer_phone)
    _check_deal_fields(
        project=project,
        property_type=property_type,
        amount=amount,
        on=subscribed_on,
        on_field="subscribed_on",
    )
    customer = customer_get_or_create(project=project, name=customer_name, full=full, key=key)
    credit = _credit(customer=customer, marketer=marketer, partner=partner)
    subscription = Subscription.objects.create(
        project=project,
        customer=customer,
        marketer=credit.marketer,
        partner=credit.partner,
        unit=unit.strip(),
        property_type=property_type,
        amount=amount,
        subscribed_on=subscribed_on,
        created_by=actor,
    )
    customer_status_advance(customer=customer, status=CustomerStatus.SUBSCRIBED)
    subscription_notify(subscription=subscription)
    return subscription


@transaction.atomic
def signing_record(
    *,
    actor,
    project: Project,
    customer_name: str,
    customer_phone: str,
    unit: str,
    property_type: str,
    area: Decimal,
    amount: Decimal,
    signed_on: date,
    marketer: Staff | None = None,
    partner: Partner | None = None,
    subscription: Subscription | None = None,
) -> Signing:
    """签约: a signed unit, credited per attribution; other channels' claims are closed."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    full, key = project_phone(project=project, phone=customer_phone)
    _check_deal_fields(
        project=project,
        property_type=property_type,
        amount=amount,
        area=area,
        on=signed_on,
        on_field="signed_on",
    )
    unit = unit.strip()
    if not unit:
        raise ValidationError({"unit": _("Enter the unit, e.g. 3-1502.")})
    if Signing.objects.filter(project=project, unit=unit, status=SigningStatus.SIGNED).exists():
        raise ValidationError(
            {
                "unit": _("Unit %(unit)s is already signed at %(project)s.")
                % {"unit": unit, "project": project.name}
            }
        )
    if subscription is not None and subscription.project_id != project.pk:
        raise ValidationError({"subscription": _("That subscription is for another project.")})
    customer = customer_get_or_create(project=project, name=customer_name, full=full, key=key)
    credit = _credit(customer=customer, marketer=marketer, partner=partner)
    signing = Signing.objects.create(
        project=project,
        customer=customer,
        subscription=subscription,
        customer_name=customer_name.strip(),
        customer_phone=phone_as_stored(full=full, key=key),
        marketer=credit.marketer,
        partner=credit.partner,
        unit=unit,
        property_type=property_type,
        area=area,
        amount=amount,
        signed_on=signed_on,
        created_by=actor,
    )
    if subscription is not None:
        Subscription.objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.SIGNED)
    _close_other_claims(customer=customer, credit=credit)
    customer_status_advance(customer=customer, status=CustomerStatus.SIGNED)
    signing_notify(signing=signing)
    return signing


def _close_other_claims(*, customer: Customer, credit: Channel) -> None:
    """Registrations of other channels end as 'closed by another channel' (他人成交)."""
    others = customer.registrations.filter(status__in=PROTECTING)
    if credit.marketer:
        others = others.exclude(marketer=credit.marketer)
    if credit.partner:
        others = others.exclude(partner=credit.partner)
    others.update(status=RegistrationStatus.LOST)


@transaction.atomic
def signing_cancel(*, actor, signing: Signing, cancelled_on: date, reason: str = "") -> Signing:
    """退房: cancel a signing on a date; its history stays, the incentive engine claws back."""
    signing = Signing.objects.select_for_update().get(pk=signing.pk)
    if signing.status == SigningStatus.CANCELLED:
        raise ValidationError(
            {
                "status": _("This signing was already cancelled on %(on)s.")
                % {"on": signing.cancelled_on.isoformat()}
            }
        )
    if cancelled_on < signing.signed_on:
        raise ValidationError(
            {
                "cancelled_on": _("A signing cannot be cancelled before %(on)s.")
                % {"on": signing.signed_on.isoformat()}
            }
        )
    if cancelled_on > local_today():
        raise ValidationError({"cancelled_on": _("The date cannot be in the future.")})
    signing.status = SigningStatus.CANCELLED
    signing.cancelled_on = cancelled_on
    signing.cancel_reason = (reason or "").strip()[:300]
    signing.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    customer = signing.customer
    if not customer.signings.filter(status=SigningStatus.SIGNED).exists():
        customer.status = CustomerStatus.CANCELLED
        customer.save(update_fields=["status"])
    signing_notify(signing=signing, cancelled=True)
    return signing


@transaction.atomic
def payment_record(
    *, actor, signing: Signing, kind: str, amount: Decimal, paid_on: date, note: str = ""
) -> Payment:
    """回款: money received against a standing signing."""
    errors = deal_amount_errors(project=signing.project, amount=amount, field="amount")
    errors.update(business_date_errors(on=paid_on, field="paid_on"))
    if signing.status != SigningStatus.SIGNED:
        errors["signing"] = _("This signing was cancelled (退房).")
    if errors:
        raise ValidationError(errors)
    return Payment.objects.create(
        signing=signing, kind=kind, amount=amount, paid_on=paid_on, note=note, created_by=actor
    )


@transaction.atomic
def mortgage_record(
    *,
    actor,
    signing: Signing,
    bank: str,
    amount: Decimal,
    applied_on: date,
    status: str = MortgageStatus.APPLIED,
    disbursed_on: date | None = None,
) -> Mortgage:
    """按揭: a loan against a signing, from application to disbursement."""
    mortgage = Mortgage(
        signing=signing,
        bank=bank.strip(),
        amount=amount,
        applied_on=applied_on,
        status=status,
        disbursed_on=disbursed_on,
        created_by=actor,
    )
    _check_mortgage(mortgage=mortgage)
    mortgage.save()
    return mortgage


@transaction.atomic
def mortgage_update(*, actor, mortgage: Mortgage, **changes) -> Mortgage:
    """Move a mortgage along (approved, disbursed with its date, rejected)."""
    mortgage = Mortgage.objects.select_for_update().get(pk=mortgage.pk)
    for field in ("bank", "amount", "status", "applied_on", "disbursed_on"):
        if field in changes:
            setattr(mortgage, field, changes[field])
    _check_mortgage(mortgage=mortgage)
    mortgage.save()
    return mortgage


def _check_mortgage(*, mortgage: Mortgage) -> None:
    errors = {}
    if mortgage.amount is None or mortgage.amount <= 0:
        errors["amount"] = _("The amount must be greater than 0.")
    if mortgage.amount and mortgage.signing.amount and mortgage.amount > mortgage.signing.amount:
        errors["amount"] = _("A mortgage cannot exceed the signing amount.")
    errors.update(business_date_errors(on=mortgage.applied_on, field="applied_on"))
    if mortgage.status == MortgageStatus.DISBURSED and not mortgage.disbursed_on:
        errors["disbursed_on"] = _("Give the disbursement date.")
    if mortgage.disbursed_on and mortgage.disbursed_on < mortgage.applied_on:
        errors["disbursed_on"] = _("Disbursement cannot precede the application.")
    if mortgage.disbursed_on and mortgage.disbursed_on > local_today():
        errors["disbursed_on"] = _("The date cannot be in the future.")
    if mortgage.signing.status != "signed" and mortgage._state.adding:
        errors["signing"] = _("This signing was cancelled (退房).")
    if errors:
        raise ValidationError(errors)

"""Bulk facts for incentive tests: valid visits and signings written directly (the sales
services that derive them are tested on their own in tests/sales)."""

import itertools
from datetime import date, datetime
from decimal import Decimal

from common.periods import SHANGHAI
from sales.models import Customer, Signing, Staff, Visit

_phones = itertools.count(13000000000)


def _customer(project) -> Customer:
    phone = str(next(_phones))
    return Customer.objects.create(
        project=project, name="客户", phone=phone, phone_key=phone[:3] + phone[-4:]
    )


def valid_visits(marketer: Staff, n: int, day: date, *, property_type="high_rise") -> None:
    """n valid visits credited to a marketer on a local day, one customer each."""
    project = marketer.team.project
    customers = Customer.objects.bulk_create(
        Customer(
            project=project, name="客户", phone=(p := str(next(_phones))), phone_key=p[:3] + p[-4:]
        )
        for _ in range(n)
    )
    at = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    Visit.objects.bulk_create(
        Visit(
            project=project,
            customer=c,
            customer_name=c.name,
            customer_phone=c.phone,
            marketer=marketer,
            brought_marketer=marketer,
            visited_at=at,
            property_type=property_type,
            status="confirmed",
            is_valid=True,
        )
        for c in customers
    )


def signing(
    marketer: Staff, amount: str, on: date, *, property_type="high_rise", unit=None, project=None
) -> Signing:
    project = project or marketer.team.project
    customer = _customer(project)
    return Signing.objects.create(
        project=project,
        customer=customer,
        customer_name=customer.name,
        customer_phone=customer.phone,
        marketer=marketer,
        unit=unit or f"u{customer.pk}",
        property_type=property_type,
        area=Decimal("100"),
        amount=Decimal(amount),
        signed_on=on,
    )

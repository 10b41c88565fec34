"""Whose statement it is hears that it was approved and paid: the marketer, or every portal
login of the partner; one at a time or in a batch, once each."""

from decimal import Decimal

import pytest
from django.utils import timezone

from common.models import Notification
from common.periods import local_today, month_of
from common.roles import Role
from incentives.models import Statement
from incentives.services.statements import (
    statement_approve,
    statement_mark_paid,
    statements_approve_batch,
    statements_mark_paid,
)
from sales.models import Staff
from tests.factories.org import PartnerFactory

pytestmark = pytest.mark.django_db


def draft(**owner) -> Statement:
    return Statement.objects.create(
        period=month_of(local_today()).code,
        total_amount=Decimal("1234.00"),
        computed_at=timezone.now(),
        **owner,
    )


def test_a_marketer_hears_their_statement_was_approved_then_paid(make_login):
    manager, marketer_user = make_login(Role.MANAGER), make_login(Role.MARKETER)
    statement = draft(staff=Staff.objects.get(user=marketer_user))
    statement_approve(actor=manager, statement=statement)
    statement_mark_paid(actor=manager, statement=statement)
    notes = Notification.objects.filter(user=marketer_user).order_by("id")
    assert [note.kind for note in notes] == ["statement_approved", "statement_paid"]
    assert notes[1].facts == {"period": statement.period, "paid_on": local_today().isoformat()}
    assert notes[0].link == f"/incentives/statements/{statement.pk}/"


def test_a_batch_tells_each_owner_once(make_login):
    manager = make_login(Role.MANAGER)
    partner = PartnerFactory()
    logins = [make_login(Role.PARTNER, partner=partner) for _ in range(2)]
    marketer_user = make_login(Role.MARKETER)
    ids = [draft(partner=partner).pk, draft(staff=Staff.objects.get(user=marketer_user)).pk]
    statements_approve_batch(actor=manager, statement_ids=ids)
    statements_approve_batch(actor=manager, statement_ids=ids)  # nothing left to approve
    statements_mark_paid(actor=manager, statement_ids=ids, paid_on=local_today())
    for user in [*logins, marketer_user]:
        kinds = sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))
        assert kinds == ["statement_approved", "statement_paid"]
    partner_note = Notification.objects.filter(user=logins[0]).first()
    assert partner_note.link.startswith("/partners/portal/statements/")

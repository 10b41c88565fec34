"""The audit log of statement decisions: who approved, adjusted and marked paid each marketer's
and partner's statement, when, and what changed."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.models import AuditEntry
from common.roles import Role
from incentives.models import Statement
from incentives.services import (
    period_compute,
    statement_adjust,
    statement_approve,
    statement_mark_paid,
    statements_approve,
)
from sales.models import Signing
from tests.factories.activity import signing
from tests.factories.org import PartnerFactory, marketer
from tests.factories.partners import PartnerContractFactory
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db


def entries_of(statement: Statement) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Statement), object_id=statement.pk
        ).order_by("created_at", "id")
    )


@pytest.fixture
def partner_statement(plan, team) -> Statement:
    partner = PartnerFactory()
    PartnerContractFactory(
        partner=partner, status="active", start_on=date(2026, 1, 1), end_on=date(2026, 12, 31)
    )
    deal = signing(marketer(team), "1000000.00", date(2026, 10, 9))
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)
    period_compute(period=OCT, now=AFTER_OCT)
    return Statement.objects.get(partner=partner, period=OCT)


def test_adjust_approve_and_mark_paid_record_who_when_and_what(plan, team, make_login):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(staff=m)
    statement_adjust(
        actor=manager, statement=statement, amount=Decimal("-88.50"), reason="迟到扣款"
    )
    statement_approve(actor=manager, statement=statement)
    statement_mark_paid(actor=manager, statement=statement)

    adjusted, approved, paid = entries_of(statement)
    assert [e.action for e in (adjusted, approved, paid)] == [
        "statement.adjusted",
        "statement.approved",
        "statement.paid",
    ]
    assert {e.actor for e in (adjusted, approved, paid)} == {manager}
    assert all(e.created_at for e in (adjusted, approved, paid))
    assert adjusted.changes["adjustment"]["amount"] == "-88.50"
    assert adjusted.changes["adjustment"]["reason"] == "迟到扣款"
    assert adjusted.changes["total_amount"] == {"before": "2500.00", "after": "2411.50"}
    assert adjusted.summary == "迟到扣款"
    assert (adjusted.changes["staff"], adjusted.changes["period"]) == (m.pk, OCT)
    assert approved.changes["status"] == {"before": "draft", "after": "approved"}
    assert approved.changes["approved_by"] == {"before": None, "after": manager.pk}
    assert approved.changes["approved_at"]["after"]
    assert paid.changes["status"] == {"before": "approved", "after": "paid"}
    assert paid.changes["paid_at"]["before"] is None and paid.changes["paid_at"]["after"]


def test_partner_statement_decisions_are_audited_too(partner_statement, make_login):
    manager = make_login(Role.MANAGER)
    statement_adjust(
        actor=manager, statement=partner_statement, amount=Decimal("200"), reason="推广补贴"
    )
    statement_approve(actor=manager, statement=partner_statement)
    statement_mark_paid(actor=manager, statement=partner_statement)
    entries = entries_of(partner_statement)
    assert [e.action for e in entries] == [
        "statement.adjusted",
        "statement.approved",
        "statement.paid",
    ]
    assert all(e.changes["partner"] == partner_statement.partner_id for e in entries)
    assert entries[0].changes["adjustment"]["amount"] == "200.00"
    assert entries[2].actor == manager


def test_the_partner_api_records_who_marked_it_paid(partner_statement, client_as):
    manager = client_as(Role.MANAGER)
    url = f"/api/v1/partner-statements/{partner_statement.pk}"
    assert manager.post(f"{url}/approve/").status_code == 200
    assert manager.post(f"{url}/mark-paid/").status_code == 200
    paid = entries_of(partner_statement)[-1]
    assert (paid.action, paid.actor) == ("statement.paid", manager.user)


def test_a_refused_decision_records_nothing(plan, team, make_login):
    m = marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(staff=m)
    with pytest.raises(ValidationError):
        statement_mark_paid(actor=make_login(Role.MANAGER), statement=statement)
    with pytest.raises(ValidationError):
        statement_approve(actor=make_login(Role.SUPERVISOR), statement=statement)
    assert entries_of(statement) == []


def test_approve_many_audits_each_statement_in_a_constant_number_of_queries(plan, team, make_login):
    manager = make_login(Role.MANAGER)

    def approve_new(n: int) -> tuple[list[int], int]:
        people = [marketer(team) for _ in range(n)]
        period_compute(period=OCT, now=AFTER_OCT)
        ids = list(Statement.objects.filter(staff__in=people).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as ctx:
            assert statements_approve(actor=manager, statement_ids=ids) == n
        return ids, len(ctx.captured_queries)

    few_ids, few = approve_new(2)
    many_ids, many = approve_new(20)
    assert many == few
    for pk in few_ids + many_ids:
        (entry,) = entries_of(Statement.objects.get(pk=pk))
        assert (entry.action, entry.actor) == ("statement.approved", manager)
        assert entry.changes["status"] == {"before": "draft", "after": "approved"}
        assert entry.changes["staff"] == Statement.objects.get(pk=pk).staff_id
    # Already approved: nothing approved again, nothing logged again.
    assert statements_approve(actor=manager, statement_ids=few_ids) == 0
    assert AuditEntry.objects.filter(action="statement.approved").count() == 22

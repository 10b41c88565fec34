"""Partners' commission statements: contract terms, milestones, idempotence, clawback."""

from datetime import date
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.models import Statement
from incentives.services import period_compute, statement_approve
from sales.models import Mortgage, Payment, Signing
from tests.factories.activity import signing
from tests.factories.org import PartnerFactory, marketer
from tests.factories.partners import PartnerContractFactory
from tests.helpers import AFTER_OCT, OCT, shanghai

pytestmark = pytest.mark.django_db


def partner_deal(partner, team, amount="1000000.00", on=date(2026, 10, 9)) -> Signing:
    deal = signing(marketer(team), amount, on)
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)
    deal.refresh_from_db()
    return deal


def contract(partner, **kw):
    defaults = {"status": "active", "start_on": date(2026, 1, 1), "end_on": date(2026, 12, 31)}
    return PartnerContractFactory(partner=partner, **{**defaults, **kw})


def partner_lines(partner, period=OCT):
    statement = Statement.objects.filter(partner=partner, period=period).first()
    return [] if statement is None else [(line.kind, line.amount) for line in statement.lines.all()]


def test_per_unit_commission_on_signing(plan, team):
    p = PartnerFactory()
    contract(p, fee_mode="per_unit", fee_value=Decimal("3000"))
    partner_deal(p, team)
    period_compute(period=OCT, now=AFTER_OCT)
    assert partner_lines(p) == [("commission", Decimal("3000.00"))]
    assert Statement.objects.get(partner=p).total_amount == Decimal("3000.00")
    assert Statement.objects.get(partner=p).staff is None


def test_percentage_commission_earned_on_down_payment_month(plan, team):
    p = PartnerFactory()
    contract(p, fee_mode="percent", fee_value=Decimal("1.50"), fee_milestone="down_payment")
    deal = partner_deal(p, team, amount="2000000.00", on=date(2026, 10, 20))
    Payment.objects.create(
        signing=deal, kind="down_payment", amount=Decimal("600000"), paid_on=date(2026, 11, 3)
    )
    period_compute(period=OCT, now=AFTER_OCT)
    assert partner_lines(p) == []
    period_compute(period="2026-11", now=shanghai("2026-12-01"))
    assert partner_lines(p, "2026-11") == [("commission", Decimal("30000.00"))]


def test_mortgage_milestone_waits_for_disbursement(plan, team):
    p = PartnerFactory()
    contract(p, fee_milestone="mortgage_disbursement")
    deal = partner_deal(p, team)
    Mortgage.objects.create(
        signing=deal, bank="建行", amount=Decimal("500000"), applied_on=date(2026, 10, 10)
    )
    period_compute(period=OCT, now=AFTER_OCT)
    assert partner_lines(p) == []


def test_no_contract_in_force_is_explained_with_a_zero_line(plan, team):
    p = PartnerFactory()
    contract(p, start_on=date(2026, 11, 1))
    partner_deal(p, team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(partner=p)
    assert [(line.amount, "no contract" in line.description) for line in statement.lines.all()] == [
        (Decimal("0.00"), True)
    ]


def test_recompute_is_identical_and_cancellation_after_approval_claws_back(plan, team, make_login):
    p = PartnerFactory()
    contract(p)
    deal = partner_deal(p, team)
    period_compute(period=OCT, now=AFTER_OCT)
    period_compute(period=OCT, now=shanghai("2026-11-02"))
    assert Statement.objects.filter(partner=p).count() == 1
    assert partner_lines(p) == [("commission", Decimal("1000.00"))]
    statement_approve(actor=make_login(Role.MANAGER), statement=Statement.objects.get(partner=p))
    Signing.objects.filter(pk=deal.pk).update(
        status="cancelled", cancelled_on=date(2026, 11, 4), cancel_reason="客户退房"
    )
    period_compute(period="2026-11", now=shanghai("2026-11-20"))
    november = Statement.objects.get(partner=p, period="2026-11")
    [clawback] = november.lines.all()
    assert (clawback.kind, clawback.amount) == ("clawback", Decimal("-1000.00"))
    assert "客户退房" in clawback.description


def test_partner_statement_api_scoping(client_as, make_login, plan, team):
    mine, theirs = PartnerFactory(), PartnerFactory()
    for p in (mine, theirs):
        contract(p)
        partner_deal(p, team)
    period_compute(period=OCT, now=AFTER_OCT)
    user = make_login(Role.PARTNER, partner=mine)
    partner_client = client_as(Role.PARTNER, user=user)
    assert partner_client.get("/api/v1/partner-statements/").json()["count"] == 0  # drafts hidden
    manager = client_as(Role.MANAGER)
    own = Statement.objects.get(partner=mine)
    other = Statement.objects.get(partner=theirs)
    approved = manager.post(f"/api/v1/partner-statements/{own.pk}/approve/")
    assert approved.json()["status"] == "approved"
    rows = partner_client.get("/api/v1/partner-statements/").json()["results"]
    assert [(r["id"], r["total"]) for r in rows] == [(own.pk, "1000.00")]
    assert partner_client.get(f"/api/v1/partner-statements/{other.pk}/").status_code == 404
    assert partner_client.post(f"/api/v1/partner-statements/{own.pk}/approve/").status_code in (
        403,
        404,
    )
    assert partner_client.get("/api/v1/statements/").json()["count"] == 0

"""Each fact has one definition (sales.selectors.facts): its Q and its predicate agree on a table
of cases, and the pure rules that judge the same fact on dataclasses agree with both."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db.models import Q

from common.periods import SHANGHAI, parse_period
from incentives.rules.commission import SigningFacts
from incentives.rules.commission import signing_counts as rule_signing_counts
from incentives.rules.partner import ContractTerms, partner_commission_line
from sales.choices import SigningStatus, VisitStatus
from sales.models import Customer, Signing, Visit
from sales.selectors import facts
from tests.factories.activity import signing as signing_row
from tests.factories.org import marketer

NOV = parse_period("2026-11")
W47 = parse_period("2026-W47")  # 2026-11-16 .. 2026-11-22
D = date

# (signed_on, cancelled_on, period, computed_on) → counts
SIGNING_CASES = [
    ((D(2026, 11, 3), None, NOV, D(2026, 12, 1)), True),
    ((D(2026, 11, 1), None, NOV, D(2026, 12, 1)), True),
    ((D(2026, 11, 30), None, NOV, D(2026, 12, 1)), True),
    ((D(2026, 10, 31), None, NOV, D(2026, 12, 1)), False),
    ((D(2026, 12, 1), None, NOV, D(2026, 12, 1)), False),
    ((D(2026, 11, 3), D(2026, 11, 20), NOV, D(2026, 12, 1)), False),
    ((D(2026, 11, 3), D(2026, 12, 1), NOV, D(2026, 12, 1)), False),
    ((D(2026, 11, 3), D(2026, 12, 2), NOV, D(2026, 12, 1)), True),
    ((D(2026, 11, 3), D(2026, 11, 20), NOV, D(2026, 11, 19)), True),
    ((D(2026, 10, 20), D(2026, 11, 5), NOV, D(2026, 12, 1)), False),
    ((D(2026, 11, 18), None, W47, D(2026, 11, 23)), True),
    ((D(2026, 11, 23), None, W47, D(2026, 11, 23)), False),
]


def _status(cancelled_on):
    # The database ties the two: cancelled iff cancelled_on is set (signing_cancelled_on_iff_…).
    return SigningStatus.SIGNED if cancelled_on is None else SigningStatus.CANCELLED


@pytest.mark.parametrize(("case", "counts"), SIGNING_CASES)
def test_the_signing_predicate_reads_the_fact_as_spec_says(case, counts):
    signed_on, cancelled_on, period, computed_on = case
    assert (
        facts.signing_counts(
            signed_on=signed_on,
            status=_status(cancelled_on),
            cancelled_on=cancelled_on,
            period=period,
            computed_on=computed_on,
        )
        is counts
    )
    assert facts.signing_stands(
        status=_status(cancelled_on), cancelled_on=cancelled_on, computed_on=computed_on
    ) is (cancelled_on is None or cancelled_on > computed_on)


def test_the_facts_reach_through_a_relation_with_the_same_lookups():
    on = D(2026, 12, 1)
    cancelled = Q(signing__status=SigningStatus.CANCELLED, signing__cancelled_on__lte=on)
    assert facts.cancelled_signing_q(computed_on=on, via="signing__") == cancelled
    assert facts.counted_signing_q(period=NOV, computed_on=on, via="signing__") == (
        Q(signing__signed_on__gte=NOV.start, signing__signed_on__lte=NOV.end) & ~cancelled
    )
    assert facts.valid_visit_q(via="visit__") == Q(visit__is_valid=True)


@pytest.mark.django_db
def test_the_signing_queryset_counts_exactly_what_the_predicate_counts():
    someone = marketer()
    rows = []
    for n, ((signed_on, cancelled_on, _, _), _) in enumerate(SIGNING_CASES):
        row = signing_row(someone, "1000000", signed_on, unit=f"f{n}")
        if cancelled_on is not None:
            Signing.objects.filter(pk=row.pk).update(
                status=SigningStatus.CANCELLED, cancelled_on=cancelled_on
            )
        rows.append(row)
    for row, ((_, _, period, computed_on), counts) in zip(rows, SIGNING_CASES, strict=True):
        counted = facts.counted_signings(period=period, computed_on=computed_on)
        assert counted.filter(pk=row.pk).exists() is counts, (row.signed_on, period)


@pytest.mark.parametrize(("case", "counts"), [c for c in SIGNING_CASES if c[0][2] == NOV])
def test_the_pure_rules_agree_with_the_fact(case, counts):
    signed_on, cancelled_on, month, computed_on = case
    deal = SigningFacts(
        signing_id=1,
        property_type="high_rise",
        amount=Decimal("1000000"),
        signed_on=signed_on,
        cancelled_on=cancelled_on,
    )
    assert rule_signing_counts(deal, month=month, computed_on=computed_on) is counts
    terms = ContractTerms(contract_id=1, code="HT-1", fee_mode="per_unit", fee_value=Decimal(1))
    line = partner_commission_line(
        terms, signing=deal, milestone_on=signed_on, month=month, computed_on=computed_on
    )
    assert (line is not None) is counts


def _at(*parts):
    return datetime(*parts, tzinfo=SHANGHAI)


# (is_valid, visited_at, period) → a valid visit in the period
VISIT_CASES = [
    ((True, _at(2026, 11, 3, 10), NOV), True),
    ((True, _at(2026, 11, 1, 0, 0), NOV), True),
    ((True, _at(2026, 11, 30, 23, 59, 59), NOV), True),
    ((True, _at(2026, 10, 31, 23, 59, 59), NOV), False),
    ((True, _at(2026, 12, 1, 0, 0), NOV), False),
    ((False, _at(2026, 11, 3, 10), NOV), False),
    ((True, _at(2026, 11, 22, 23, 0), W47), True),
    ((True, _at(2026, 11, 23, 0, 0), W47), False),
    ((True, _at(2026, 11, 3, 10), None), True),
    ((False, _at(2026, 11, 3, 10), None), False),
]


@pytest.mark.parametrize(("case", "valid"), VISIT_CASES)
def test_the_visit_predicate_reads_the_fact(case, valid):
    is_valid, visited_at, period = case
    assert facts.visit_is_valid(is_valid=is_valid, visited_at=visited_at, period=period) is valid


@pytest.mark.django_db
def test_the_visit_queryset_counts_exactly_what_the_predicate_counts():
    someone = marketer()
    project = someone.team.project
    customer = Customer.objects.create(
        project=project, name="客户", phone="13500005678", phone_key="1355678"
    )
    rows = [
        Visit.objects.create(
            project=project,
            customer=customer,
            customer_name=customer.name,
            customer_phone=customer.phone,
            marketer=someone,
            brought_marketer=someone,
            visited_at=visited_at,
            property_type="high_rise",
            status=VisitStatus.CONFIRMED,
            is_valid=is_valid,
        )
        for (is_valid, visited_at, _), _ in VISIT_CASES
    ]
    for row, ((_, _, period), valid) in zip(rows, VISIT_CASES, strict=True):
        assert facts.valid_visits(period=period).filter(pk=row.pk).exists() is valid

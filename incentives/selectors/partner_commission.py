"""Partners' commission facts: credited signings with their milestone dates, and contract terms."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from common.periods import Period
from incentives.rules import ContractTerms, SigningFacts
from partners.choices import ContractStatus
from partners.models import PartnerContract
from sales.choices import MortgageStatus, PaymentKind
from sales.models import Mortgage, Payment, Signing
from sales.selectors import facts


@dataclass(frozen=True)
class PartnerSigningFacts:
    partner_id: int
    signing: SigningFacts
    down_payment_on: date | None
    disbursed_on: date | None


def partner_signing_facts(*, month: Period, computed_on: date) -> list[PartnerSigningFacts]:
    """Partner-credited signings with a possible milestone in the month (signed, first down
    payment or first disbursement in it), not cancelled by the compute day."""
    first_down_payment = (
        Payment.objects.filter(signing=OuterRef("pk"), kind=PaymentKind.DOWN_PAYMENT)
        .order_by("paid_on")
        .values("paid_on")[:1]
    )
    first_disbursement = (
        Mortgage.objects.filter(signing=OuterRef("pk"), status=MortgageStatus.DISBURSED)
        .order_by("disbursed_on")
        .values("disbursed_on")[:1]
    )
    in_month = {"gte": month.start, "lte": month.end}
    rows = (
        Signing.objects.filter(partner__isnull=False, signed_on__lte=month.end)
        .filter(facts.standing_signing_q(computed_on=computed_on))
        .annotate(dp_on=Subquery(first_down_payment), disb_on=Subquery(first_disbursement))
        .filter(
            Q(**{f"signed_on__{k}": v for k, v in in_month.items()})
            | Q(**{f"dp_on__{k}": v for k, v in in_month.items()})
            | Q(**{f"disb_on__{k}": v for k, v in in_month.items()})
        )
        .order_by("signed_on", "pk")
        .values_list(
            "partner",
            "pk",
            "property_type",
            "amount",
            "signed_on",
            "project__code",
            "project__name",
            "cancelled_on",
            "dp_on",
            "disb_on",
        )
    )
    return [
        PartnerSigningFacts(
            partner_id=partner,
            signing=SigningFacts(
                signing_id=pk,
                property_type=kind,
                amount=amount,
                signed_on=on,
                project_code=code,
                project_name=name,
                cancelled_on=cancelled,
            ),
            down_payment_on=dp_on,
            disbursed_on=disb_on,
        )
        for partner, pk, kind, amount, on, code, name, cancelled, dp_on, disb_on in rows
    ]


@dataclass(frozen=True)
class ContractWindow:
    terms: ContractTerms
    start_on: date
    end_on: date
    terminated_on: date | None


def partner_contract_terms(*, partner_ids: set[int]) -> dict[int, list[ContractWindow]]:
    """Every non-draft contract of these partners with its fee terms and dates (one query)."""
    result: dict[int, list[ContractWindow]] = defaultdict(list)
    contracts = (
        PartnerContract.objects.filter(partner__in=partner_ids)
        .exclude(status=ContractStatus.DRAFT)
        .order_by("start_on", "pk")
    )
    for contract in contracts:
        result[contract.partner_id].append(
            ContractWindow(
                terms=ContractTerms(
                    contract_id=contract.pk,
                    code=contract.code,
                    fee_mode=contract.fee_mode,
                    fee_value=contract.fee_value,
                    milestone=contract.fee_milestone,
                ),
                start_on=contract.start_on,
                end_on=contract.end_on,
                terminated_on=contract.terminated_on,
            )
        )
    return dict(result)


def contract_in_force(windows: list[ContractWindow], *, on: date) -> ContractTerms | None:
    """The contract whose term covers a day (and was not terminated before it)."""
    for window in reversed(windows):
        ended = window.terminated_on if window.terminated_on else window.end_on
        if window.start_on <= on <= min(ended, window.end_on):
            return window.terms
    return None

"""The demo's deals, through the sales services: some customers come back to reserve a unit
(认购) and sign (签约); buyers pay in full or a down payment (首付) with a mortgage (按揭)
that is applied for, approved, disbursed — or rejected; a few signings are cancelled (退房),
one of them after its month's statements were approved (a clawback next month)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError

from common.periods import Period, month_of
from sales.choices import MortgageStatus, PaymentKind
from sales.demo.activity import Day, Prospect
from sales.demo.pools import BANKS
from sales.models import Mortgage, Signing
from sales.services.deals import (
    mortgage_record,
    mortgage_update,
    payment_record,
    signing_cancel,
    signing_record,
    subscription_record,
)

# Of the customers whose first visit was valid, how many reserve a unit.
SUBSCRIBE_SHARE = {False: 0.07, True: 0.15}  # by marketer, by partner (registered, qualified)
FULL_PAYMENT_SHARE = 0.15
DOWN_PAYMENT_RATIOS = (Decimal("0.30"), Decimal("0.30"), Decimal("0.35"), Decimal("0.40"))
LOAN_STEP = Decimal("10000")  # banks lend in whole 万


@dataclass(frozen=True)
class Deal:
    signing: Signing
    mortgage: Mortgage | None


# 退房 after the month was approved, by whom the signing is credited to: the signing's month
# (months before the current one) and the month it is cancelled in. The marketer's clawback
# waits in last month's draft; the partner's is in an approved statement its portal shows.
CANCELLED_AFTER_APPROVAL = {"marketer": (2, 1), "partner": (3, 2)}


def _months_ago(today: date, months: int) -> Period:
    month = month_of(today)
    for _n in range(months):
        month = month.previous()
    return month


def deals_seed(*, log: Day, today: date) -> list[Deal]:
    """认购 a few days after the first visit, 签约 a week or two later, then the money. The
    signings cancellations_seed cancels after approval are sure to be there."""
    rng = log.pools.rng
    sure = _sure_prospects(prospects=log.prospects, today=today)
    deals = []
    for prospect in log.prospects:
        certain = prospect in sure
        if not certain and rng.random() >= SUBSCRIBE_SHARE[prospect.by_partner]:
            continue
        subscribed_on = prospect.visited_on + timedelta(days=rng.randint(0, 3 if certain else 10))
        if subscribed_on > today:
            continue
        signs_after = rng.randint(3, 7 if certain else 15)
        deal = _deal(
            log=log,
            prospect=prospect,
            subscribed_on=subscribed_on,
            signed_on=subscribed_on + timedelta(days=signs_after),
            today=today,
        )
        if deal is not None:
            deals.append(deal)
    return deals


def _sure_prospects(*, prospects: list[Prospect], today: date) -> list[Prospect]:
    """A marketer's and the portal partner's first customer in the first fortnight of the
    month each signing to cancel belongs to (a 3-day reservation and a week to sign keep the
    signing in that month)."""
    sure = []
    for credited, (signed_ago, _cancelled_ago) in CANCELLED_AFTER_APPROVAL.items():
        month = _months_ago(today, signed_ago)
        first = next(
            (
                p
                for p in prospects
                if month.start <= p.visited_on < month.start + timedelta(days=14)
                and (p.portal if credited == "partner" else not p.by_partner)
            ),
            None,
        )
        if first is not None:
            sure.append(first)
    return sure


def _deal(
    *, log: Day, prospect: Prospect, subscribed_on: date, signed_on: date, today: date
) -> Deal | None:
    code = prospect.project.code
    unit = log.pools.unit(code, prospect.property_type)
    area, amount = log.pools.home(code, prospect.property_type)
    customer = {
        "project": prospect.project,
        "customer_name": prospect.name,
        "customer_phone": prospect.phone,
        "unit": unit,
        "property_type": prospect.property_type,
        "amount": amount,
    }
    try:
        subscription = subscription_record(
            actor=log.secretary, subscribed_on=subscribed_on, **customer
        )
    except ValidationError:
        return None
    if signed_on > today:
        return None  # reserved, not signed yet
    signing = signing_record(
        actor=log.secretary, area=area, signed_on=signed_on, subscription=subscription, **customer
    )
    return Deal(signing=signing, mortgage=_money(log=log, signing=signing, today=today))


def _money(*, log: Day, signing: Signing, today: date) -> Mortgage | None:
    """Full payment, or a down payment and a mortgage for the rest (in whole 万)."""
    rng = log.pools.rng
    paid_on = signing.signed_on + timedelta(days=rng.randint(0, 5))
    if rng.random() < FULL_PAYMENT_SHARE:
        if paid_on <= today:
            payment_record(
                actor=log.secretary,
                signing=signing,
                kind=PaymentKind.FULL,
                amount=signing.amount,
                paid_on=paid_on,
                note="一次性付款",
            )
        return None
    ratio = rng.choice(DOWN_PAYMENT_RATIOS)
    loan = (signing.amount * (1 - ratio) / LOAN_STEP).to_integral_value(ROUND_DOWN) * LOAN_STEP
    if paid_on <= today:
        payment_record(
            actor=log.secretary,
            signing=signing,
            kind=PaymentKind.DOWN_PAYMENT,
            amount=signing.amount - loan,
            paid_on=paid_on,
            note=f"首付{int(ratio * 100)}%",
        )
    applied_on = paid_on + timedelta(days=rng.randint(2, 7))
    if applied_on > today:
        return None
    approved_on = applied_on + timedelta(days=rng.randint(7, 18))
    disbursed_on = approved_on + timedelta(days=rng.randint(10, 25))
    status = MortgageStatus.APPLIED
    if disbursed_on <= today:
        status = MortgageStatus.DISBURSED
    elif approved_on <= today:
        status = MortgageStatus.APPROVED
    return mortgage_record(
        actor=log.secretary,
        signing=signing,
        bank=rng.choice(BANKS),
        amount=loan,
        applied_on=applied_on,
        status=status,
        disbursed_on=disbursed_on if status == MortgageStatus.DISBURSED else None,
    )


def _credited(signing: Signing, to: str) -> bool:
    """A marketer's signing, or one of the partner with the portal login (who then sees
    the clawback and its reason)."""
    if to == "marketer":
        return signing.marketer_id is not None
    return signing.partner is not None and signing.partner.members.exists()


def cancellations_seed(*, log: Day, deals: list[Deal], today: date) -> list[Signing]:
    """退房: a marketer's and the portal partner's signing, each cancelled after its month's
    statements were approved (clawbacks, see CANCELLED_AFTER_APPROVAL), and a recent signing
    whose mortgage the bank refused, cancelled since."""
    rng = log.pools.rng
    last_month = month_of(today).previous()
    cancelled = []
    reasons = {"marketer": "客户家庭变故，协商退房", "partner": "客户改购其他楼盘，协商退房"}
    for credited, (signed_ago, cancelled_ago) in CANCELLED_AFTER_APPROVAL.items():
        signed_in, cancelled_in = _months_ago(today, signed_ago), _months_ago(today, cancelled_ago)
        earlier = [
            d.signing
            for d in deals
            if _credited(d.signing, credited) and signed_in.contains(d.signing.signed_on)
        ]
        if earlier:
            on = cancelled_in.start + timedelta(days=rng.randint(3, 20))
            cancelled.append(
                signing_cancel(
                    actor=log.secretary,
                    signing=rng.choice(earlier),
                    cancelled_on=min(on, today),
                    reason=reasons[credited],
                )
            )
    refused = [
        d
        for d in deals
        if d.mortgage is not None
        and d.mortgage.status != MortgageStatus.DISBURSED
        and d.signing.signed_on >= last_month.start
        and d.signing not in cancelled
    ]
    if refused:  # last month's if any is still waiting for its bank, else this month's
        deal = rng.choice(
            [d for d in refused if last_month.contains(d.signing.signed_on)] or refused
        )
        mortgage_update(actor=log.secretary, mortgage=deal.mortgage, status=MortgageStatus.REJECTED)
        cancelled.append(
            signing_cancel(
                actor=log.secretary,
                signing=deal.signing,
                cancelled_on=min(today, deal.mortgage.applied_on + timedelta(days=14)),
                reason="银行按揭审批未通过，客户无力全款",
            )
        )
    return cancelled

"""Channel costs (费效): what the channel department spent in a month."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.periods import MONTH, parse_period_of
from incentives.models import ChannelCost


def cost_check(*, period: str, amount: Decimal) -> str:
    """A cost is entered for a month and is more than 0. Returns the month written
    canonically; both fields' errors are raised together."""
    errors: dict[str, str] = {}
    month = None
    try:
        month = parse_period_of(
            period, (MONTH,), message=_("Costs are entered per month, e.g. 2026-11.")
        )
    except (TypeError, ValueError) as exc:
        errors["period"] = str(exc)
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be greater than 0.")
    if errors:
        raise ValidationError(errors)
    return str(month)


@transaction.atomic
def cost_record(
    *,
    actor,
    category: str,
    period: str,
    amount: Decimal,
    project=None,
    partner=None,
    note: str = "",
) -> ChannelCost:
    """Record money the channel department spent in a month."""
    month = cost_check(period=period, amount=amount)
    return ChannelCost.objects.create(
        category=category,
        period=month,
        amount=amount,
        project=project,
        partner=partner,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def cost_update(
    *,
    actor,
    cost: ChannelCost,
    category: str,
    period: str,
    amount: Decimal,
    project=None,
    partner=None,
    note: str = "",
) -> ChannelCost:
    """Correct a recorded cost; the same checks as recording it (who recorded it stays)."""
    cost.period = cost_check(period=period, amount=amount)
    cost.category, cost.amount, cost.project, cost.partner, cost.note = (
        category,
        amount,
        project,
        partner,
        note,
    )
    cost.save()
    return cost

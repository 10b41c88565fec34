"""Channel costs (费效): what the channel department spent in a month."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.periods import MONTH, parse_period_of
from incentives.models import ChannelCost


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
    message = _("Costs are entered per month, e.g. 2026-11.")
    try:
        month = parse_period_of(period, (MONTH,), message=message)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than 0.")})
    return ChannelCost.objects.create(
        category=category,
        period=str(month),
        amount=amount,
        project=project,
        partner=partner,
        note=note,
        created_by=actor,
    )

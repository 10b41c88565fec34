"""Channel costs (费效): what the channel department spent in a month."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.periods import MONTH, parse_period_of
from incentives.models import ChannelCost
from sales.choices import CampaignStatus
from sales.models import Campaign


def _campaign_errors(*, campaign, project) -> dict[str, str]:
    if campaign is None:
        return {}
    campaign = Campaign.objects.get(pk=campaign.pk)  # as it stands now, not as it was read
    if campaign.status == CampaignStatus.CLOSED:
        return {"campaign": _("This campaign is closed: its effect is final.")}
    if project is not None and not campaign.projects.filter(pk=project.pk).exists():
        return {
            "campaign": _("This campaign does not run at %(project)s.") % {"project": project.name}
        }
    return {}


def cost_check(*, period: str, amount: Decimal, campaign=None, project=None) -> str:
    """A cost is entered for a month and is more than 0; one spent on a campaign names an
    open campaign of its project. Returns the month written canonically; every field's errors
    are raised together."""
    errors: dict[str, str] = _campaign_errors(campaign=campaign, project=project)
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
    campaign=None,
    note: str = "",
) -> ChannelCost:
    """Record money the channel department spent in a month (on a campaign: its spend)."""
    month = cost_check(period=period, amount=amount, campaign=campaign, project=project)
    return ChannelCost.objects.create(
        category=category,
        period=month,
        amount=amount,
        project=project,
        partner=partner,
        campaign=campaign,
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
    campaign=None,
    note: str = "",
) -> ChannelCost:
    """Correct a recorded cost; the same checks as recording it (who recorded it stays)."""
    closed = Campaign.objects.filter(pk=cost.campaign_id, status=CampaignStatus.CLOSED)
    if cost.campaign_id and closed.exists():
        raise ValidationError({"campaign": _("This campaign is closed: its effect is final.")})
    cost.period = cost_check(period=period, amount=amount, campaign=campaign, project=project)
    cost.category, cost.amount, cost.project, cost.partner, cost.campaign, cost.note = (
        category,
        amount,
        project,
        partner,
        campaign,
        note,
    )
    cost.save()
    return cost

"""Closing a campaign with its effect frozen: the effect needs the spend (channel costs, here
in incentives), so the close that stores it is composed here over the sales service."""

from django.db import transaction

from common.periods import local_today
from incentives.selectors.campaigns import campaign_effect, effect_frozen
from sales.models import Campaign
from sales.services.campaigns import campaign_close


@transaction.atomic
def campaign_finish(*, actor, campaign: Campaign) -> Campaign:
    """Close a running campaign: its effect as of today is stored and shown from then on."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    effect = campaign_effect(campaign, today=local_today())
    return campaign_close(actor=actor, campaign=campaign, effect=effect_frozen(effect))

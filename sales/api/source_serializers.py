"""`source` (客户来源) and `campaign` on registrations and visits, and the office's correction."""

from rest_framework import serializers

from common.serializers import ScopedIdRelatedField, Serializer
from sales.choices import CustomerSource
from sales.models import Campaign
from sales.selectors.campaigns import campaign_choice_list


def source_field(**kwargs):
    return serializers.ChoiceField(
        choices=CustomerSource.choices,
        help_text="客户来源; by default from the channel: partner, marketer_outreach, walk_in "
        "(or campaign when a campaign is named).",
        **kwargs,
    )


def campaign_field():
    """A campaign not closed (a partner user: one its partner takes part in)."""
    return ScopedIdRelatedField(
        queryset=Campaign.objects.all(), scope=campaign_choice_list, required=False, allow_null=True
    )


class SourceMixin(serializers.Serializer):
    """`source` (客户来源) and `campaign` of a registration or a visit."""

    source = source_field(required=False)
    campaign = campaign_field()


class SourceSetSerializer(SourceMixin, Serializer):
    """`…/{id}/source/`: the office corrects a row's source and campaign."""

    source = source_field()

from datetime import date, timedelta

import factory

from sales.choices import CampaignKind, CampaignStatus
from sales.models import Campaign


class CampaignFactory(factory.django.DjangoModelFactory):
    """A running campaign of 30 days, November 2026 unless told (pass `projects=[…]`)."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"活动{n}")
    kind = CampaignKind.EVENT
    starts_on = date(2026, 11, 1)
    ends_on = factory.LazyAttribute(lambda campaign: campaign.starts_on + timedelta(days=29))
    budget_amount = 10000
    status = CampaignStatus.RUNNING

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

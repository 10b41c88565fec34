from datetime import date

import factory

from sales.choices import CampaignKind, CampaignStatus
from sales.models import Campaign


class CampaignFactory(factory.django.DjangoModelFactory):
    """A running campaign in November 2026 (pass `projects=[…]`)."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"活动{n}")
    kind = CampaignKind.EVENT
    starts_on = date(2026, 11, 1)
    ends_on = date(2026, 11, 30)
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

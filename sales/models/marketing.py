from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sales.choices import CampaignKind, CampaignStatus, CustomerSource

# A row whose source is a campaign names the campaign.
CAMPAIGN_NAMED = ~models.Q(source="campaign") | models.Q(campaign__isnull=False)


def source_fields(related: str):
    """客户来源 and the optional campaign a registration or a visit came from."""
    source = models.CharField(
        _("source"), max_length=20, choices=CustomerSource.choices, blank=True
    )
    campaign = models.ForeignKey(
        "sales.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related,
        verbose_name=_("campaign"),
    )
    return source, campaign


class Campaign(models.Model):
    """渠道营销活动 / 促销活动: a planned piece of channel marketing with dates, a budget and
    targets; its spend is the channel costs linked to it, its effect what came from it."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    projects = models.ManyToManyField(
        "sales.Project", related_name="campaigns", verbose_name=_("projects")
    )
    partners = models.ManyToManyField(
        "partners.Partner", blank=True, related_name="campaigns", verbose_name=_("partners")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget_amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    target_visits = models.PositiveIntegerField(_("target visits"), default=0)
    target_signings = models.PositiveIntegerField(_("target signings"), default=0)
    # The effect as it stood when the campaign closed (campaign_close): frozen from then on.
    effect_snapshot = models.JSONField(_("effect when closed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__gte=0), name="campaign_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(effect_snapshot__isnull=False),
                name="campaign_closed_has_snapshot",
            ),
        ]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="campaign_recent_idx")]

    def __str__(self) -> str:
        return self.name

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import RobotWebhook
from partners.choices import CreditRating, PartnerKind, PartnerStatus
from partners.validators import validate_credit_code


class Partner(RobotWebhook, models.Model):
    """渠道合作伙伴: an external organisation (or broker) selling for the company (optionally
    with a group robot that hears of its customers: RobotWebhook)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    regions = models.CharField(_("regions"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    credit_rating = models.CharField(
        _("credit rating"), max_length=1, choices=CreditRating.choices, blank=True
    )
    tier = models.PositiveSmallIntegerField(_("tier"), default=3)
    status = models.CharField(
        _("status"), max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.PROSPECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="partner_credit_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMember(models.Model):
    """A portal login belonging to exactly one partner organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_member",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="members", verbose_name=_("partner")
    )

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"

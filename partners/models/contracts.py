"""渠道销售合同: the seed's clauses, a signed PDF, and the reminders sent before the end date."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import ContractStatus, FeeMilestone, FeeMode


def contract_pdf_path(instance: "PartnerContract", filename: str) -> str:
    """Stored under the partner's folder with a random name (never the uploader's file name)."""
    return f"contracts/{instance.partner_id}/{uuid.uuid4().hex}.pdf"


class PartnerContract(models.Model):
    """A sales contract with one partner; at most one is active per partner at a time."""

    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("partner"),
    )
    code = models.CharField(_("contract number"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    # 渠道商的负责范围和权责
    scope = models.TextField(_("scope and responsibilities"), blank=True)
    # 渠道销售费用与管理情况
    fee_mode = models.CharField(_("fee mode"), max_length=20, choices=FeeMode.choices)
    fee_value = models.DecimalField(
        _("fee value"),
        max_digits=12,
        decimal_places=2,
        help_text=_("CNY per signed unit, or a percentage of the signed amount (1.50 = 1.5%)."),
    )
    fee_milestone = models.CharField(
        _("fee earned on"),
        max_length=30,
        choices=FeeMilestone.choices,
        default=FeeMilestone.SIGNING,
    )
    fee_notes = models.TextField(_("fee management notes"), blank=True)
    # 销售区域和销售对象约定
    sales_region = models.TextField(_("sales region"), blank=True)
    target_customers = models.TextField(_("target customers"), blank=True)
    # 渠道销售合作期限和结束的条件
    start_on = models.DateField(_("starts on"))
    end_on = models.DateField(_("ends on"))
    termination_conditions = models.TextField(_("termination conditions"), blank=True)
    # 渠道销售合作的责任和义务
    obligations = models.TextField(_("obligations"), blank=True)
    # 合作期间内的监管和考核机制
    supervision = models.TextField(_("supervision and assessment"), blank=True)

    signed_pdf = models.FileField(
        _("signed contract (PDF)"), upload_to=contract_pdf_path, blank=True, max_length=200
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner contract")
        verbose_name_plural = _("partner contracts")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(status="active"),
                name="contract_one_active_per_partner",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="contract_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_value__gt=0)
                & (~models.Q(fee_mode="percent") | models.Q(fee_value__lte=100)),
                name="contract_fee_positive_percent_max_100",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_on"], name="contract_status_end_idx")]

    def __str__(self) -> str:
        return self.code or f"{self.partner} {self.start_on}–{self.end_on}"


class ContractReminder(models.Model):
    """One reminder sent N days before a contract ends; the unique key makes the job re-runnable."""

    contract = models.ForeignKey(
        PartnerContract,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("contract"),
    )
    threshold = models.PositiveSmallIntegerField(_("days before the end"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("contract reminder")
        verbose_name_plural = _("contract reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "threshold"], name="contract_reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} −{self.threshold}d"

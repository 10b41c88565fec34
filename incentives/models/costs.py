"""费效 money: what the channel department spent (channel costs) and meant to spend (budgets)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incentives.choices import CostCategory


class ChannelCost(models.Model):
    """费效: money the channel department spent, by category, project, partner, campaign and
    month."""

    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    period = models.CharField(_("month"), max_length=7)
    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    campaign = models.ForeignKey(
        "sales.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="costs",
        verbose_name=_("campaign"),
        help_text=_("The campaign this money was spent on: its spend."),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("channel cost")
        verbose_name_plural = _("channel costs")
        ordering = ["-period", "category"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="cost_positive"),
        ]
        indexes = [models.Index(fields=["period", "project"], name="cost_period_idx")]

    def __str__(self) -> str:
        return f"{self.period} {self.category} {self.amount}"


class Budget(models.Model):
    """预算: what may be spent in a month on one cost category, for a project or (no project)
    the company as a whole."""

    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
        help_text=_("Empty: the company's budget, beside the projects' own."),
    )
    month = models.CharField(_("month"), max_length=7)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-month", "project__name", "category", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
            # One budget per project (or the company), month and category.
            models.UniqueConstraint(
                fields=["project", "month", "category"],
                condition=models.Q(project__isnull=False),
                name="budget_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["month", "category"],
                condition=models.Q(project__isnull=True),
                name="budget_once_for_company",
            ),
        ]
        indexes = [models.Index(fields=["month", "project"], name="budget_month_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.category} {self.amount}"

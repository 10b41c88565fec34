"""Incentive plans (versioned data), leaderboards, bonus statements and their lines."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incentives.choices import (
    BoardKind,
    CommissionMode,
    LineKind,
    StatementStatus,
    TargetMetric,
    TargetSubject,
)
from sales.choices import PropertyType

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}
# The most a numeric(14, 2) money column (a statement's total, a line) holds, either way.
MONEY_LIMIT = Decimal("999999999999.99")
# The largest manual adjustment either way: a slip of the keyboard is not a payroll line.
ADJUSTMENT_LIMIT = Decimal("99999999.99")


class IncentivePlan(models.Model):
    """奖励方案: every number of the reward rules, in force from the 1st of a month for a set
    of projects. A newer plan for the same projects supersedes it from its own month."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(
        _("effective from"), help_text=_("The first day of the month the plan starts.")
    )
    projects = models.ManyToManyField(
        "sales.Project", related_name="incentive_plans", verbose_name=_("projects")
    )
    base_salary_regular = models.DecimalField(_("base salary: regular"), default=2500, **MONEY)
    base_salary_excellent = models.DecimalField(_("base salary: excellent"), default=3000, **MONEY)
    base_salary_senior = models.DecimalField(_("base salary: senior"), default=3500, **MONEY)
    rest_days_per_month = models.PositiveSmallIntegerField(_("rest days per month"), default=4)
    visit_incentive_high_rise = models.DecimalField(
        _("per valid visit: high-rise"), default=20, **MONEY
    )
    visit_incentive_garden_house = models.DecimalField(
        _("per valid visit: garden house"), default=0, **MONEY
    )
    visit_incentive_villa = models.DecimalField(_("per valid visit: villa"), default=0, **MONEY)
    weekly_visit_threshold = models.PositiveIntegerField(
        _("weekly award: minimum visits"), default=10
    )
    weekly_visit_prize_1 = models.DecimalField(_("weekly award: 1st"), default=500, **MONEY)
    weekly_visit_prize_2 = models.DecimalField(_("weekly award: 2nd"), default=300, **MONEY)
    weekly_visit_prize_3 = models.DecimalField(_("weekly award: 3rd"), default=200, **MONEY)
    monthly_visit_threshold = models.PositiveIntegerField(
        _("monthly award: minimum visits"), default=20
    )
    monthly_visit_prize_1 = models.DecimalField(_("monthly visit award: 1st"), default=800, **MONEY)
    monthly_visit_prize_2 = models.DecimalField(_("monthly visit award: 2nd"), default=500, **MONEY)
    monthly_visit_prize_3 = models.DecimalField(_("monthly visit award: 3rd"), default=300, **MONEY)
    signing_threshold_amount = models.DecimalField(
        _("signing award: minimum signed amount"), default=1_000_000, **MONEY
    )
    signing_prize_1 = models.DecimalField(_("signing award: 1st"), default=1500, **MONEY)
    signing_prize_2 = models.DecimalField(_("signing award: 2nd"), default=1000, **MONEY)
    signing_prize_3 = models.DecimalField(_("signing award: 3rd"), default=500, **MONEY)
    team_threshold_amount = models.DecimalField(
        _("team award: minimum team signed amount"), default=5_000_000, **MONEY
    )
    team_prize = models.DecimalField(_("team award"), default=6000, **MONEY)
    referral_bonus = models.DecimalField(_("referral bonus"), default=200, **MONEY)
    promotion_streak_months = models.PositiveSmallIntegerField(
        _("promotion: consecutive months"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    promotion_top_n = models.PositiveSmallIntegerField(
        _("promotion: top N"), default=3, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incentive plan")
        verbose_name_plural = _("incentive plans")
        ordering = ["-effective_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__day=1), name="plan_starts_on_the_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m})"


class CommissionRate(models.Model):
    """Commission per signed unit for a property type: plan-wide, or for one project."""

    plan = models.ForeignKey(
        IncentivePlan,
        on_delete=models.CASCADE,
        related_name="commission_rates",
        verbose_name=_("plan"),
    )
    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
        help_text=_("Empty: the plan's default for the type."),
    )
    property_type = models.CharField(
        _("property type"), max_length=20, choices=PropertyType.choices
    )
    mode = models.CharField(_("mode"), max_length=10, choices=CommissionMode.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text=_("Yuan per unit, or a percent of the amount (0.5 = 0.5%)."),
    )

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "project", "property_type"],
                name="commission_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="percent") | models.Q(value__lte=100),
                name="commission_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project or '*'} {self.property_type} {self.mode} {self.value}"


class Leaderboard(models.Model):
    """A frozen ranking of a closed period (the open period is computed live)."""

    plan = models.ForeignKey(IncentivePlan, on_delete=models.PROTECT, related_name="boards")
    kind = models.CharField(_("kind"), max_length=30, choices=BoardKind.choices)
    period = models.CharField(_("period"), max_length=10)
    computed_at = models.DateTimeField(_("computed at"))
    # A digest of the entries as frozen (incentives.services.digests): a re-freeze that ranks
    # the same entries neither reads nor rewrites them; empty on boards frozen before it.
    entries_digest = models.CharField(max_length=32, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("leaderboard")
        verbose_name_plural = _("leaderboards")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "period"], name="board_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


class LeaderboardEntry(models.Model):
    board = models.ForeignKey(Leaderboard, on_delete=models.CASCADE, related_name="entries")
    staff = models.ForeignKey("sales.Staff", on_delete=models.PROTECT, null=True, related_name="+")
    team = models.ForeignKey("sales.Team", on_delete=models.PROTECT, null=True, related_name="+")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    is_eligible = models.BooleanField(_("eligible"))
    prize_amount = models.DecimalField(_("prize"), max_digits=14, decimal_places=2)
    explanation = models.TextField(_("explanation"), blank=True)
    # The facts behind the explanation ({"code": …, values}), rendered in the reader's
    # language on read (incentives.explanations); empty on entries frozen before them.
    facts = models.JSONField(_("facts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("leaderboard entry")
        verbose_name_plural = _("leaderboard entries")
        ordering = ["board", "rank", "-value", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False) | models.Q(team__isnull=False),
                name="entry_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank or '-'} {self.value}"


class Statement(models.Model):
    """奖金结算单: one month's statement for a marketer (bonus) or a partner (commission)."""

    staff = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
        verbose_name=_("staff member"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
        verbose_name=_("partner"),
    )
    period = models.CharField(_("month"), max_length=7)
    plan = models.ForeignKey(
        IncentivePlan,
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
        verbose_name=_("plan"),
        help_text=_("Marketers' statements only; partners are paid by their contract."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total_amount = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    computed_at = models.DateTimeField(_("computed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)  # the payout's date
    # A digest of the computed lines as stored (incentives.services.digests): a recompute
    # computing the same lines neither reads nor rewrites them; empty when unknown.
    lines_digest = models.CharField(max_length=32, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period", "staff__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "period"],
                name="statement_once_per_month",
                condition=models.Q(staff__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["partner", "period"],
                name="partner_statement_once_per_month",
                condition=models.Q(partner__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False, partner__isnull=True)
                | models.Q(staff__isnull=True, partner__isnull=False),
                name="statement_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(approved_at__isnull=False, approved_by__isnull=False),
                name="statement_approval_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_at__isnull=False),
                name="statement_payment_recorded",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="statement_period_idx")]

    def __str__(self) -> str:
        return f"{self.staff or self.partner} {self.period}"


class StatementLine(models.Model):
    """One explained amount on a statement; the statement's total is the sum of its lines."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=30, choices=LineKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=60, blank=True)
    # The facts behind the line ({"code": …, values}), rendered in the reader's language on
    # read (incentives.explanations); lines stored before them show their description.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    signing = models.ForeignKey(
        "sales.Signing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set on manual adjustments."),
    )
    position = models.PositiveIntegerField(default=0)
    # DO_NOTHING keeps the recompute's delete of draft lines a single DELETE (no collector
    # query per line); the database's foreign key still refuses to drop a reversed line.
    reverses = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
        help_text=_("Clawbacks only: the approved or paid commission line taken back."),
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position", "id"]
        indexes = [models.Index(fields=["signing", "kind"], name="line_signing_idx")]
        constraints = [
            # A paid commission line is clawed back once, across every statement and month.
            models.UniqueConstraint(
                fields=["reverses"],
                name="line_clawed_back_once",
                condition=models.Q(reverses__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True) | models.Q(kind="clawback"),
                name="line_only_clawbacks_reverse",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class PromotionEligibility(models.Model):
    """A marketer eligible for the promotion exam after a top-N streak."""

    staff = models.ForeignKey("sales.Staff", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("month"), max_length=7)
    explanation = models.TextField(_("explanation"))
    facts = models.JSONField(_("facts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("promotion eligibility")
        verbose_name_plural = _("promotion eligibilities")
        constraints = [
            models.UniqueConstraint(fields=["staff", "period"], name="promotion_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.period}"


class Target(models.Model):
    """A KPI target for the company, a team, a staff member or a partner over a period
    (year 2026, quarter 2026-Q4, month 2026-11 or week 2026-W47)."""

    metric = models.CharField(_("metric"), max_length=20, choices=TargetMetric.choices)
    subject_type = models.CharField(_("subject type"), max_length=10, choices=TargetSubject.choices)
    subject_id = models.PositiveBigIntegerField(
        _("subject id"), null=True, blank=True, help_text=_("Empty for the company.")
    )
    period = models.CharField(_("period"), max_length=10)
    value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("split from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["period", "metric", "subject_type", "subject_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "subject_type", "subject_id", "period"],
                name="target_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(subject_type="company", subject_id__isnull=True)
                | (~models.Q(subject_type="company") & models.Q(subject_id__isnull=False)),
                name="target_subject_id_matches_type",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]
        indexes = [
            models.Index(fields=["metric", "subject_type", "period"], name="target_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.subject_type}:{self.subject_id or '-'} {self.period}"


# Channel marketing money (费效): spend and budgets, in their own module, re-exported here.
from incentives.models.costs import Budget, ChannelCost  # noqa: E402, F401

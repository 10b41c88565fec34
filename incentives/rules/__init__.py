"""Pure incentive calculators (no Django, no database): facts in, statement lines out.

Each calculator takes a ``PlanRules`` (the plan's numbers) and small frozen dataclasses or
mappings of facts that the ORM side aggregates in the database, and returns
``ExplainedLine``s (kind, amount, description, source) or leaderboard ``RankedRow``s, each
with a human-readable explanation. Amounts are ``Decimal``; every line amount is rounded
once, with ``common.money.to_money``, when the line is created.

Modules: ``plan`` (the numbers and lookups), ``ranking`` (1, 1, 3 competition ranking),
``salary``, ``commission``, ``visits``, ``awards`` (weekly/monthly visit and signing
awards), ``team``, ``referral``, ``promotion`` and ``statement`` (lines and totals).
"""

from incentives.rules.awards import (
    award_lines,
    monthly_visit_award_lines,
    monthly_visit_ranking,
    signing_award_lines,
    signing_ranking,
    weekly_visit_award_lines,
    weekly_visit_ranking,
)
from incentives.rules.commission import (
    SigningFacts,
    clawback_line,
    commission_line,
    signing_counts,
)
from incentives.rules.partner import (
    ContractTerms,
    milestone_reached_on,
    partner_commission_line,
)
from incentives.rules.plan import (
    CommissionRule,
    PlanRules,
    RankedAward,
    TeamAwardRule,
    base_salary_for,
    commission_rule_for,
    default_plan_rules,
    resolve_commission,
    visit_incentive_for,
)
from incentives.rules.promotion import (
    PromotionResult,
    PromotionStreak,
    current_streak,
    promotion_check,
)
from incentives.rules.ranking import RankedRow, rank, rank_with_eligibility, top_subjects
from incentives.rules.referral import ReferralFacts, one_month_completed_on, referral_bonus_line
from incentives.rules.salary import Employment, base_salary_line, days_employed, rest_days_over
from incentives.rules.statement import (
    KIND_ORDER,
    LINE_KINDS,
    ExplainedLine,
    LinesByStaff,
    adjustment_line,
    lines_total,
    merge_lines,
)
from incentives.rules.team import TeamFacts, team_award_lines, team_award_split, team_ranking
from incentives.rules.visits import visit_incentive_lines

__all__ = [
    "KIND_ORDER",
    "LINE_KINDS",
    "CommissionRule",
    "ContractTerms",
    "Employment",
    "ExplainedLine",
    "LinesByStaff",
    "PlanRules",
    "PromotionResult",
    "PromotionStreak",
    "RankedAward",
    "RankedRow",
    "ReferralFacts",
    "SigningFacts",
    "TeamAwardRule",
    "TeamFacts",
    "adjustment_line",
    "award_lines",
    "base_salary_for",
    "base_salary_line",
    "clawback_line",
    "commission_line",
    "commission_rule_for",
    "current_streak",
    "days_employed",
    "default_plan_rules",
    "lines_total",
    "merge_lines",
    "milestone_reached_on",
    "monthly_visit_award_lines",
    "monthly_visit_ranking",
    "one_month_completed_on",
    "partner_commission_line",
    "promotion_check",
    "rank",
    "rank_with_eligibility",
    "referral_bonus_line",
    "resolve_commission",
    "rest_days_over",
    "signing_award_lines",
    "signing_counts",
    "signing_ranking",
    "team_award_lines",
    "team_award_split",
    "team_ranking",
    "top_subjects",
    "visit_incentive_for",
    "visit_incentive_lines",
    "weekly_visit_award_lines",
    "weekly_visit_ranking",
]

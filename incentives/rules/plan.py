"""An incentive plan's numbers (奖励方案) as frozen data, with the seed's defaults.

Every number in SPEC.md's "Incentive rules" table lives here. The ORM side stores plans
(versioned by effective date) and builds a ``PlanRules`` from the row; these calculators
only ever read it. Money values are normalised with ``to_money`` when the plan is built;
commission *percents* are percentages of the signed amount (``Decimal("0.5")`` = 0.5%) and
are kept exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from common.money import to_money
from incentives.rules._values import as_count, as_decimal, format_percent, money_text

__all__ = [
    "EXCELLENT",
    "GARDEN_HOUSE",
    "HIGH_RISE",
    "LEVELS",
    "PERCENT",
    "PER_UNIT",
    "PROPERTY_TYPES",
    "REGULAR",
    "SENIOR",
    "VILLA",
    "CommissionKey",
    "CommissionRule",
    "PlanRules",
    "RankedAward",
    "TeamAwardRule",
    "base_salary_for",
    "commission_rule_for",
    "default_plan_rules",
    "resolve_commission",
    "visit_incentive_for",
]

# Codes shared with sales.choices (PropertyType, StaffLevel); repeated here so the rules
# stay importable without Django.
HIGH_RISE = "high_rise"
GARDEN_HOUSE = "garden_house"
VILLA = "villa"
PROPERTY_TYPES = (HIGH_RISE, GARDEN_HOUSE, VILLA)

REGULAR = "regular"
EXCELLENT = "excellent"
SENIOR = "senior"
LEVELS = (REGULAR, EXCELLENT, SENIOR)

PER_UNIT = "per_unit"
PERCENT = "percent"

# The seed's named projects (协成, 金隅大成) pay 500 per high-rise unit instead of 1000.
SEED_REDUCED_PROJECTS = ("协成", "金隅大成")

CommissionKey = tuple[str | None, str]


def _check_property_type(property_type: str) -> str:
    """Return ``property_type`` when it is one of PROPERTY_TYPES, else raise ValueError."""
    if property_type not in PROPERTY_TYPES:
        raise ValueError(
            f"unknown property type {property_type!r}: expected one of {', '.join(PROPERTY_TYPES)}"
        )
    return property_type


def _check_level(level: str) -> str:
    """Return ``level`` when it is one of LEVELS, else raise ValueError."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    return level


def _money_tuple(values: Iterable[object], *, what: str) -> tuple[Decimal, ...]:
    """Return a tuple of non-negative money amounts (each rounded with to_money)."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what}s must be a sequence of amounts, not a string")
    return tuple(to_money(as_decimal(v, what=what)) for v in values)


@dataclass(frozen=True)
class CommissionRule:
    """How one signed unit pays: a fixed amount per unit, or a percent of the signed amount."""

    mode: Literal["per_unit", "percent"]
    value: Decimal

    def __post_init__(self) -> None:
        """Check the mode; per-unit values are money, percents run from 0 to 100 (0.5 = 0.5%)."""
        if self.mode not in (PER_UNIT, PERCENT):
            raise ValueError(f"commission mode must be 'per_unit' or 'percent', not {self.mode!r}")
        value = as_decimal(self.value, what="commission value")
        if self.mode == PERCENT and value > 100:
            raise ValueError(f"a commission percent is at most 100 (0.5 = 0.5%), got {value}")
        object.__setattr__(self, "value", to_money(value) if self.mode == PER_UNIT else value)

    def describe(self) -> str:
        """Human wording: ``500.00 per unit`` or ``0.5% of the signed amount``."""
        if self.mode == PER_UNIT:
            return f"{money_text(self.value)} per unit"
        return f"{format_percent(self.value)} of the signed amount"


@dataclass(frozen=True)
class RankedAward:
    """A ranked award: eligible at ``value >= threshold``; ranks 1..n win ``prizes[0..n-1]``."""

    threshold: Decimal
    prizes: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        """Normalise the threshold to a Decimal and the prizes to money."""
        object.__setattr__(self, "threshold", as_decimal(self.threshold, what="threshold"))
        object.__setattr__(self, "prizes", _money_tuple(self.prizes, what="prize"))


@dataclass(frozen=True)
class TeamAwardRule:
    """The team award: eligible at ``signed >= threshold`` (and >= target); one prize."""

    threshold: Decimal
    prize: Decimal

    def __post_init__(self) -> None:
        """Normalise the threshold and the prize to money."""
        object.__setattr__(
            self, "threshold", to_money(as_decimal(self.threshold, what="threshold"))
        )
        object.__setattr__(self, "prize", to_money(as_decimal(self.prize, what="team prize")))


def _default_base_salary() -> dict[str, Decimal]:
    """The seed's monthly base salary by marketer level."""
    return {REGULAR: Decimal("2500"), EXCELLENT: Decimal("3000"), SENIOR: Decimal("3500")}


def _default_commission() -> dict[CommissionKey, CommissionRule]:
    """The seed's commission: 1000 per high-rise unit, 500 for 协成 and 金隅大成."""
    rules: dict[CommissionKey, CommissionRule] = {
        (None, HIGH_RISE): CommissionRule(PER_UNIT, Decimal("1000"))
    }
    for project in SEED_REDUCED_PROJECTS:
        rules[(project, HIGH_RISE)] = CommissionRule(PER_UNIT, Decimal("500"))
    return rules


def _default_visit_incentive() -> dict[str, Decimal]:
    """The seed's visit incentive: 20 per valid high-rise visit (others set separately)."""
    return {HIGH_RISE: Decimal("20")}


@dataclass(frozen=True)
class PlanRules:
    """Every number of an incentive plan; field defaults are the seed's (see SPEC table).

    ``commission`` maps ``(project key or None, property type)`` to a rule; ``None`` is the
    plan-wide default for that property type. A project key matches a project's code or
    its name (the seed names projects, e.g. 协成, while codes are ASCII slugs). Property
    types or levels missing from ``commission`` / ``visit_incentive`` pay nothing and say
    "not set in plan". Mappings are frozen (read-only views) after construction.
    """

    base_salary: Mapping[str, Decimal] = field(default_factory=_default_base_salary)
    rest_days_per_month: int = 4
    commission: Mapping[CommissionKey, CommissionRule] = field(default_factory=_default_commission)
    visit_incentive: Mapping[str, Decimal] = field(default_factory=_default_visit_incentive)
    weekly_visit_award: RankedAward = field(
        default_factory=lambda: RankedAward(Decimal("10"), (500, 300, 200))
    )
    monthly_visit_award: RankedAward = field(
        default_factory=lambda: RankedAward(Decimal("20"), (800, 500, 300))
    )
    signing_award: RankedAward = field(
        default_factory=lambda: RankedAward(Decimal("1000000.00"), (1500, 1000, 500))
    )
    team_award: TeamAwardRule = field(
        default_factory=lambda: TeamAwardRule(Decimal("5000000.00"), Decimal("6000"))
    )
    referral_bonus: Decimal = Decimal("200")
    promotion_streak_months: int = 3
    promotion_top_n: int = 3

    def __post_init__(self) -> None:
        """Validate every number and freeze the mappings."""
        salary = {
            _check_level(level): to_money(as_decimal(amount, what=f"base salary for {level}"))
            for level, amount in self.base_salary.items()
        }
        missing = [level for level in LEVELS if level not in salary]
        if missing:
            raise ValueError(f"the plan needs a base salary for every level; missing {missing}")
        visits = {
            _check_property_type(kind): to_money(as_decimal(amount, what=f"visit incentive {kind}"))
            for kind, amount in self.visit_incentive.items()
        }
        commission = {}
        for (project, kind), rule in self.commission.items():
            if not isinstance(rule, CommissionRule):
                raise TypeError(f"commission for {(project, kind)} must be a CommissionRule")
            commission[(project, _check_property_type(kind))] = rule
        object.__setattr__(self, "base_salary", MappingProxyType(salary))
        object.__setattr__(self, "visit_incentive", MappingProxyType(visits))
        object.__setattr__(self, "commission", MappingProxyType(commission))
        referral = to_money(as_decimal(self.referral_bonus, what="referral bonus"))
        object.__setattr__(self, "referral_bonus", referral)
        as_count(self.rest_days_per_month, what="rest days per month")
        if as_count(self.promotion_streak_months, what="promotion streak months") < 1:
            raise ValueError("the promotion streak must be at least one month")
        if as_count(self.promotion_top_n, what="promotion top N") < 1:
            raise ValueError("the promotion top N must be at least 1")


def default_plan_rules() -> PlanRules:
    """The seed's plan (渠道部岗位人员管理体系建设): every default of SPEC's table."""
    return PlanRules()


def base_salary_for(rules: PlanRules, *, level: str) -> Decimal:
    """Monthly base salary of a marketer level under the plan."""
    return rules.base_salary[_check_level(level)]


def visit_incentive_for(rules: PlanRules, *, property_type: str) -> Decimal | None:
    """Amount per valid visit of a property type, or None when the plan does not set it."""
    return rules.visit_incentive.get(_check_property_type(property_type))


def resolve_commission(
    rules: PlanRules,
    *,
    property_type: str,
    project_code: str | None = None,
    project_name: str | None = None,
) -> tuple[str | None, CommissionRule] | None:
    """The matching ``(project key or None, rule)``: project code, then name, then default."""
    _check_property_type(property_type)
    for project in (project_code, project_name):
        if project is not None and (project, property_type) in rules.commission:
            return project, rules.commission[(project, property_type)]
    default = rules.commission.get((None, property_type))
    return None if default is None else (None, default)


def commission_rule_for(
    rules: PlanRules,
    *,
    property_type: str,
    project_code: str | None = None,
    project_name: str | None = None,
) -> CommissionRule | None:
    """Commission rule for a signing: project-specific first, then the property type default."""
    found = resolve_commission(
        rules, property_type=property_type, project_code=project_code, project_name=project_name
    )
    return None if found is None else found[1]

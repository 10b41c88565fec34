"""A plan in words: each of its numbers with the rule it feeds, in the reader's language
(the plan pages), and the numbers side by side for comparing two versions."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.money import format_money
from incentives.choices import CommissionMode
from incentives.models import IncentivePlan
from sales.choices import PropertyType, StaffLevel


def yuan(value: Decimal | int) -> str:
    """An amount as people write it on a plan: ``1,000`` (cents only when there are some)."""
    text = format_money(value)
    return text.removesuffix(".00")


def percent(value: Decimal) -> str:
    """A percent without trailing zeros: ``0.5%``."""
    text = f"{Decimal(value).normalize():f}"
    return _("%(value)s%%") % {"value": text}


def _list(items: list[str]) -> str:
    return pgettext("list separator", "; ").join(items)


def _ladder(plan: IncentivePlan, prefix: str) -> dict[str, str]:
    return {
        "first": yuan(getattr(plan, f"{prefix}_1")),
        "second": yuan(getattr(plan, f"{prefix}_2")),
        "third": yuan(getattr(plan, f"{prefix}_3")),
    }


def rate_text(rate) -> str:
    """One commission rate: ``协成 high-rise 500 yuan per unit`` / ``villa 0.5% of the amount``."""
    kind = PropertyType(rate.property_type).label
    if rate.mode == CommissionMode.PERCENT:
        text = _("%(type)s %(percent)s of the signed amount") % {
            "type": kind,
            "percent": percent(rate.value),
        }
    else:
        text = _("%(type)s %(amount)s yuan per unit") % {"type": kind, "amount": yuan(rate.value)}
    if rate.project_id:
        return _("%(project)s %(rate)s") % {"project": rate.project.name, "rate": text}
    return text


def _rates(plan: IncentivePlan) -> list:
    """Plan-wide rates first, then each project's, by property type order."""
    order = {value: n for n, value in enumerate(PropertyType.values)}
    return sorted(
        plan.commission_rates.all(),
        key=lambda r: (
            r.project_id is not None,
            r.project.name if r.project_id else "",
            order.get(r.property_type, 99),
        ),
    )


def _commission(plan: IncentivePlan) -> str:
    rates = _rates(plan)
    if not rates:
        return _("none set: signings earn no commission")
    return _list([rate_text(rate) for rate in rates])


def _visit_incentive(plan: IncentivePlan) -> str:
    paid = [
        _("%(type)s %(amount)s yuan per valid visit group")
        % {
            "type": PropertyType(kind).label,
            "amount": yuan(getattr(plan, f"visit_incentive_{kind}")),
        }
        for kind in PropertyType.values
        if getattr(plan, f"visit_incentive_{kind}")
    ]
    if not paid:
        return _("none")
    return _("%(rates)s, uncapped") % {"rates": _list(paid)}


def plan_description(plan: IncentivePlan) -> list[tuple[str, str]]:
    """Every rule of the plan as (title, text), e.g. ("Weekly visit award", "≥ 10 valid
    visits in the week; ranks 1–3 get 500 / 300 / 200 yuan")."""
    salaries = {
        level: _("%(level)s %(amount)s yuan")
        % {
            "level": StaffLevel(level).label,
            "amount": yuan(getattr(plan, f"base_salary_{level}")),
        }
        for level in StaffLevel.values
    }
    return [
        (
            _("Base salary"),
            _("%(salaries)s a month; a partial month is prorated by calendar days")
            % {"salaries": _list(list(salaries.values()))},
        ),
        (
            _("Rest days"),
            _("%(days)s days a month (attendance shows the days over)")
            % {"days": plan.rest_days_per_month},
        ),
        (_("Commission"), _commission(plan)),
        (_("Visit incentive"), _visit_incentive(plan)),
        (
            _("Weekly visit award"),
            _(
                "valid visits in the week ≥ %(threshold)s groups; ranks 1–3 get "
                "%(first)s / %(second)s / %(third)s yuan"
            )
            % {"threshold": plan.weekly_visit_threshold, **_ladder(plan, "weekly_visit_prize")},
        ),
        (
            _("Monthly visit award"),
            _(
                "valid visits in the month ≥ %(threshold)s groups; ranks 1–3 get "
                "%(first)s / %(second)s / %(third)s yuan"
            )
            % {"threshold": plan.monthly_visit_threshold, **_ladder(plan, "monthly_visit_prize")},
        ),
        (
            _("Signing award"),
            _(
                "signed amount in the month ≥ %(threshold)s yuan; ranks 1–3 get "
                "%(first)s / %(second)s / %(third)s yuan"
            )
            % {"threshold": yuan(plan.signing_threshold_amount), **_ladder(plan, "signing_prize")},
        ),
        (
            _("Team award"),
            _(
                "team signed amount in the month ≥ %(threshold)s yuan and ≥ the team's target "
                "where one is set; the highest eligible team gets %(prize)s yuan, split evenly "
                "among its active marketers"
            )
            % {"threshold": yuan(plan.team_threshold_amount), "prize": yuan(plan.team_prize)},
        ),
        (
            _("Referral bonus"),
            _(
                "%(amount)s yuan to the referrer in the month the referred staff member "
                "completes one month, still active"
            )
            % {"amount": yuan(plan.referral_bonus)},
        ),
        (
            pgettext("a marketer rising a level", "Promotion"),
            _(
                "%(months)s consecutive months in the top %(top)s of the monthly visit or the "
                "monthly signing ranking: eligible for the promotion exam"
            )
            % {"months": plan.promotion_streak_months, "top": plan.promotion_top_n},
        ),
    ]


# The plan's own numbers, in the order the pages show them.
NUMBER_FIELDS = (
    "base_salary_regular",
    "base_salary_excellent",
    "base_salary_senior",
    "rest_days_per_month",
    "visit_incentive_high_rise",
    "visit_incentive_garden_house",
    "visit_incentive_villa",
    "weekly_visit_threshold",
    "weekly_visit_prize_1",
    "weekly_visit_prize_2",
    "weekly_visit_prize_3",
    "monthly_visit_threshold",
    "monthly_visit_prize_1",
    "monthly_visit_prize_2",
    "monthly_visit_prize_3",
    "signing_threshold_amount",
    "signing_prize_1",
    "signing_prize_2",
    "signing_prize_3",
    "team_threshold_amount",
    "team_prize",
    "referral_bonus",
    "promotion_streak_months",
    "promotion_top_n",
)


def _shown(value) -> str:
    return yuan(value) if isinstance(value, Decimal) else str(value)


def plan_numbers(plan: IncentivePlan) -> dict[str, tuple[str, str]]:
    """Each number of the plan (and each commission rate) as key → (label, shown value)."""
    numbers = {
        name: (
            str(IncentivePlan._meta.get_field(name).verbose_name),
            _shown(getattr(plan, name)),
        )
        for name in NUMBER_FIELDS
    }
    for rate in _rates(plan):
        where = rate.project.name if rate.project_id else _("every project")
        numbers[f"rate:{rate.project_id}:{rate.property_type}"] = (
            _("commission: %(where)s %(type)s")
            % {"where": where, "type": PropertyType(rate.property_type).label},
            rate_text(rate),
        )
    return numbers


def plan_changes(older: IncentivePlan, newer: IncentivePlan) -> list[tuple[str, str, str]]:
    """What differs from one version to the next: (label, before, after); "–" when absent."""
    before, after = plan_numbers(older), plan_numbers(newer)
    changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        old = before.get(key, (None, "–"))
        new = after.get(key, (None, "–"))
        if old[1] != new[1]:
            changes.append((new[0] or old[0], old[1], new[1]))
    return changes

"""The plan's numbers: seed defaults, validation and the commission lookup order."""

from dataclasses import replace
from decimal import Decimal

import pytest

from incentives.rules.plan import (
    GARDEN_HOUSE,
    HIGH_RISE,
    PER_UNIT,
    PERCENT,
    VILLA,
    CommissionRule,
    PlanRules,
    RankedAward,
    base_salary_for,
    commission_rule_for,
    default_plan_rules,
    resolve_commission,
    visit_incentive_for,
)


def test_default_plan_holds_every_seed_number():
    rules = default_plan_rules()
    assert dict(rules.base_salary) == {
        "regular": Decimal("2500.00"),
        "excellent": Decimal("3000.00"),
        "senior": Decimal("3500.00"),
    }
    assert rules.rest_days_per_month == 4
    assert rules.visit_incentive[HIGH_RISE] == Decimal("20.00")
    assert rules.weekly_visit_award == RankedAward(Decimal("10"), (500, 300, 200))
    assert rules.monthly_visit_award == RankedAward(Decimal("20"), (800, 500, 300))
    assert rules.signing_award == RankedAward(Decimal("1000000.00"), (1500, 1000, 500))
    assert rules.team_award.threshold == Decimal("5000000.00")
    assert rules.team_award.prize == Decimal("6000.00")
    assert rules.referral_bonus == Decimal("200.00")
    assert (rules.promotion_streak_months, rules.promotion_top_n) == (3, 3)


def test_default_high_rise_commission_is_1000_per_unit():
    rule = commission_rule_for(default_plan_rules(), property_type=HIGH_RISE, project_code="x")
    assert rule == CommissionRule(PER_UNIT, Decimal("1000"))


@pytest.mark.parametrize("project", ["协成", "金隅大成"])
def test_seed_projects_pay_500_per_high_rise_unit_matched_by_name(project):
    rule = commission_rule_for(
        default_plan_rules(), property_type=HIGH_RISE, project_code="slug", project_name=project
    )
    assert rule == CommissionRule(PER_UNIT, Decimal("500"))


def test_project_code_matches_before_name_and_before_default():
    rules = replace(
        default_plan_rules(),
        commission={
            (None, VILLA): CommissionRule(PERCENT, Decimal("1")),
            ("jinxiu", VILLA): CommissionRule(PERCENT, Decimal("2")),
            ("锦绣华庭", VILLA): CommissionRule(PERCENT, Decimal("3")),
        },
    )
    by_code = resolve_commission(
        rules, property_type=VILLA, project_code="jinxiu", project_name="锦绣华庭"
    )
    by_name = resolve_commission(
        rules, property_type=VILLA, project_code="other", project_name="锦绣华庭"
    )
    fallback = resolve_commission(rules, property_type=VILLA, project_code="other")
    assert by_code == ("jinxiu", CommissionRule(PERCENT, Decimal("2")))
    assert by_name == ("锦绣华庭", CommissionRule(PERCENT, Decimal("3")))
    assert fallback == (None, CommissionRule(PERCENT, Decimal("1")))


@pytest.mark.parametrize("property_type", [GARDEN_HOUSE, VILLA])
def test_garden_house_and_villa_have_no_default_commission_or_visit_incentive(property_type):
    rules = default_plan_rules()
    assert commission_rule_for(rules, property_type=property_type) is None
    assert visit_incentive_for(rules, property_type=property_type) is None


def test_base_salary_for_unknown_level_is_refused():
    with pytest.raises(ValueError, match="unknown level"):
        base_salary_for(default_plan_rules(), level="expert")


def test_unknown_property_type_is_refused():
    with pytest.raises(ValueError, match="unknown property type"):
        commission_rule_for(default_plan_rules(), property_type="shop")


def test_plan_mappings_are_read_only():
    rules = default_plan_rules()
    with pytest.raises(TypeError):
        rules.base_salary["regular"] = Decimal("1")  # type: ignore[index]


def test_plan_refuses_float_money():
    with pytest.raises(TypeError, match="float"):
        PlanRules(referral_bonus=200.0)  # type: ignore[arg-type]


def test_plan_needs_a_salary_for_every_level():
    with pytest.raises(ValueError, match="missing"):
        PlanRules(base_salary={"regular": Decimal("2500")})


def test_commission_percent_must_be_at_most_100_and_mode_known():
    assert CommissionRule(PERCENT, Decimal("100")).value == Decimal("100")
    with pytest.raises(ValueError, match="at most 100"):
        CommissionRule(PERCENT, Decimal("100.01"))
    with pytest.raises(ValueError, match="mode"):
        CommissionRule("rate", Decimal("0.05"))  # type: ignore[arg-type]


def test_commission_rule_describes_itself():
    assert CommissionRule(PER_UNIT, Decimal("500")).describe() == "500.00 per unit"
    assert CommissionRule(PERCENT, Decimal("0.5")).describe() == "0.5% of the signed amount"


def test_plans_with_the_same_numbers_are_equal():
    assert default_plan_rules() == PlanRules()

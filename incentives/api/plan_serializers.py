"""Plans in the API (`incentive-plans/`, the what-if's overrides): SPEC's nested groups over the
IncentivePlan model's flat fields.

`PLAN_GROUPS` is the one mapping between the two: the group serializers are built from it and
the plan services' errors (by field name) are put back under the group key a client sent. The
serializers carry types only; every limit is the plan services' (plan_validate).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from common.api import DecimalField
from common.serializers import IdRelatedField, ModelSerializer, Serializer, integer_range
from incentives.choices import CommissionMode
from incentives.models import IncentivePlan
from incentives.services.plans import plan_create, plan_update
from sales.choices import PropertyType
from sales.models import Project

# API group → {API key: the model field, or the three fields of a prize ladder (1st, 2nd, 3rd)}.
PLAN_GROUPS: dict[str, dict[str, str | tuple[str, str, str]]] = {
    "base_salary": {
        "regular": "base_salary_regular",
        "excellent": "base_salary_excellent",
        "senior": "base_salary_senior",
    },
    "visit_incentive": {
        "high_rise": "visit_incentive_high_rise",
        "garden_house": "visit_incentive_garden_house",
        "villa": "visit_incentive_villa",
    },
    "weekly_visit_award": {
        "threshold": "weekly_visit_threshold",
        "prizes": ("weekly_visit_prize_1", "weekly_visit_prize_2", "weekly_visit_prize_3"),
    },
    "monthly_visit_award": {
        "threshold": "monthly_visit_threshold",
        "prizes": ("monthly_visit_prize_1", "monthly_visit_prize_2", "monthly_visit_prize_3"),
    },
    "signing_award": {
        "threshold_amount": "signing_threshold_amount",
        "prizes": ("signing_prize_1", "signing_prize_2", "signing_prize_3"),
    },
    "team_award": {"threshold_amount": "team_threshold_amount", "prize": "team_prize"},
    "promotion": {"streak_months": "promotion_streak_months", "top_n": "promotion_top_n"},
}
# Plan numbers named alike in the API and the model.
PLAN_TOP_FIELDS = ("rest_days_per_month", "referral_bonus")
# Model field → (group, key) for the groups' fields.
GROUP_OF: dict[str, tuple[str, str]] = {
    field: (group, key)
    for group, keys in PLAN_GROUPS.items()
    for key, fields in keys.items()
    for field in ((fields,) if isinstance(fields, str) else fields)
}
PLAN_NUMBERS_API = (*PLAN_GROUPS, *PLAN_TOP_FIELDS, "commission_rates")


def _number_field(name: str, **kwargs) -> serializers.Field:
    """The API field of one model number: money as a decimal string, counts as integers."""
    model_field = IncentivePlan._meta.get_field(name)
    if isinstance(model_field, models.DecimalField):
        return DecimalField(
            max_digits=model_field.max_digits, decimal_places=model_field.decimal_places, **kwargs
        )
    return serializers.IntegerField(**{**integer_range(model_field), **kwargs})


class PrizeLadderField(serializers.ListField):
    """Three prizes, 1st to 3rd, stored as three model fields."""

    def __init__(self, *, fields: tuple[str, str, str], **kwargs):
        self.model_fields = fields
        kwargs.update(source="*", min_length=3, max_length=3)
        super().__init__(child=_number_field(fields[0]), **kwargs)

    def get_attribute(self, instance):
        return [getattr(instance, name) for name in self.model_fields]

    def to_internal_value(self, data):
        prizes = super().to_internal_value(data)
        if len(prizes) < 3:
            self.fail("min_length", min_length=3)
        if len(prizes) > 3:
            self.fail("max_length", max_length=3)
        return dict(zip(self.model_fields, prizes, strict=True))


def _group_serializer(group: str, keys: dict) -> type[serializers.Serializer]:
    fields = {
        key: (
            _number_field(target, source=target, required=False)
            if isinstance(target, str)
            else PrizeLadderField(fields=target, required=False)
        )
        for key, target in keys.items()
    }
    name = "Plan" + "".join(part.title() for part in group.split("_")) + "Serializer"
    return type(name, (Serializer,), fields)


GROUP_SERIALIZERS = {group: _group_serializer(group, keys) for group, keys in PLAN_GROUPS.items()}


def api_errors(message_dict: dict[str, list[str]]) -> dict:
    """The plan services' errors (by model field) under the keys the API shows."""
    errors: dict = {}
    for name, messages in message_dict.items():
        if name in GROUP_OF:
            group, key = GROUP_OF[name]
            errors.setdefault(group, {}).setdefault(key, []).extend(messages)
        else:
            errors.setdefault(name, []).extend(messages)
    return errors


class CommissionRateSerializer(Serializer):
    """One commission rate: `project` null is the plan-wide rate of the property type; a
    percent is written as a percent (1.50 = 1.5 % of the signed amount)."""

    project = IdRelatedField(
        queryset=Project.objects.all(), allow_null=True, required=False, default=None
    )
    property_type = serializers.ChoiceField(choices=PropertyType.choices)
    mode = serializers.ChoiceField(choices=CommissionMode.choices)
    value = DecimalField(max_digits=14, decimal_places=4)


def _group(name: str) -> serializers.Serializer:
    return GROUP_SERIALIZERS[name](source="*", required=False)


class IncentivePlanSerializer(ModelSerializer):
    """奖励方案 as SPEC's contract: nested groups, commission rates as a list. Groups left out
    of a new plan take the seed's numbers; `projects` `[]` = every project no other plan
    names. A plan an approved statement used is not changed (400): add a new version."""

    base_salary = _group("base_salary")
    rest_days_per_month = _number_field("rest_days_per_month", required=False)
    visit_incentive = _group("visit_incentive")
    weekly_visit_award = _group("weekly_visit_award")
    monthly_visit_award = _group("monthly_visit_award")
    signing_award = _group("signing_award")
    team_award = _group("team_award")
    referral_bonus = _number_field("referral_bonus", required=False)
    promotion = _group("promotion")
    commission_rates = CommissionRateSerializer(many=True)

    class Meta:
        model = IncentivePlan
        fields = ("id", "name", "effective_from", "projects", *PLAN_NUMBERS_API)
        extra_kwargs = {"projects": {"required": False, "allow_empty": True}}

    def create(self, validated_data):
        projects = validated_data.pop("projects", [])
        try:
            return plan_create(projects=projects, **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(api_errors(exc.message_dict)) from exc

    def update(self, instance, validated_data):
        try:
            return plan_update(plan=instance, **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(api_errors(exc.message_dict)) from exc


class PlanOverridesSerializer(Serializer):
    """Any plan numbers of `incentive-plans/`, each replacing the plan in force's;
    `commission_rates`, when given, replaces its whole list."""

    base_salary = _group("base_salary")
    rest_days_per_month = _number_field("rest_days_per_month", required=False)
    visit_incentive = _group("visit_incentive")
    weekly_visit_award = _group("weekly_visit_award")
    monthly_visit_award = _group("monthly_visit_award")
    signing_award = _group("signing_award")
    team_award = _group("team_award")
    referral_bonus = _number_field("referral_bonus", required=False)
    promotion = _group("promotion")
    commission_rates = CommissionRateSerializer(many=True, required=False)

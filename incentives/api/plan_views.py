"""Incentive plans (`incentive-plans/`): an adapter over the plan services."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS

from common.access import Can
from incentives import selectors
from incentives.api.plan_serializers import IncentivePlanSerializer
from incentives.models import IncentivePlan

PLAN_EXAMPLE = {
    "name": "2027 方案",
    "effective_from": "2027-01-01",
    "projects": [],
    "base_salary": {"regular": "2500.00", "excellent": "3000.00", "senior": "3500.00"},
    "rest_days_per_month": 4,
    "visit_incentive": {"high_rise": "20.00", "garden_house": "30.00", "villa": "50.00"},
    "weekly_visit_award": {"threshold": 10, "prizes": ["500.00", "300.00", "200.00"]},
    "monthly_visit_award": {"threshold": 20, "prizes": ["800.00", "500.00", "300.00"]},
    "signing_award": {"threshold_amount": "1000000.00", "prizes": ["1500.00", "1000.00", "500.00"]},
    "team_award": {"threshold_amount": "5000000.00", "prize": "6000.00"},
    "referral_bonus": "200.00",
    "promotion": {"streak_months": 3, "top_n": 3},
    "commission_rates": [
        {"project": None, "property_type": "high_rise", "mode": "per_unit", "value": "1000"},
        {"project": None, "property_type": "garden_house", "mode": "percent", "value": "1.50"},
        {"project": None, "property_type": "villa", "mode": "percent", "value": "2.00"},
        {"project": 3, "property_type": "high_rise", "mode": "per_unit", "value": "500"},
    ],
}


@extend_schema_view(
    create=extend_schema(examples=[OpenApiExample("A new version", value=PLAN_EXAMPLE)]),
)
class IncentivePlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """奖励方案 and their versions: managers write, supervisors read. A plan an approved or
    paid statement used is not changed (400): POST a new version from a later month."""

    queryset = IncentivePlan.objects.all()  # the model, for the router and tools; rows below
    serializer_class = IncentivePlanSerializer
    filterset_fields = ["effective_from", "projects"]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def get_permissions(self):
        capability = "read_plans" if self.request.method in SAFE_METHODS else "configure_plans"
        return [Can(capability)()]

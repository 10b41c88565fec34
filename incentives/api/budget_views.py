"""Budgets (预算) over the API: `budgets/`, set and changed through the budget services."""

from rest_framework import serializers, viewsets

from common.permissions import ScopedRoleModelPermissions
from common.serializers import IdRelatedField, ModelSerializer
from incentives.choices import CostCategory
from incentives.filters import BudgetFilter
from incentives.models import Budget
from incentives.selectors.budgets import budget_list
from incentives.services.budgets import budget_set, budget_update
from sales.models import Project


class BudgetSerializer(ModelSerializer):
    project = IdRelatedField(
        queryset=Project.objects.all(),
        allow_null=True,
        required=False,
        help_text="Null: the company's own budget.",
    )
    category = serializers.ChoiceField(choices=CostCategory.choices)
    month = serializers.CharField(max_length=10, help_text="A month, e.g. 2026-11.")

    class Meta:
        model = Budget
        fields = ["id", "project", "month", "category", "amount"]
        validators = []  # one per project, month and category: budget_set says so on its field


class BudgetViewSet(viewsets.ModelViewSet):
    """A manager sets and reads every budget; a supervisor reads their teams' projects'."""

    queryset = Budget.objects.all()
    serializer_class = BudgetSerializer
    permission_classes = [ScopedRoleModelPermissions]
    filterset_class = BudgetFilter
    ordering_fields = ["month", "amount"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return budget_list(user=self.request.user).order_by("-month", "category", "pk")

    def perform_create(self, serializer):
        serializer.instance = budget_set(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        budget = serializer.instance
        values = {
            "month": budget.month,
            "category": budget.category,
            "amount": budget.amount,
            "project": budget.project,
            **serializer.validated_data,
        }
        serializer.instance = budget_update(actor=self.request.user, budget=budget, **values)

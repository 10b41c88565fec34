"""费效 and staffing over the API: channel spend, cost per valid visit and per signing, and the
seed's staffing ratios."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.periods import MONTH, QUARTER, YEAR, local_today, parse_period_of
from common.serializers import ModelSerializer
from incentives.choices import CostCategory
from incentives.filters import ChannelCostFilter
from incentives.models import ChannelCost
from incentives.selectors.budgets import budget_vs_actual
from incentives.selectors.costs import cost_effectiveness, cost_list, cost_scope, staffing_check
from incentives.services.costs import cost_record


class ChannelCostSerializer(ModelSerializer):
    category = serializers.ChoiceField(choices=CostCategory.choices)

    class Meta:
        model = ChannelCost
        fields = ["id", "category", "period", "project", "partner", "campaign", "amount", "note"]


class ChannelCostViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Channel spend entries; managers record them and read them all, a supervisor reads those
    of the projects of the teams they run."""

    queryset = ChannelCost.objects.all()
    serializer_class = ChannelCostSerializer
    filterset_class = ChannelCostFilter
    ordering_fields = ["period", "amount"]

    def get_queryset(self):
        return cost_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = cost_record(actor=self.request.user, **serializer.validated_data)


class PeriodQuery(serializers.Serializer):
    period = serializers.CharField()

    def validate_period(self, value):
        message = _("Use a month, a quarter or a year.")
        try:
            return parse_period_of(value, (MONTH, QUARTER, YEAR), message=message)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


MONEY = {"max_digits": 16, "decimal_places": 2}


class CategorySpendSerializer(serializers.Serializer):
    category = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)


class ProjectCostSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    project_name = serializers.CharField()
    spend = serializers.DecimalField(**MONEY)
    valid_visits = serializers.IntegerField()
    signings = serializers.IntegerField()
    cost_per_valid_visit = serializers.DecimalField(**MONEY, allow_null=True)
    cost_per_signing = serializers.DecimalField(**MONEY, allow_null=True)


class PartnerCostSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    spend = serializers.DecimalField(**MONEY)
    valid_visits = serializers.IntegerField()
    signings = serializers.IntegerField()
    cost_per_valid_visit = serializers.DecimalField(**MONEY, allow_null=True)
    cost_per_signing = serializers.DecimalField(**MONEY, allow_null=True)


COMPANY_ONLY = "The company's total; null for a supervisor (a manager's figure)."
BUDGET_GAP = "budget − actual; negative: over budget; null without a budget."


class BudgetRowSerializer(serializers.Serializer):
    project = serializers.IntegerField(
        allow_null=True, help_text="null: the company's own budget and costs without a project."
    )
    project_name = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    category_label = serializers.CharField()
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    actual = serializers.DecimalField(**MONEY)
    difference = serializers.DecimalField(**MONEY, allow_null=True, help_text=BUDGET_GAP)
    over = serializers.BooleanField(help_text="true: spent more than the budget.")


class BudgetTotalSerializer(serializers.Serializer):
    project = serializers.IntegerField(allow_null=True, help_text="null: the company's total.")
    project_name = serializers.CharField(allow_null=True)
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    actual = serializers.DecimalField(**MONEY)
    difference = serializers.DecimalField(**MONEY, allow_null=True, help_text=BUDGET_GAP)
    over = serializers.BooleanField()


class BudgetVsActualSerializer(serializers.Serializer):
    rows = BudgetRowSerializer(many=True, help_text="Per project (or the company) and category.")
    projects = BudgetTotalSerializer(many=True, help_text="Each project over its categories.")
    company = BudgetTotalSerializer(allow_null=True, help_text=COMPANY_ONLY)
    warnings = BudgetTotalSerializer(many=True, help_text="The totals that passed their budget.")


class CostEffectivenessSerializer(serializers.Serializer):
    period = serializers.CharField()
    company = serializers.BooleanField(
        help_text="true: the whole company (a manager); false: a supervisor's projects only."
    )
    spend = serializers.DecimalField(**MONEY, allow_null=True, help_text=COMPANY_ONLY)
    by_category = CategorySpendSerializer(many=True, help_text="Empty for a supervisor.")
    valid_visits = serializers.IntegerField(allow_null=True, help_text=COMPANY_ONLY)
    signings = serializers.IntegerField(allow_null=True, help_text=COMPANY_ONLY)
    cost_per_valid_visit = serializers.DecimalField(
        **MONEY, allow_null=True, help_text=COMPANY_ONLY
    )
    cost_per_signing = serializers.DecimalField(**MONEY, allow_null=True, help_text=COMPANY_ONLY)
    projects = ProjectCostSerializer(many=True)
    partners = PartnerCostSerializer(
        many=True,
        help_text="Per partner: the spend entered for it and the valid visits and signings "
        "credited to it (for a supervisor, within their projects).",
    )
    budgets = BudgetVsActualSerializer(
        help_text="Budget against actual (预算 vs 实际) over the period's months, as the 费效 "
        "page shows it."
    )


class CostEffectivenessView(APIView):
    """费效 for a month, quarter or year: a manager the company's, a supervisor the projects
    of the teams they run (as on the dashboard); partner users and other roles 403."""

    permission_classes = [Can("read_costs")]

    @extend_schema(
        summary="Cost-effectiveness (费效) of a month, quarter or year",
        parameters=[OpenApiParameter("period", str, required=True)],
        responses=CostEffectivenessSerializer,
    )
    def get(self, request):
        query = PeriodQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period, scope = query.validated_data["period"], cost_scope(user=request.user)
        report = cost_effectiveness(period=period, today=local_today(), project_ids=scope)
        report["budgets"] = budget_vs_actual(period=period, project_ids=scope)
        return Response(CostEffectivenessSerializer(report).data)


class StaffingSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    marketers = serializers.IntegerField()
    consultants = serializers.IntegerField()
    secretaries = serializers.IntegerField()
    people = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class StaffingCheckView(APIView):
    """The seed's staffing ratios per active project: a manager every project, a supervisor
    the projects of the teams they run (as on the dashboard)."""

    permission_classes = [Can("read_costs")]

    @extend_schema(
        summary="The seed's staffing ratios per active project",
        responses=StaffingSerializer(many=True),
    )
    def get(self, request):
        rows = staffing_check(project_ids=cost_scope(user=request.user))
        return Response(StaffingSerializer(rows, many=True).data)

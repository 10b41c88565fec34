"""The weekly and monthly report (周报 / 月报) over the API: `reports/weekly/?period=2026-W47`,
`reports/monthly/?period=2026-11` as JSON and `…/export/` as xlsx — a manager the company's,
a supervisor their teams' and projects'; other roles 403."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.periods import local_today, month_of, parse_period_of, week_of
from common.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from incentives.api.export_views import XlsxExportView
from incentives.report_exports import period_report_filename, period_report_workbook
from incentives.selectors.period_report import (
    MONTHLY,
    REPORT_PERIOD_KIND,
    WEEKLY,
    period_report,
    report_scope,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class FiguresSerializer(serializers.Serializer):
    registrations = serializers.IntegerField()
    visits = serializers.IntegerField(help_text="Confirmed visits.")
    valid_visits = serializers.IntegerField()
    subscriptions = serializers.IntegerField(help_text="认购 not cancelled.")
    subscription_amount = serializers.DecimalField(**MONEY)
    signings = serializers.IntegerField(help_text="签约 units that count in the period.")
    signed_amount = serializers.DecimalField(**MONEY)
    payments = serializers.IntegerField(help_text="回款")
    payment_amount = serializers.DecimalField(**MONEY)
    mortgages = serializers.IntegerField(help_text="按揭 disbursed (放款).")
    mortgage_amount = serializers.DecimalField(**MONEY)
    spend = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="A week: each month's costs pro rata; null for teams."
    )
    cost_per_valid_visit = serializers.DecimalField(**MONEY, allow_null=True)
    cost_per_signing = serializers.DecimalField(**MONEY, allow_null=True)


class ChangeSerializer(FiguresSerializer):
    """The previous period's figures, or the change against them (now − before)."""


class RowSerializer(FiguresSerializer):
    previous = ChangeSerializer()
    change = ChangeSerializer()


class ProjectRowSerializer(RowSerializer):
    project = serializers.IntegerField(
        allow_null=True, help_text="null: the company-level row (costs entered without a project)."
    )
    project_name = serializers.CharField()


class TeamRowSerializer(RowSerializer):
    team = serializers.IntegerField()
    team_name = serializers.CharField()
    project_name = serializers.CharField()


class TargetRowSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    metric = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.IntegerField(allow_null=True)
    subject_name = serializers.CharField(allow_null=True)
    value = serializers.DecimalField(**MONEY)
    actual = serializers.DecimalField(**MONEY, allow_null=True)
    attainment = serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, help_text="0.8125 = 81.25%"
    )


class BoardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="null: not eligible (未达门槛).")
    staff = serializers.IntegerField(allow_null=True)
    staff_name = serializers.CharField(allow_null=True)
    team = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField(allow_null=True)
    value = serializers.DecimalField(**MONEY)
    eligible = serializers.BooleanField(help_text="false: below the board's threshold (未达门槛).")


class BoardTopSerializer(serializers.Serializer):
    kind = serializers.CharField()
    plan = serializers.IntegerField()
    frozen = serializers.BooleanField()
    top = BoardEntrySerializer(many=True, help_text="The first three entries.")


class SourceRowSerializer(serializers.Serializer):
    source = serializers.CharField()
    registrations = serializers.IntegerField()
    visits = serializers.IntegerField()
    valid_visits = serializers.IntegerField()
    signings = serializers.IntegerField()
    signed_amount = serializers.DecimalField(**MONEY)


class PeriodReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[WEEKLY, MONTHLY])
    period = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    previous_period = serializers.CharField()
    company = serializers.BooleanField(help_text="false: a supervisor's projects and teams.")
    projects = ProjectRowSerializer(many=True)
    teams = TeamRowSerializer(many=True)
    totals = RowSerializer(help_text="The sum of the project rows (with the company-level row).")
    targets = TargetRowSerializer(many=True, help_text="The period's company and team targets.")
    boards = BoardTopSerializer(many=True)
    sources = SourceRowSerializer(many=True, help_text="By 客户来源.")


class ReportQuery(serializers.Serializer):
    period = serializers.CharField(required=False, max_length=10)

    def validate_period(self, value):
        kind = self.context["kind"]
        message = (
            _("Use a week, e.g. 2026-W47.") if kind == WEEKLY else _("Use a month, e.g. 2026-11.")
        )
        try:
            return parse_period_of(value, (REPORT_PERIOD_KIND[kind],), message=message)
        except (TypeError, ValueError) as exc:
            raise serializers.ValidationError(str(exc)) from exc


def _report(request, kind: str) -> dict:
    query = ReportQuery(data=request.query_params, context={"kind": kind})
    query.is_valid(raise_exception=True)
    today = local_today()
    period = query.validated_data.get("period") or (
        week_of(today) if kind == WEEKLY else month_of(today)
    )
    project_ids, team_ids = report_scope(user=request.user)
    return period_report(
        kind=kind, period=period, today=today, project_ids=project_ids, team_ids=team_ids
    )


def _parameters(kind: str) -> list[OpenApiParameter]:
    example = "2026-W47" if kind == WEEKLY else "2026-11"
    return [OpenApiParameter("period", str, required=False, description=f"{example}; default: now")]


class _ReportView(APIView):
    permission_classes = [Can("read_period_reports")]
    kind = WEEKLY

    def get(self, request):
        return Response(PeriodReportSerializer(_report(request, self.kind)).data)


class _ReportExportView(XlsxExportView):
    permission_classes = [Can("read_period_reports")]
    kind = WEEKLY

    def get(self, request):
        report = _report(request, self.kind)
        return xlsx_response(period_report_workbook(report), period_report_filename(report))


class WeeklyReportView(_ReportView):
    """周报: a week's report."""

    kind = WEEKLY

    @extend_schema(parameters=_parameters(WEEKLY), responses=PeriodReportSerializer)
    def get(self, request):
        return super().get(request)


class MonthlyReportView(_ReportView):
    """月报: a month's report."""

    kind = MONTHLY

    @extend_schema(parameters=_parameters(MONTHLY), responses=PeriodReportSerializer)
    def get(self, request):
        return super().get(request)


XLSX = {(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}


class WeeklyReportExportView(_ReportExportView):
    kind = WEEKLY

    @extend_schema(summary="周报 as xlsx", parameters=_parameters(WEEKLY), responses=XLSX)
    def get(self, request):
        return super().get(request)


class MonthlyReportExportView(_ReportExportView):
    kind = MONTHLY

    @extend_schema(summary="月报 as xlsx", parameters=_parameters(MONTHLY), responses=XLSX)
    def get(self, request):
        return super().get(request)

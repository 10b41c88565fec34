"""xlsx downloads over the API: a month's statements (payroll) and a leaderboard.

Scoped exactly like the lists: `statement_list` decides whose statements a caller gets (a
marketer only their own); leaderboards are every staff role's. Errors stay JSON.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from common.access import Can
from common.periods import MONTH, local_today, parse_period_of
from common.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from incentives import exports
from incentives.api.serializers import LeaderboardQuerySerializer
from incentives.choices import BoardKind
from incentives.selectors.boards import leaderboard, plan_for_board
from incentives.selectors.statements import statement_page_list


class StatementExportQuerySerializer(serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="A month, e.g. 2026-11")

    def validate_period(self, value: str) -> str:
        message = _("Statements are monthly: give e.g. 2026-11.")
        try:
            return str(parse_period_of(value, (MONTH,), message=message))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class XlsxExportView(APIView):
    renderer_classes = [renderers.JSONRenderer]  # for errors; the workbook is the raw body

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the xlsx media type still gets its errors as JSON, never a 406.
        return super().perform_content_negotiation(request, force=True)


class StatementExportView(XlsxExportView):
    """A month's statements for payroll: a summary per person and every line."""

    permission_classes = [Can("read_statements")]

    @extend_schema(
        summary="Statements of a month as xlsx (奖金结算单导出)",
        parameters=[OpenApiParameter("period", str, required=True, description="2026-11")],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request):
        query = StatementExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        statements = statement_page_list(user=request.user).filter(period=period)
        return xlsx_response(
            exports.statements_workbook(statements), exports.statements_filename(period)
        )


class LeaderboardExportView(XlsxExportView):
    """A leaderboard as xlsx: the frozen snapshot of a closed period, else live figures."""

    permission_classes = [Can("read_boards")]

    @extend_schema(
        summary="Leaderboard as xlsx (排行榜导出)",
        parameters=[
            OpenApiParameter("kind", str, required=True, enum=[k.value for k in BoardKind]),
            OpenApiParameter("period", str, required=True, description="2026-W47 or 2026-11"),
            OpenApiParameter(
                "plan",
                int,
                required=False,
                description="Needed only when several plans are in force.",
            ),
        ],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request):
        query = LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period, kind = query.validated_data["period"], query.validated_data["kind"]
        month = period if period.kind == MONTH else period.months()[-1]
        plan = plan_for_board(month=month, plan_id=query.validated_data.get("plan"))
        if plan is None:
            raise NotFound("No single incentive plan in force for that period; pass plan=<id>.")
        board = leaderboard(plan=plan, kind=kind, period=period, today=local_today())
        return xlsx_response(
            exports.leaderboard_workbook(board), exports.leaderboard_filename(board)
        )

"""API for xlsx in and out: visit and signing imports, the daily report as a workbook."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from sales.api.activity_serializers import DailyReportQuerySerializer
from sales.exports import daily_report_filename, daily_report_workbook
from sales.models import Project
from sales.selectors.reports import daily_report
from sales.services import imports


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .xlsx workbook (≤ 5 MB, ≤ 5000 rows).")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.filter(is_active=True))
    commit_good_rows = serializers.BooleanField(
        default=False,
        help_text="Store the good rows and report the bad ones; otherwise one bad row stores "
        "nothing.",
    )
    sheet = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=31,
        help_text="Read only this worksheet; empty: every sheet with a header row.",
    )


class ImportProblemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field the column fills; empty for the row.")
    column = serializers.CharField(help_text="The column's header as written in the file.")
    cell = serializers.CharField(help_text="The cell, e.g. C7; empty for the whole row.")
    value = serializers.CharField(help_text="The cell's value as read.")
    message = serializers.CharField(help_text="What is wrong, in the caller's language.")


class ImportRowErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text="The worksheet's name.")
    row = serializers.IntegerField(help_text="The sheet's row number, as Excel shows it.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages; non_field_errors for the whole row.",
    )
    problems = ImportProblemSerializer(many=True)


class ImportSheetSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["read", "empty", "no_header", "not_selected", "instructions"],
        help_text="read; empty; no_header (no row names the columns: not read); not_selected "
        "(another sheet was asked for); instructions (an explanation sheet: not read).",
    )
    header_row = serializers.IntegerField(allow_null=True)
    rows = serializers.IntegerField(help_text="Data rows read from this sheet.")


class ImportSkippedRowSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    value = serializers.CharField(help_text="The 合计/小计 cell that marks the total line.")
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=imports.KINDS)
    rows = serializers.IntegerField(help_text="Data rows read from the sheets.")
    imported = serializers.IntegerField(help_text="Rows stored.")
    valid_rows = serializers.IntegerField(help_text="Rows that passed every check.")
    refused = serializers.IntegerField(help_text="Rows with errors (in `errors`).")
    skipped = serializers.IntegerField(help_text="Total lines (合计/小计) skipped.")
    committed = serializers.BooleanField(help_text="True only when rows were stored.")
    summary = serializers.CharField(help_text="The outcome in a sentence or two.")
    sheets = ImportSheetSerializer(many=True)
    skipped_rows = ImportSkippedRowSerializer(many=True)
    errors = ImportRowErrorSerializer(many=True)


class ImportView(APIView):
    """POST an xlsx file: every row goes through the same service as daily entry."""

    permission_classes = [Can("import_activity")]
    parser_classes = [MultiPartParser]  # an upload: the one multipart body of its kind
    kind = imports.VISITS

    def post(self, request):
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = imports.IMPORTERS[self.kind](actor=request.user, **body.validated_data)
        data = ImportReportSerializer(report.as_dict()).data
        if report.errors and not report.imported:
            first = report.errors[0]
            return Response(
                {
                    "detail": _(
                        "Nothing was imported: %(bad)d row(s) have errors, the first on sheet "
                        "%(sheet)s, row %(row)d."
                    )
                    % {"bad": len(report.errors), "sheet": first["sheet"], "row": first["row"]},
                    "code": "import_invalid",
                    **data,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(data)


def _import_schema(summary: str):
    return extend_schema(
        summary=summary,
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(
                ImportReportSerializer,
                description="Nothing imported: the row errors are in `errors` (or a file "
                "problem in the usual error shape).",
            ),
        },
    )


class VisitImportView(ImportView):
    kind = imports.VISITS

    @_import_schema("Import visits from xlsx (来访导入)")
    def post(self, request):
        return super().post(request)


class SigningImportView(ImportView):
    kind = imports.SIGNINGS

    @_import_schema("Import signings from xlsx (签约导入)")
    def post(self, request):
        return super().post(request)


class DailyReportExportView(APIView):
    """日报 of one project and day as an xlsx workbook."""

    permission_classes = [Can("read_daily_report")]
    renderer_classes = [renderers.JSONRenderer]  # for errors; the workbook is the raw body

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the xlsx media type still gets its errors as JSON, never a 406.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Daily report as xlsx (日报导出)",
        parameters=[
            OpenApiParameter("project", int, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD"),
        ],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request):
        query = DailyReportQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        project, on = query.validated_data["project"], query.validated_data["date"]
        report = daily_report(project=project, on=on)
        return xlsx_response(
            daily_report_workbook(report, project_code=project.code),
            daily_report_filename(project_code=project.code, on=on),
        )

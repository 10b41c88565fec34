"""The report pages (周报 / 月报): a week's or a month's figures per project and team with the
change against the previous period, attainment, each board's top 3 and the sources — the
same selector as the API, the xlsx and the managers' mail."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.access import capability_required
from common.periods import local_today, month_of, week_of
from common.xlsx import xlsx_response
from incentives.report_exports import period_report_filename, period_report_workbook
from incentives.report_forms import ReportPeriodForm
from incentives.selectors.period_report import MONTHLY, WEEKLY, period_report, report_scope


@capability_required("read_period_reports")
@require_GET
def period_report_page(request, kind: str):
    """周报 (kind "weekly") or 月报 ("monthly") of the asked period (default: the current one);
    ``?export=xlsx`` downloads it."""
    if kind not in (WEEKLY, MONTHLY):
        raise Http404
    today = local_today()
    period = week_of(today) if kind == WEEKLY else month_of(today)
    form = ReportPeriodForm(request.GET if "period" in request.GET else None, kind=kind)
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
    elif not form.is_bound:
        form = ReportPeriodForm(initial={"period": str(period)}, kind=kind)
    project_ids, team_ids = report_scope(user=request.user)
    report = period_report(
        kind=kind, period=period, today=today, project_ids=project_ids, team_ids=team_ids
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(period_report_workbook(report), period_report_filename(report))
    context = {
        "kind": kind,
        "form": form,
        "period": period,
        "previous": period.previous(),
        "next": period.next(),
        "report": report,
    }
    return render(request, "incentives/reports/period.html", context)

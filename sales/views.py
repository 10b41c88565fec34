"""Browser pages of the sales office: today's visits, the daily report (日报), xlsx import.

Thin adapters: forms read the input, services write, selectors read; htmx swaps small parts.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.periods import local_date, local_today
from common.xlsx import ascii_filename, xlsx_response
from sales.choices import VisitStatus
from sales.exports import (
    daily_report_filename,
    daily_report_rows,
    daily_report_workbook,
)
from sales.forms import (
    VISIT_ERROR_FIELDS,
    DailyReportForm,
    ImportForm,
    VisitEntryForm,
)
from sales.models import Project
from sales.selectors import reports as report_selectors
from sales.selectors.activity import visit_day_list, visit_get
from sales.selectors.customers import customer_phone_check
from sales.selectors.org import project_active_list, project_default
from sales.services import imports
from sales.services.visits import visit_confirm, visit_record, visit_reject

SESSION_PROJECT = "sales.project"


def _active_project(raw) -> Project | None:
    raw = str(raw or "")
    return project_active_list().filter(pk=raw).first() if raw.isdigit() else None


def _current_project(request) -> Project | None:
    """?project= when it names an active project, else the one remembered in the session,
    else the first active project; the answer is remembered for the next page."""
    project = _active_project(request.GET.get("project")) or project_default(
        remembered=request.session.get(SESSION_PROJECT)
    )
    _remember(request, project)
    return project


def _remember(request, project: Project | None) -> None:
    if project is not None and request.session.get(SESSION_PROJECT) != project.pk:
        request.session[SESSION_PROJECT] = project.pk


# --- today's visits -------------------------------------------------------------------------


@capability_required("log_visits")
@require_http_methods(["GET", "POST"])
def visits_today(request):
    """The secretary's phone-first page: log a visit in seconds, confirm today's visits."""
    project = _current_project(request)
    if request.method == "POST":
        form = VisitEntryForm(request.POST, user=request.user, project=project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = visit_record(
                    actor=request.user,
                    project=data["project"],
                    customer_name=data["customer_name"],
                    customer_phone=data["phone"],
                    visited_at=data["visited_at"] or timezone.now(),
                    property_type=data["property_type"],
                    consultant=data["consultant"],
                    group_size=data["group_size"],
                    status=VisitStatus.CONFIRMED if data["confirmed"] else VisitStatus.PENDING,
                    **data["brought_by"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, VISIT_ERROR_FIELDS)
            else:
                _remember(request, visit.project)
                messages.success(request, _visit_logged_message(visit))
                return redirect("sales:visits-today")
        project = (form.cleaned_data or {}).get("project") or project
    else:
        form = VisitEntryForm(user=request.user, project=project)
    today = local_today()
    visits = visit_day_list(user=request.user, project=project, on=today) if project else []
    context = {"form": form, "project": project, "today": today, "visits": visits}
    return render(request, "sales/visit_today.html", context)


def _visit_logged_message(visit) -> str:
    if visit.status == VisitStatus.CONFIRMED:
        state = _("valid") if visit.is_valid else _("not valid: a repeat visit")
    else:
        state = _("pending confirmation")
    if visit.brought_marketer_id is None and visit.brought_partner_id is None:
        message = _("Walk-in (自然到访) of %(name)s logged (%(state)s).") % {
            "name": visit.customer_name,
            "state": state,
        }
    else:
        message = _("Visit of %(name)s logged (%(state)s).") % {
            "name": visit.customer_name,
            "state": state,
        }
    day = local_date(visit.visited_at)
    if day != local_today():
        message += " " + _("It is on %(day)s, so it is not in today's list.") % {
            "day": day.isoformat()
        }
    return message


@capability_required("log_visits")
@require_GET
def visit_check_phone(request):
    """htmx partial while the phone is typed: new customer, known customer, or a repeat."""
    project = _active_project(request.GET.get("project"))
    check = (
        customer_phone_check(
            project=project, phone=request.GET.get("phone", ""), today=local_today()
        )
        if project
        else {"state": "incomplete"}
    )
    return render(request, "sales/partials/phone_check.html", {"check": check})


def _visit_row(request, pk: int, change) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    if visit is None:
        raise Http404
    error = ""
    try:
        change(visit)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("sales:visits-today")
    visit = visit_get(user=request.user, pk=pk)
    return render(request, "sales/partials/visit_row.html", {"visit": visit, "error": error})


@capability_required("confirm_visits")
@require_POST
def visit_confirm_view(request, pk: int):
    """Confirm a pending visit; answers the row for htmx to swap in."""
    return _visit_row(request, pk, lambda visit: visit_confirm(actor=request.user, visit=visit))


@capability_required("confirm_visits")
@require_POST
def visit_reject_view(request, pk: int):
    """Reject a visit (with an optional reason); answers the row for htmx to swap in."""
    reason = request.POST.get("reason", "").strip()[:200]
    return _visit_row(
        request, pk, lambda visit: visit_reject(actor=request.user, visit=visit, reason=reason)
    )


# --- daily report ---------------------------------------------------------------------------


def _report_form(request) -> DailyReportForm:
    default = project_default(
        remembered=request.session.get(SESSION_PROJECT),
        among=report_selectors.report_project_list(user=request.user),
    )
    data = {
        "project": request.GET.get("project") or (default.pk if default else ""),
        "date": request.GET.get("date") or local_today().isoformat(),
    }
    return DailyReportForm(data, user=request.user)


@capability_required("read_daily_report")
@require_GET
def daily_report(request):
    """日报 of one project and day, with the previous/next day and an xlsx download."""
    form = _report_form(request)
    context = {"form": form, "report": None}
    if form.is_valid():
        project, on = form.cleaned_data["project"], form.cleaned_data["date"]
        if project.is_active:
            _remember(request, project)
        report = report_selectors.daily_report(project=project, on=on)
        context.update(
            report=report,
            rows=daily_report_rows(report, ui=True),
            project=project,
            on=on,
            previous_day=on - timedelta(days=1),
            next_day=on + timedelta(days=1) if on < local_today() else None,
        )
    status = 200 if form.is_valid() else 400
    return render(request, "sales/daily_report.html", context, status=status)


@capability_required("read_daily_report")
@require_GET
def daily_report_export(request):
    """日报 as an xlsx download (the same numbers as the page)."""
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "sales/daily_report.html", {"form": form}, status=400)
    project, on = form.cleaned_data["project"], form.cleaned_data["date"]
    report = report_selectors.daily_report(project=project, on=on)
    return xlsx_response(
        daily_report_workbook(report, project_code=project.code),
        daily_report_filename(project_code=project.code, on=on),
    )


# --- xlsx import ----------------------------------------------------------------------------


def _report_lines(report: imports.ImportReport) -> list[dict]:
    """Each refused row's problems as table lines: sheet, row, cell, the column as headed in
    the file, the value and the message."""
    return [
        {"sheet": problem["sheet"], "row": problem["row"], **line}
        for problem in report.errors
        for line in problem["problems"]
    ]


@capability_required("import_activity")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload visits or signings as xlsx; shows the row-by-row report."""
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = imports.IMPORTERS[data["kind"]](
                    actor=request.user,
                    project=data["project"],
                    file=data["file"],
                    commit_good_rows=data["commit_good_rows"],
                    sheet=data["sheet"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _remember(request, data["project"])
    else:
        form = ImportForm(initial={"project": _current_project(request)})
    context = {
        "form": form,
        "report": report,
        "lines": _report_lines(report) if report else [],
        "kinds": imports.KINDS,
    }
    return render(request, "sales/import.html", context)


@capability_required("import_activity")
@require_GET
def import_template(request, kind: str):
    """The xlsx template of an import kind, generated from the column spec."""
    if kind not in imports.KINDS:
        raise Http404
    content = imports.import_template(kind=kind)
    return xlsx_response(content, ascii_filename(kind, "import-template"))

"""The dashboard's pages: thin adapters between the month picker, the selector and the
templates (charts get their figures through json_script; static/js/dashboard.js draws them)."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.access import can, capability_required
from common.periods import local_today, month_of
from common.xlsx import xlsx_response
from incentives.selectors import plan_coverage
from portal.dashboard import selectors
from portal.dashboard.exports import dashboard_filename, dashboard_workbook
from portal.dashboard.forms import MonthForm


def _month(request) -> tuple[MonthForm, object]:
    """The asked month when valid, else the current one (the form carries the error)."""
    today = local_today()
    form = MonthForm(request.GET if "month" in request.GET else None)
    month = month_of(today)
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
    elif not form.is_bound:
        form = MonthForm(initial={"month": str(month)})
    return form, month


@capability_required("view_dashboard")
@require_GET
def index(request):
    """This month's attainment, activity per day, funnel, marketers, flags, contracts, jobs."""
    form, month = _month(request)
    today = local_today()
    data = selectors.dashboard(user=request.user, month=month, today=today)
    context = {
        "form": form,
        "data": data,
        "month": month,
        "previous_month": month.previous(),
        "next_month": month.next(),
        "charts": chart_data(data),
        # Whom no plan pays: for the people who change plans.
        "coverage": (
            plan_coverage(period=month, computed_on=today)
            if can(request.user, "configure_plans")
            else None
        ),
    }
    return render(request, "portal/dashboard/index.html", context)


@capability_required("view_dashboard")
@require_GET
def export(request):
    """The same dashboard as an xlsx workbook, one sheet per section."""
    form, month = _month(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors["month"]), content_type="text/plain")
    data = selectors.dashboard(user=request.user, month=month, today=local_today())
    return xlsx_response(dashboard_workbook(data), dashboard_filename(month))


def chart_data(data: dict) -> dict:
    """The charts' figures for json_script: money as decimal strings (JS makes them numbers)."""
    team_rows = [row for row in data["attainment"]["teams"] if row["attainment"] is not None]
    return {
        "days": {
            "labels": [row["day"].strftime("%m-%d") for row in data["days"]],
            "valid_visits": [row["valid_visits"] for row in data["days"]],
            "signings": [row["signings"] for row in data["days"]],
            "signing_amount": [f"{row['signing_amount']:.2f}" for row in data["days"]],
        },
        "funnel": [{"name": str(s["label"]), "value": s["customers"]} for s in data["funnel"]],
        "attainment": {
            "labels": [f"{row['name']} · {row['metric_label']}" for row in team_rows],
            "percent": [f"{row['attainment'] * 100:.2f}" for row in team_rows],
        },
        "text": {
            "valid_visits": _("Valid visits"),
            "signings": _("Signings"),
            "signing_amount": _("Signing amount (CNY)"),
            "attainment": _("Attainment %"),
            "target": _("Target 100%"),
        },
    }

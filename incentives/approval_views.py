"""The manager's approvals page (审批): a month's statements on the list pattern (filter, sort,
pages, totals, payroll xlsx), bulk approve / mark paid / export after a confirmation, and the
month's compute queued as a job whose state the page follows.

Thin adapters: the list's rows and totals come from selectors (scoped to the manager), the
decisions from the statement services (which audit them), the compute from the queue service.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ALL_MATCHING_FIELD, EXPORT_LIMIT, QUERY_FIELD, ListPage, bulk_selection
from common.models import JobRun
from common.money import format_money
from common.periods import local_today, month_of, parse_period
from common.selectors import job_runs_latest, last_heartbeat
from common.xlsx import xlsx_response
from incentives import exports, selectors, services
from incentives.approval_forms import APPROVE, EXPORT, MARK_PAID, BulkConfirmForm
from incentives.choices import StatementStatus
from incentives.filters import StatementApprovalFilter
from incentives.services.compute_jobs import QUEUE_UNAVAILABLE
from incentives.services.summary import ComputeSummary
from incentives.tables import ApprovalTable

JOB_RUNS_SHOWN = 10
# A queued compute that waited this long while no worker beat recently says no worker runs.
WORKER_QUIET_AFTER = timedelta(seconds=30)
HEARTBEAT_STALE = timedelta(minutes=3)
# What each decision acts on, and what it leaves alone (the rest of the selection).
ACTS_ON = {APPROVE: StatementStatus.DRAFT, MARK_PAID: StatementStatus.APPROVED}


def _default_month() -> str:
    """Statements are drafted on the 1st for the month just closed: that month."""
    return str(month_of(local_today()).previous())


def _approvals_url(query: str = "") -> str:
    url = reverse("incentives:approvals")
    return f"{url}?{query}" if query else url


def _listing(request) -> ListPage:
    return ListPage(
        request,
        queryset=selectors.statement_approval_list(user=request.user),
        filterset_class=StatementApprovalFilter,
        table_class=ApprovalTable,
        export_name="statements",
    )


def _payroll_response(statements, *, period: str):
    """The payroll workbook (exports.statements_workbook, the one payroll sheet) of a
    selection, at most EXPORT_LIMIT statements."""
    workbook = exports.statements_workbook(statements[:EXPORT_LIMIT])
    return xlsx_response(workbook, exports.statements_filename(period or "selection"))


@capability_required("approve_statements")
@require_GET
def approvals(request):
    """A month's statements (the month just closed unless another is asked for): filter,
    totals, bulk decisions, the compute job and whom no plan covers."""
    if "period" not in request.GET:  # `?period=` (empty) asks for every month
        query = request.GET.copy()
        query["period"] = _default_month()
        request.GET = query  # the filter, sorting, pages and links all read it
    listing = _listing(request)
    valid = listing.filterset.is_valid()
    period = listing.filterset.form.cleaned_data.get("period", "") if valid else ""
    if listing.export_requested and valid:
        return _payroll_response(listing.rows, period=period)
    run = selectors.compute_run_latest(period=period) if period else None
    totals = selectors.statement_totals(statements=listing.rows)
    context = {
        "listing": listing,
        "period": period,
        "totals": totals,
        "drafts": totals.of(StatementStatus.DRAFT),
        "approved": totals.of(StatementStatus.APPROVED),
        "job": _job_context(run) if run else None,
        "job_runs": job_runs_latest(limit=JOB_RUNS_SHOWN),
        "promotions": (
            selectors.promotion_list(user=request.user).filter(period=period) if period else []
        ),
        "coverage": (
            selectors.plan_coverage(period=parse_period(period), computed_on=local_today())
            if period
            else None
        ),
    }
    return render(request, "incentives/approvals.html", context, status=200 if valid else 400)


# Bulk decisions: a confirmation with the numbers, then the services.
def _skipped_text(skipped: dict[str, int]) -> str:
    """Why the rest of the selection was left alone: "2 already paid, 1 still a draft"."""
    reasons = {
        StatementStatus.DRAFT: lambda n: ngettext(
            "%(count)d still a draft (approve it first)",
            "%(count)d still drafts (approve them first)",
            n,
        ),
        StatementStatus.APPROVED: lambda n: ngettext(
            "%(count)d already approved", "%(count)d already approved", n
        ),
        StatementStatus.PAID: lambda n: ngettext(
            "%(count)d already paid", "%(count)d already paid", n
        ),
    }
    parts = [
        reasons[status](count) % {"count": count}
        for status, count in sorted(skipped.items())
        if count and status in reasons
    ]
    return pgettext("list separator", ", ").join(parts)


def _result_message(action: str, result, *, paid_on=None) -> str:
    total = format_money(result.total_amount)
    if action == APPROVE:
        text = ngettext(
            "Approved %(count)d statement, total ¥%(total)s.",
            "Approved %(count)d statements, total ¥%(total)s.",
            result.count,
        )
    else:
        text = ngettext(
            "Marked %(count)d statement paid on %(on)s, total ¥%(total)s.",
            "Marked %(count)d statements paid on %(on)s, total ¥%(total)s.",
            result.count,
        )
    on = paid_on.isoformat() if paid_on else ""
    text = text % {"count": result.count, "total": total, "on": on}
    skipped = _skipped_text(result.skipped)
    if skipped:
        text += " " + _("Left as they were: %(reasons)s.") % {"reasons": skipped}
    return text


def _decide(request, *, action: str, ids: list[int], form: BulkConfirmForm):
    """Run the decision through its service and say what it did; None when the service
    refused it (the refusal is then on the form)."""
    try:
        if action == APPROVE:
            result = services.statements_approve_batch(actor=request.user, statement_ids=ids)
        else:
            result = services.statements_mark_paid(
                actor=request.user, statement_ids=ids, paid_on=form.cleaned_data["paid_on"]
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return _result_message(action, result, paid_on=form.cleaned_data.get("paid_on"))


@capability_required("approve_statements")
@require_POST
def approvals_bulk(request):
    """Approve, mark paid or export the checked statements, or every one the filter matches
    (always within the manager's scope). Approve and mark paid first show how many and what
    total they will change, and act once that is confirmed with the same numbers."""
    action = request.POST.get("action", "")
    query = request.POST.get(QUERY_FIELD, "")
    back = _approvals_url(query)
    scope = selectors.statement_approval_list(user=request.user)
    chosen = bulk_selection(request, queryset=scope, filterset_class=StatementApprovalFilter)
    if action not in (*ACTS_ON, EXPORT):
        messages.error(request, _("Choose what to do with the selected statements."))
        return redirect(back)
    totals = selectors.statement_totals(statements=chosen)
    if not totals.count:
        messages.error(request, _("Select at least one statement, or tick all that match."))
        return redirect(back)
    if action == EXPORT:
        return _payroll_response(chosen, period="")
    acting = totals.of(ACTS_ON[action])
    confirmed = request.POST.get("confirmed") == "1"
    form = BulkConfirmForm(request.POST if confirmed else None, action=action)
    if confirmed and form.is_valid():
        if form.matches(count=acting.count, total=acting.total_amount):
            ids = list(chosen.values_list("pk", flat=True))
            done = _decide(request, action=action, ids=ids, form=form)
            if done is not None:
                messages.success(request, done)
                return redirect(back)
        else:
            form.add_error(
                None,
                _("The selection changed since you looked: check the numbers again."),
            )
    all_matching = request.POST.get(ALL_MATCHING_FIELD) == "1"
    context = {
        "action": action,
        "form": form,
        "acting": acting,
        "totals": totals,
        "skipped": _skipped_text(
            {row.status: row.count for row in totals.by_status if row is not acting}
        ),
        "all_matching": all_matching,
        "selected_ids": [] if all_matching else list(chosen.values_list("pk", flat=True)),
        "query": query,
        "back": back,
    }
    status = 400 if form.is_bound else 200
    return render(request, "incentives/approvals_confirm.html", context, status=status)


# The compute, as a job the page follows.
@capability_required("run_compute")
@require_POST
def approvals_compute(request):
    """Queue the month's compute for the worker (never inside the request); the page then
    follows the job."""
    period = request.POST.get("period", "")
    back = _approvals_url(request.POST.get(QUERY_FIELD, ""))
    try:
        run = services.period_compute_queue(actor=request.user, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    run.refresh_from_db()
    if run.status == JobRun.Status.FAILED:
        messages.error(request, _job_error(run))
    else:
        messages.success(
            request,
            _("The compute of %(period)s is queued; this page shows how it goes.")
            % {"period": run.key},
        )
    return redirect(back)


def _job_error(run: JobRun) -> str:
    if run.facts.get("code") == QUEUE_UNAVAILABLE:
        return _(
            "The job queue (broker) is not reachable, so the compute was not queued. "
            "Try again once it is back."
        )
    return run.message or _("The compute failed.")


def _job_context(run: JobRun) -> dict:
    """What the job status partial shows of a compute run, in the reader's language."""
    now = timezone.now()
    context = {"run": run, "active": run.status in (JobRun.Status.QUEUED, JobRun.Status.RUNNING)}
    context["seconds"] = int(((run.finished_at or now) - run.started_at).total_seconds())
    if run.status == JobRun.Status.QUEUED and now - run.started_at > WORKER_QUIET_AFTER:
        beat = last_heartbeat()
        context["no_worker"] = beat is None or now - beat.started_at > HEARTBEAT_STALE
    if run.status == JobRun.Status.SUCCEEDED and run.facts.get("summary"):
        context["summary"] = ComputeSummary.from_facts(run.facts["summary"]).text()
    elif run.status == JobRun.Status.SUCCEEDED:
        context["summary"] = run.message  # a run recorded before its facts were kept
    if run.status == JobRun.Status.FAILED:
        context["error"] = _job_error(run)
    return context


@capability_required("run_compute")
@require_GET
def approvals_job(request, pk: int):
    """The job status partial of one compute run (the page polls it while it is active)."""
    run = selectors.compute_run(run_id=pk)
    if run is None:
        raise Http404
    return render(request, "incentives/partials/compute_job.html", {"job": _job_context(run)})

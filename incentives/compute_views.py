"""The approvals page's compute: the month queued as a job for the worker (never inside the
request), and the job's status partial the page polls while it runs."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.access import capability_required
from common.lists import QUERY_FIELD
from common.models import JobRun
from common.selectors import job_runs_latest, last_heartbeat
from incentives import selectors, services
from incentives.services.compute_jobs import QUEUE_UNAVAILABLE
from incentives.services.summary import ComputeSummary

JOB_RUNS_SHOWN = 10
# A queued compute that waited this long while no worker beat recently says no worker runs.
WORKER_QUIET_AFTER = timedelta(seconds=30)
HEARTBEAT_STALE = timedelta(minutes=3)


def approvals_url(query: str = "") -> str:
    url = reverse("incentives:approvals")
    return f"{url}?{query}" if query else url


def compute_context(*, period: str) -> dict:
    """What the approvals page shows of the compute: the month's latest run and the last jobs."""
    run = selectors.compute_run_latest(period=period) if period else None
    return {
        "job": _job_context(run) if run else None,
        "job_runs": job_runs_latest(limit=JOB_RUNS_SHOWN),
    }


# The compute, as a job the page follows.
@capability_required("run_compute")
@require_POST
def approvals_compute(request):
    """Queue the month's compute for the worker (never inside the request); the page then
    follows the job."""
    period = request.POST.get("period", "")
    back = approvals_url(request.POST.get(QUERY_FIELD, ""))
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

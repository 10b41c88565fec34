"""The compute's job runs, as the approvals page follows them."""

from common.models import JobRun

COMPUTE_JOB = "compute_incentives"  # the JobRun name of every compute (job, command, page)


def compute_run_latest(*, period: str) -> JobRun | None:
    """The latest compute of `period` (queued, running or done), or None."""
    return JobRun.objects.filter(name=COMPUTE_JOB, key=period).order_by("-started_at").first()


def compute_run(*, run_id: int) -> JobRun | None:
    """One compute's job run by id, or None."""
    return JobRun.objects.filter(name=COMPUTE_JOB, pk=run_id).first()

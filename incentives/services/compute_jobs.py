"""A compute as a background job: the approvals page queues it, a worker runs it.

`period_compute_queue` records a *queued* JobRun and hands the period and that run's id to the
worker task the API queues too (`incentives.tasks.compute_period`); `period_compute` then
moves that same run to running and to succeeded (with the summary's facts) or failed, so the
page follows one row from the click to the result. A compute is safe to run twice, so a task
delivered again (acks late) only computes the same ledger again.
"""

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from common.access import can
from common.models import JobRun
from common.periods import MONTH, WEEK, Period, local_today
from incentives.selectors.jobs import COMPUTE_JOB
from incentives.services.periods import begun_period

logger = logging.getLogger(__name__)

# A queued or running compute younger than this makes a second click wait; an older one is
# taken for lost (no worker took it, or its worker died) and no longer blocks.
COMPUTE_BUSY_FOR = timedelta(minutes=15)
QUEUE_UNAVAILABLE = "queue_unavailable"  # the facts' code of a run the broker refused


def compute_target(period: str, *, today: date) -> Period:
    """The week or month a compute is asked for, refused when it is neither or has not begun."""
    message = _("Compute a week (2026-W47) or a month (2026-11).")
    return begun_period(period, (WEEK, MONTH), today=today, message=message)


def compute_run_start(*, key: str, now: datetime, run_id: int | None = None) -> int:
    """The job run a compute reports to: the queued one it was given, else a new one."""
    if run_id is not None:
        started = JobRun.objects.filter(pk=run_id, name=COMPUTE_JOB).update(
            status=JobRun.Status.RUNNING, started_at=now, finished_at=None, message=""
        )
        if started:
            return run_id
    run = JobRun.objects.create(
        name=COMPUTE_JOB, key=key, status=JobRun.Status.RUNNING, started_at=now
    )
    return run.pk


def compute_run_finish(*, run_id: int, status: str, message: str, facts: dict) -> None:
    JobRun.objects.filter(pk=run_id).update(
        status=status, finished_at=timezone.now(), message=message, facts=facts
    )


def compute_run_busy(*, key: str, now: datetime) -> JobRun | None:
    """A compute of `key` queued or running for less than COMPUTE_BUSY_FOR, if there is one."""
    return (
        JobRun.objects.filter(
            name=COMPUTE_JOB,
            key=key,
            status__in=(JobRun.Status.QUEUED, JobRun.Status.RUNNING),
            started_at__gte=now - COMPUTE_BUSY_FOR,
        )
        .order_by("-started_at")
        .first()
    )


def period_compute_queue(*, actor, period: str) -> JobRun:
    """Queue a compute of a week or a month for the worker, as a queued job run the page
    follows. Refused for a period that is not a week or month or has not begun, and while
    the same period's compute is still queued or running. When the queue (broker) cannot
    take it, the run is recorded failed with that reason."""
    if not can(actor, "run_compute"):
        raise ValidationError({"period": _("Only a channel manager can do this.")})
    now = timezone.now()
    target = compute_target(period, today=local_today())
    busy = compute_run_busy(key=str(target), now=now)
    if busy is not None:
        message = (
            _("A compute of %(period)s is already waiting for a worker.")
            if busy.status == JobRun.Status.QUEUED
            else _("A compute of %(period)s is already running.")
        )
        raise ValidationError({"period": message % {"period": str(target)}})
    run = JobRun.objects.create(
        name=COMPUTE_JOB, key=str(target), status=JobRun.Status.QUEUED, started_at=now
    )
    transaction.on_commit(lambda: _send(run))
    return run


def _send(run: JobRun) -> None:
    from incentives.tasks import compute_period  # the task module imports the services

    try:
        compute_period.delay(run.key, run_id=run.pk)
    except BrokerError as exc:
        logger.error("could not queue %s %s: %s", COMPUTE_JOB, run.key, exc)
        compute_run_finish(
            run_id=run.pk,
            status=JobRun.Status.FAILED,
            message=str(exc)[:2000],
            facts={"code": QUEUE_UNAVAILABLE},
        )

"""Beat jobs for the incentive engine: they only name a period and call the one service."""

from celery import shared_task

from common.periods import local_today, month_of, week_of
from incentives.services.compute import period_compute


@shared_task(name="incentives.tasks.compute_period")
def compute_period(period: str, run_id: int | None = None) -> str:
    """Compute one period (the API, the approvals page); `run_id`: the queued job run the
    page follows."""
    return period_compute(period=period, run_id=run_id).text()


@shared_task(name="incentives.tasks.compute_last_week")
def compute_last_week() -> str:
    """Monday 01:00: freeze last week's visit ranking."""
    return period_compute(period=str(week_of(local_today()).previous())).text()


@shared_task(name="incentives.tasks.compute_last_month")
def compute_last_month() -> str:
    """The 1st at 02:00: freeze last month's boards and draft its statements."""
    return period_compute(period=str(month_of(local_today()).previous())).text()

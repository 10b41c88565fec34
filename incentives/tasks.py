"""Beat jobs for the incentive engine: they only name a period and call the one service."""

from celery import shared_task

from common.periods import MONTH, WEEK, local_today, month_of, parse_period_of, week_of
from incentives.selectors.period_report import MONTHLY, WEEKLY
from incentives.services.compute import period_compute
from incentives.services.period_reports import period_report_mail


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


@shared_task(name="incentives.tasks.weekly_report_mail")
def weekly_report_mail(period: str | None = None) -> str:
    """Sunday 18:00: this week's report (周报, Monday to today) to the managers, once per week;
    `period` (e.g. 2026-W47) is for re-runs."""
    today = local_today()
    week = parse_period_of(period, (WEEK,), message="a week") if period else week_of(today)
    return period_report_mail(kind=WEEKLY, period=week, today=today)


@shared_task(name="incentives.tasks.monthly_report_mail")
def monthly_report_mail(period: str | None = None) -> str:
    """The 1st at 09:00: last month's report (月报) to the managers, once per month; `period`
    (e.g. 2026-11) is for re-runs."""
    today = local_today()
    month = (
        parse_period_of(period, (MONTH,), message="a month")
        if period
        else month_of(today).previous()
    )
    return period_report_mail(kind=MONTHLY, period=month, today=today)

"""Daily jobs of the sales activity; each calls one service and is safe to run twice."""

from datetime import date, timedelta

from celery import shared_task

from common.periods import local_today
from sales.services.customers import registrations_expire
from sales.services.notices import protection_ending_notify
from sales.services.reports import daily_reports_mail


@shared_task(name="sales.tasks.registration_expiry")
def registration_expiry(today: str | None = None) -> int:
    """Beat fires this daily at 00:10 (Asia/Shanghai): registrations whose protection ended
    expire. `today` (ISO date) is for re-runs; expiring twice changes nothing."""
    return registrations_expire(today=date.fromisoformat(today) if today else local_today())


@shared_task(name="sales.tasks.daily_report_mail")
def daily_report_mail(on: str | None = None) -> dict[str, str]:
    """Beat fires this daily at 08:00 (Asia/Shanghai): yesterday's daily report of every
    active project to the managers, once per project and date."""
    day = date.fromisoformat(on) if on else local_today() - timedelta(days=1)
    return daily_reports_mail(on=day)


@shared_task(name="sales.tasks.protection_ending_notices")
def protection_ending_notices(today: str | None = None) -> int:
    """Beat fires this daily at 09:00 (Asia/Shanghai): registrants hear of protections ending
    within 3 days, once per registration however often it runs or on how many workers."""
    return protection_ending_notify(today=date.fromisoformat(today) if today else local_today())

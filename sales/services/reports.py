"""The daily report (日报) by e-mail: yesterday's numbers of every active project to managers."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.locks import advisory_lock
from common.models import JobRun
from common.selectors import manager_email_list
from common.xlsx import XLSX_CONTENT_TYPE
from sales.exports import daily_report_filename, daily_report_rows, daily_report_workbook
from sales.models import Project
from sales.selectors.reports import daily_report

logger = logging.getLogger(__name__)

DAILY_REPORT_MAIL_JOB = "daily_report_mail"


def _daily_report_send(*, project: Project, on: date, recipients: list[str]) -> None:
    report = daily_report(project=project, on=on)
    context = {"project": project, "on": on, "report": report, "rows": daily_report_rows(report)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("sales/email/daily_report_subject.txt", context)
        body = render_to_string("sales/email/daily_report_body.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=recipients)
    message.attach(
        daily_report_filename(project_code=project.code, on=on),
        daily_report_workbook(report, project_code=project.code),
        XLSX_CONTENT_TYPE,
    )
    message.send()


def _daily_report_mail_once(*, project: Project, on: date, recipients: list[str]) -> str:
    """One project's mail for one day, at most once: a succeeded JobRun keyed
    "<code>:<date>" marks it sent; an advisory lock keeps two workers from racing. With
    nobody to mail it to, nothing is sent and nothing recorded."""
    key = f"{project.code}:{on.isoformat()}"
    with advisory_lock(f"{DAILY_REPORT_MAIL_JOB}:{key}") as acquired:
        if not acquired:
            return "busy"
        done = JobRun.objects.filter(
            name=DAILY_REPORT_MAIL_JOB, key=key, status=JobRun.Status.SUCCEEDED
        )
        if done.exists():
            return "already sent"
        if not recipients:
            # Nothing was mailed, so nothing is recorded: a later run with a manager's address
            # still mails this day (a job records only what it did).
            return "no recipients"
        run = JobRun.objects.create(
            name=DAILY_REPORT_MAIL_JOB,
            key=key,
            status=JobRun.Status.RUNNING,
            started_at=timezone.now(),
        )
        try:
            _daily_report_send(project=project, on=on, recipients=recipients)
        except Exception as exc:  # recorded and retried on the next run, never lost silently
            logger.exception("daily report mail %s failed", key)
            run.status, run.message = JobRun.Status.FAILED, str(exc)[:2000]
            outcome = "failed"
        else:
            run.status = JobRun.Status.SUCCEEDED
            run.message = f"sent to {len(recipients)} manager(s)"
            outcome = "sent"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return outcome


def daily_reports_mail(*, on: date) -> dict[str, str]:
    """Mail the daily report of `on` for every active project to the managers (users in the
    manager group with an e-mail), once per project and date however often it runs."""
    recipients = manager_email_list()
    results = {}
    for project in Project.objects.filter(is_active=True).order_by("code"):
        results[project.code] = _daily_report_mail_once(
            project=project, on=on, recipients=recipients
        )
    logger.info("daily report mail for %s: %s", on.isoformat(), results)
    return results

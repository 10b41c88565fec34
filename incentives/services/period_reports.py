"""The weekly and monthly report (周报 / 月报) by e-mail to the channel managers: the company's
report of a period, with its xlsx, once per period however often the job runs."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.locks import advisory_lock
from common.models import JobRun
from common.periods import Period
from common.selectors import manager_email_list
from common.xlsx import XLSX_CONTENT_TYPE
from incentives.report_exports import period_report_filename, period_report_workbook
from incentives.selectors.period_report import period_report

logger = logging.getLogger(__name__)

PERIOD_REPORT_MAIL_JOB = "period_report_mail"


def _send(*, kind: str, period: Period, today: date, recipients: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        report = period_report(kind=kind, period=period, today=today)
        context = {"report": report}
        subject = render_to_string("incentives/email/period_report_subject.txt", context)
        body = render_to_string("incentives/email/period_report_body.txt", context)
        workbook = period_report_workbook(report)
    message = EmailMessage(" ".join(subject.split()), body, to=recipients)
    message.attach(period_report_filename(report), workbook, XLSX_CONTENT_TYPE)
    message.send()


def period_report_mail(*, kind: str, period: Period, today: date) -> str:
    """Mail the company's 周报 ("weekly") or 月报 ("monthly") of ``period`` to the managers
    (users of the manager group with an e-mail) at most once: a succeeded JobRun keyed
    "<kind>:<period>" marks it sent and an advisory lock keeps two workers from racing. Only
    what was done is recorded: with no recipient nothing is sent and nothing marked sent (the
    next run, once a manager has an address, still sends it); a failure is recorded as failed
    and retried by the next run."""
    key = f"{kind}:{period}"
    with advisory_lock(f"{PERIOD_REPORT_MAIL_JOB}:{key}") as acquired:
        if not acquired:
            return "busy"
        runs = JobRun.objects.filter(name=PERIOD_REPORT_MAIL_JOB, key=key)
        if runs.filter(status=JobRun.Status.SUCCEEDED).exists():
            return "already sent"
        recipients = manager_email_list()
        if not recipients:
            logger.warning("%s report %s: no manager has an e-mail address", kind, period)
            return "no recipients"
        run = JobRun.objects.create(
            name=PERIOD_REPORT_MAIL_JOB,
            key=key,
            status=JobRun.Status.RUNNING,
            started_at=timezone.now(),
        )
        try:
            _send(kind=kind, period=period, today=today, recipients=recipients)
        except Exception as exc:  # recorded and retried on the next run, never lost silently
            logger.exception("%s report mail %s failed", kind, period)
            run.status, run.message, outcome = JobRun.Status.FAILED, str(exc)[:2000], "failed"
        else:
            run.status, outcome = JobRun.Status.SUCCEEDED, "sent"
            run.message = f"sent to {len(recipients)} manager(s)"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return outcome

"""A daily-report mail with nobody to send it to is not recorded as sent: a later run, once a
manager has an address, still mails that day (a job records only what it did)."""

from datetime import date

import pytest
from django.core import mail

from common.models import JobRun
from common.roles import Role
from sales.services.reports import DAILY_REPORT_MAIL_JOB, daily_reports_mail
from tests.factories.org import ProjectFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)


def test_no_recipients_records_nothing_and_a_later_run_mails_the_day(make_login):
    project = ProjectFactory(code="xc")
    manager = make_login(Role.MANAGER)

    assert daily_reports_mail(on=DAY) == {"xc": "no recipients"}
    assert not JobRun.objects.filter(name=DAILY_REPORT_MAIL_JOB).exists()
    assert mail.outbox == []

    manager.email = "manager@example.com"
    manager.save()
    assert daily_reports_mail(on=DAY) == {"xc": "sent"}
    assert [message.to for message in mail.outbox] == [["manager@example.com"]]
    run = JobRun.objects.get(name=DAILY_REPORT_MAIL_JOB, key=f"{project.code}:{DAY}")
    assert run.status == JobRun.Status.SUCCEEDED

    assert daily_reports_mail(on=DAY) == {"xc": "already sent"}
    assert len(mail.outbox) == 1

"""Daily jobs: registration expiry (task and command) and the daily report mail, sent once."""

import io
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from common.models import JobRun
from common.periods import local_today
from common.roles import Role
from sales import tasks
from sales.choices import RegistrationStatus
from sales.services import reports
from sales.services.customers import registration_create
from tests.factories.org import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_registration(m1, project):
    """A registration made 40 days ago: its 30-day protection ended 10 days ago."""
    return registration_create(
        actor=m1,
        project=project,
        customer_name="李女士",
        customer_phone="13812345678",
        registered_at=timezone.now() - timedelta(days=40),
    )


def test_registration_expiry_task_expires_ended_protection_once(ended_registration, m1, project):
    running = registration_create(
        actor=m1, project=project, customer_name="王先生", customer_phone="13812345679"
    )
    assert tasks.registration_expiry() == 1
    assert tasks.registration_expiry() == 0
    ended_registration.refresh_from_db()
    running.refresh_from_db()
    assert (ended_registration.status, running.status) == (
        RegistrationStatus.EXPIRED,
        RegistrationStatus.ACTIVE,
    )


def test_expire_registrations_command(ended_registration):
    out = io.StringIO()
    call_command("expire_registrations", stdout=out)
    assert "1 registration(s) expired" in out.getvalue()
    ended_registration.refresh_from_db()
    assert ended_registration.status == RegistrationStatus.EXPIRED


def test_expire_registrations_command_as_of_a_date(ended_registration):
    long_ago = (local_today() - timedelta(days=30)).isoformat()
    call_command("expire_registrations", "--today", long_ago, stdout=io.StringIO())
    ended_registration.refresh_from_db()
    assert ended_registration.status == RegistrationStatus.ACTIVE


@pytest.fixture
def managers(make_login):
    boss = make_login(Role.MANAGER)
    boss.email = "boss@example.com"
    boss.save()
    make_login(Role.MANAGER)  # no e-mail: not mailed
    secretary = make_login(Role.SECRETARY)
    secretary.email = "mishu@example.com"
    secretary.save()
    return [boss.email]


def test_daily_report_mail_is_sent_once_even_when_run_twice(managers, project):
    ProjectFactory(is_active=False)
    day = local_today() - timedelta(days=1)
    first = tasks.daily_report_mail(day.isoformat())
    second = tasks.daily_report_mail(day.isoformat())
    assert first == {project.code: "sent"}
    assert second == {project.code: "already sent"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == managers
    assert project.name in message.subject and day.isoformat() in message.subject
    filename, content, mimetype = message.attachments[0]
    assert mimetype.endswith("spreadsheetml.sheet")
    assert filename == f"daily-report-{project.code}-{day.isoformat()}.xlsx"
    assert load_workbook(io.BytesIO(content)).active["B1"].value == project.name
    runs = JobRun.objects.filter(name="daily_report_mail")
    assert [(r.key, r.status) for r in runs] == [(f"{project.code}:{day.isoformat()}", "succeeded")]


def test_daily_report_mail_defaults_to_yesterday(managers, project):
    tasks.daily_report_mail()
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    assert JobRun.objects.get(name="daily_report_mail").key == f"{project.code}:{yesterday}"


def test_a_failed_mail_is_recorded_and_sent_on_the_next_run(managers, project, monkeypatch):
    day = (local_today() - timedelta(days=1)).isoformat()

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(reports.EmailMessage, "send", broken)
    assert tasks.daily_report_mail(day) == {project.code: "failed"}
    failed = JobRun.objects.get(name="daily_report_mail")
    assert (failed.status, failed.message) == ("failed", "smtp down")
    monkeypatch.undo()
    assert tasks.daily_report_mail(day) == {project.code: "sent"}
    assert len(mail.outbox) == 1


def test_beat_fires_the_sales_jobs_at_their_hours():
    schedule = settings.CELERY_BEAT_SCHEDULE
    expiry = schedule["sales-registration-expiry"]
    mail_job = schedule["sales-daily-report-mail"]
    assert expiry["task"] == tasks.registration_expiry.name == "sales.tasks.registration_expiry"
    assert mail_job["task"] == tasks.daily_report_mail.name == "sales.tasks.daily_report_mail"
    assert expiry["schedule"] == crontab(hour=0, minute=10)
    assert mail_job["schedule"] == crontab(hour=8, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"

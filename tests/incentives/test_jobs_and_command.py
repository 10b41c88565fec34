"""The three doors to the one compute service: the beat jobs (at their hours, on the right
period), the management command (synchronous, prints a summary) and their refusals."""

from datetime import date
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from common.models import JobRun
from common.periods import SHANGHAI, local_today, month_of, week_of
from incentives import tasks
from incentives.models import Statement
from tests.factories.activity import valid_visits
from tests.factories.org import marketer

pytestmark = pytest.mark.django_db


def test_beat_computes_last_week_on_monday_0100_and_last_month_on_the_1st_0200():
    schedule = settings.CELERY_BEAT_SCHEDULE
    week, month = schedule["incentives-last-week"], schedule["incentives-last-month"]
    assert week["task"] == tasks.compute_last_week.name
    assert month["task"] == tasks.compute_last_month.name
    assert week["schedule"] == crontab(minute=0, hour=1, day_of_week="mon")
    assert month["schedule"] == crontab(minute=0, hour=2, day_of_month="1")
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE == "Asia/Shanghai"
    assert str(SHANGHAI) == "Asia/Shanghai"


def test_the_weekly_job_freezes_the_week_before_this_one(plan):
    tasks.compute_last_week()
    run = JobRun.objects.get(name="compute_incentives")
    assert run.key == str(week_of(local_today()).previous())
    assert run.status == JobRun.Status.SUCCEEDED


def test_the_monthly_job_drafts_the_month_before_this_one(plan, team, english):
    last_month = month_of(local_today()).previous()
    valid_visits(marketer(team), 3, last_month.start)
    summary = tasks.compute_last_month()
    assert summary.startswith(f"{last_month}: 1 plan(s), 1 draft statement(s)")
    statement = Statement.objects.get()
    assert (statement.period, statement.status) == (str(last_month), "draft")


def test_the_command_computes_synchronously_and_prints_the_summary(plan, team, english):
    valid_visits(marketer(team), 12, date(2026, 10, 14))
    out = StringIO()
    call_command("compute_incentives", "2026-10", stdout=out)
    printed = out.getvalue()
    assert printed.startswith("2026-10: 1 plan(s), 1 draft statement(s) totalling ")
    assert Statement.objects.get().period == "2026-10"
    again = StringIO()
    call_command("compute_incentives", "2026-10", stdout=again)
    assert again.getvalue() == printed  # a second run replaces the draft with the same one
    assert Statement.objects.count() == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("period", "message"),
    [("2026-13", "2026-13"), ("2026-Q4", "Compute a week"), ("2999-01", "has not started")],
)
def test_the_command_refuses_a_bad_period_and_writes_nothing(plan, period, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_incentives", period, stdout=StringIO())
    assert not Statement.objects.exists()

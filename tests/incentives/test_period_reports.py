"""The weekly and monthly report (周报 / 月报): its figures for a week spanning two months (spend
pro rata), the change against the previous period, attainment and boards, the API, the page
and the xlsx, who reads which projects, and the mail job sending once per period."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from common.models import JobRun
from common.periods import parse_period
from common.roles import Role
from incentives.models import Target
from incentives.selectors.period_report import period_report
from incentives.services.costs import cost_record
from incentives.tasks import monthly_report_mail, weekly_report_mail
from sales.models import Payment, Staff
from sales.services.customers import registration_create
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory
from tests.helpers import at, next_phone

pytestmark = pytest.mark.django_db
W49 = parse_period("2026-W49")  # Monday 30 November – Sunday 6 December 2026
TODAY = date(2026, 12, 6)


@pytest.fixture
def week(make_login):
    """锦绣华庭 with one team: in 2026-W49 a registration and valid visits on 30 Nov and 2 Dec,
    a 1,000,000.00 signing on 1 Dec with a 300,000.00 payment on 3 Dec; the week before
    (W48) one valid visit on 29 Nov. Costs: 3,000.00 in November and 3,100.00 in December at
    the project, 620.00 in December for the whole company; a team target of 10 valid visits."""
    project = ProjectFactory(name="锦绣华庭")
    team = TeamFactory(project=project, name="一组")
    marketer = Staff.objects.get(user=make_login(Role.MARKETER, team=team))
    registration_create(
        actor=marketer.user,
        project=project,
        customer_name="王先生",
        customer_phone=next_phone(),
        registered_at=at("2026-11-30"),
    )
    valid_visits(marketer, 1, date(2026, 11, 30))
    valid_visits(marketer, 1, date(2026, 12, 2))
    valid_visits(marketer, 1, date(2026, 11, 29))
    signed = signing(marketer, "1000000.00", date(2026, 12, 1))
    Payment.objects.create(
        signing=signed, kind="down_payment", amount=Decimal("300000.00"), paid_on=date(2026, 12, 3)
    )
    for period, amount, where in (
        ("2026-11", "3000.00", project),
        ("2026-12", "3100.00", project),
        ("2026-12", "620.00", None),
    ):
        cost_record(
            actor=None, category="promotion", period=period, amount=Decimal(amount), project=where
        )
    Target.objects.create(
        metric="valid_visits", subject_type="team", subject_id=team.pk, period="2026-W49", value=10
    )
    return project, team, marketer


def test_a_week_spanning_two_months_takes_each_months_spend_pro_rata(week):
    project, team, _ = week
    report = period_report(kind="weekly", period=W49, today=TODAY)
    (row,) = [r for r in report["projects"] if r["project"] == project.pk]
    assert (row["registrations"], row["visits"], row["valid_visits"]) == (1, 2, 2)
    assert (row["signings"], row["signed_amount"]) == (1, Decimal("1000000.00"))
    assert (row["payments"], row["payment_amount"]) == (1, Decimal("300000.00"))
    # 3,000.00 × 1/30 (30 Nov) + 3,100.00 × 6/31 (1–6 Dec) = 100.00 + 600.00
    assert row["spend"] == Decimal("700.00")
    assert (row["cost_per_valid_visit"], row["cost_per_signing"]) == (
        Decimal("350.00"),
        Decimal("700.00"),
    )
    # The company's own 620.00 × 6/31 = 120.00 joins the total.
    assert report["totals"]["spend"] == Decimal("820.00")
    # The week before: 30 Nov's share was not in it, 23–29 Nov's is: 3,000.00 × 7/30.
    assert row["previous"]["valid_visits"] == 1
    assert row["previous"]["spend"] == Decimal("700.00")
    assert row["change"]["valid_visits"] == 1
    assert row["change"]["signed_amount"] == Decimal("1000000.00")
    (team_row,) = [r for r in report["teams"] if r["team"] == team.pk]
    assert (team_row["valid_visits"], team_row["signings"], team_row["spend"]) == (2, 1, None)
    (target,) = report["targets"]
    assert (target["actual"], target["attainment"]) == (Decimal("2"), Decimal("0.2000"))


def test_the_monthly_report_counts_the_whole_month(week):
    report = period_report(kind="monthly", period=parse_period("2026-11"), today=TODAY)
    totals = report["totals"]
    assert (totals["visits"], totals["signings"], totals["spend"]) == (2, 0, Decimal("3000.00"))
    assert [b["kind"] for b in report["boards"]] == [
        "monthly_visits",
        "monthly_signings",
        "monthly_team_signings",
    ]


def test_each_board_shows_its_top_three(week, make_login):
    report = period_report(kind="weekly", period=W49, today=TODAY)
    (board,) = report["boards"]
    assert board["kind"] == "weekly_visits"
    assert [entry["value"] for entry in board["top"]] == [Decimal("2")]


def test_the_api_answers_the_week_and_refuses_a_month_for_it(client_as, week):
    client = client_as(Role.MANAGER)
    response = client.get(reverse("report-weekly"), {"period": "2026-W49"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period"], body["previous_period"], body["company"]) == (
        "2026-W49",
        "2026-W48",
        True,
    )
    bad = client.get(reverse("report-weekly"), {"period": "2026-11"})
    assert bad.status_code == 400
    assert "period" in bad.json()["errors"]


def test_the_export_is_a_workbook_of_the_report(client_as, week):
    response = client_as(Role.MANAGER).get(reverse("report-monthly-export"), {"period": "2026-12"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 5
    rows = list(book.worksheets[0].values)
    assert rows[0][:2] == ("项目", "报备")
    assert rows[1][0] == "锦绣华庭"


def test_a_supervisor_reads_only_their_teams_and_projects(client_as, make_login, week):
    other = TeamFactory(project=ProjectFactory())
    user = make_login(Role.SUPERVISOR)
    other.supervisor = Staff.objects.get(user=user)
    other.save(update_fields=["supervisor"])
    body = (
        client_as(Role.SUPERVISOR, user=user)
        .get(reverse("report-weekly"), {"period": "2026-W49"})
        .json()
    )
    assert body["company"] is False
    assert [row["project"] for row in body["projects"]] == [other.project_id]
    assert [row["team"] for row in body["teams"]] == [other.pk]
    assert body["targets"] == []


@pytest.mark.parametrize("role", [Role.MARKETER, Role.PARTNER, Role.SECRETARY])
def test_other_roles_may_not_read_the_reports(client_as, role):
    assert client_as(role).get(reverse("report-monthly")).status_code == 403


def test_the_page_shows_the_week(browser_as, week):
    page = browser_as(Role.MANAGER).get(
        reverse("incentives:period-report", args=["weekly"]), {"period": "2026-W49"}
    )
    assert page.status_code == 200
    assert page.context["report"]["period"] == "2026-W49"
    assert b'data-testid="report-projects"' in page.content
    bad = browser_as(Role.MANAGER).get(
        reverse("incentives:period-report", args=["weekly"]), {"period": "nonsense"}
    )
    assert bad.status_code == 200  # the current week, with the picker's error
    assert bad.context["form"].errors


# --- the mail job -------------------------------------------------------------------------------
@pytest.fixture
def managers(make_login):
    for n in (1, 2):
        user = make_login(Role.MANAGER)
        user.email = f"jingli{n}@example.com"
        user.save(update_fields=["email"])


def test_the_weekly_mail_goes_once_however_often_the_job_runs(week, managers):
    assert weekly_report_mail("2026-W49") == "sent"
    assert weekly_report_mail("2026-W49") == "already sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["jingli1@example.com", "jingli2@example.com"]
    assert "2026-W49" in message.subject
    assert message.attachments[0][0] == "weekly-report-2026-W49.xlsx"
    run = JobRun.objects.get(name="period_report_mail", key="weekly:2026-W49")
    assert run.status == JobRun.Status.SUCCEEDED


def test_without_recipients_nothing_is_recorded_as_sent(week, make_login):
    make_login(Role.MANAGER)  # no e-mail address
    assert monthly_report_mail("2026-11") == "no recipients"
    assert not JobRun.objects.filter(name="period_report_mail").exists()
    assert mail.outbox == []


def test_the_monthly_job_mails_last_month_by_default(week, managers, monkeypatch):
    monkeypatch.setattr("incentives.tasks.local_today", lambda: date(2026, 12, 1))
    assert monthly_report_mail() == "sent"
    assert JobRun.objects.filter(key="monthly:2026-11", status="succeeded").count() == 1


def test_the_beat_schedule_fires_sunday_evening_and_the_first_morning(settings):
    weekly = settings.CELERY_BEAT_SCHEDULE["incentives-weekly-report-mail"]["schedule"]
    monthly = settings.CELERY_BEAT_SCHEDULE["incentives-monthly-report-mail"]["schedule"]
    assert (weekly.hour, weekly.minute, weekly.day_of_week) == ({18}, {0}, {0})
    assert (monthly.hour, monthly.minute, monthly.day_of_month) == ({9}, {0}, {1})


def test_company_level_costs_have_their_own_row_so_rows_add_up_to_the_total(
    client_as, browser_as, week
):
    """620.00 entered for the whole company in December is the 公司本级 row: the rows add up
    to the total to the cent, in the selector, the API, the page and the xlsx."""
    report = period_report(kind="monthly", period=parse_period("2026-12"), today=TODAY)
    company = report["projects"][-1]
    assert company["project"] is None
    assert company["spend"] == Decimal("620.00")
    assert sum(row["spend"] for row in report["projects"]) == report["totals"]["spend"]
    assert report["totals"]["spend"] == Decimal("3720.00")
    weekly = period_report(kind="weekly", period=W49, today=TODAY)
    assert weekly["projects"][-1]["spend"] == Decimal("120.00")
    assert sum(row["spend"] for row in weekly["projects"]) == Decimal("820.00")

    client = client_as(Role.MANAGER)
    body = client.get(reverse("report-monthly"), {"period": "2026-12"}).json()
    assert [(row["project"], row["spend"]) for row in body["projects"]][-1] == (None, "620.00")
    assert sum(Decimal(row["spend"]) for row in body["projects"]) == Decimal(
        body["totals"]["spend"]
    )
    page = browser_as(Role.MANAGER).get(
        reverse("incentives:period-report", args=["monthly"]),
        {"period": "2026-12"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = page.content.decode()
    assert "公司本级" in text and "620.00" in text
    book = load_workbook(
        BytesIO(client.get(reverse("report-monthly-export"), {"period": "2026-12"}).content)
    )
    rows = list(book.worksheets[0].values)
    spend = rows[0].index("费用")
    assert [row[0] for row in rows[1:]] == ["锦绣华庭", "公司本级", "合计"]
    assert [row[spend] for row in rows[1:]] == [3100, 620, 3720]


def test_board_lines_show_the_rank_or_say_not_eligible_on_page_api_and_xlsx(
    client_as, browser_as, make_login, week
):
    """In W49 a marketer with the weekly task's 10 valid visits ranks 1st; the one with 2 is
    below the threshold: 未达门槛, never a blank (nor None in the xlsx)."""
    _project, team, _marketer = week
    busy = Staff.objects.get(user=make_login(Role.MARKETER, team=team))
    valid_visits(busy, 10, date(2026, 12, 1))
    report = period_report(kind="weekly", period=W49, today=TODAY)
    (board,) = report["boards"]
    assert [(e["rank"], e["eligible"]) for e in board["top"]] == [(1, True), (None, False)]

    client = client_as(Role.MANAGER)
    body = client.get(reverse("report-weekly"), {"period": "2026-W49"}).json()
    assert [(e["rank"], e["eligible"]) for e in body["boards"][0]["top"]] == [
        (1, True),
        (None, False),
    ]
    page = browser_as(Role.MANAGER).get(
        reverse("incentives:period-report", args=["weekly"]),
        {"period": "2026-W49"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    lines = page.content.decode().split('data-testid="board-line"')[1:]
    assert "第 1 名" in lines[0] and "10" in lines[0]
    assert "未达门槛" in lines[1] and "第" not in lines[1].split("</li>")[0]
    export = client.get(reverse("report-weekly-export"), {"period": "2026-W49"})
    rows = list(load_workbook(BytesIO(export.content))["榜单"].values)
    assert [row[1] for row in rows[1:]] == [1, "未达门槛"]
    assert None not in rows[2]


def test_amounts_read_as_money_in_yuan_on_the_page_and_in_the_xlsx(client_as, browser_as, week):
    """A 2,000,000.00 signing-amount target and the signing board's 1,000,000.00 carry the
    #,##0.00 format in the xlsx (counts stay whole numbers); the page's money headers say 元."""
    Target.objects.create(
        metric="signing_amount", subject_type="company", period="2026-12", value=2000000
    )
    export = client_as(Role.MANAGER).get(reverse("report-monthly-export"), {"period": "2026-12"})
    book = load_workbook(BytesIO(export.content))
    targets = {row[1].value: row for row in book["目标"].iter_rows(min_row=2)}
    money = targets["签约金额"]
    assert (money[2].value, money[2].number_format) == (2000000, "#,##0.00")
    assert money[3].number_format == "#,##0.00"
    boards = {row[0].value: row for row in book["榜单"].iter_rows(min_row=2)}
    signing = boards["月签约榜"]
    assert (signing[4].value, signing[4].number_format) == (1000000, "#,##0.00")
    assert boards["月带访榜"][4].number_format == "0"
    page = browser_as(Role.MANAGER).get(
        reverse("incentives:period-report", args=["monthly"]),
        {"period": "2026-12"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = page.content.decode()
    assert "费用（元）" in text and "签约金额（元）" in text
    assert "2,000,000.00" in text and "1,000,000.00" in text

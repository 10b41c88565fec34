"""The manager's approvals page: the statements list (one month filter, status, team, project,
name; sorted, paged, totals to the cent, payroll xlsx), bulk approve / mark paid / export
after a confirmation (through the audited services, within the manager's scope), and the
compute queued as a job whose state the page follows."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from common.models import AuditEntry, JobRun
from common.periods import local_today, month_of
from common.roles import Role
from incentives.models import Statement
from incentives.services import period_compute, statement_approve, statements_approve_batch
from tests.factories.activity import valid_visits
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

PAGE = "/incentives/approvals/"
BULK = "/incentives/approvals/bulk/"
COMPUTE = "/incentives/approvals/compute/"
SEP = "2026-09"
OCT_DAY = date(2026, 10, 5)


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER, username="jingli")


@pytest.fixture
def web(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(manager)
    return client


def statement(staff, total: str, status: str = "draft", period: str = OCT, approver=None, **kw):
    """A statement as the compute and the decisions leave it (the constraints hold)."""
    now = timezone.now()
    if status != "draft":
        kw.update(approved_at=now, approved_by=approver)
    if status == "paid":
        kw.update(paid_at=now, paid_on=local_today())
    return Statement.objects.create(
        staff=staff,
        period=period,
        status=status,
        total_amount=Decimal(total),
        computed_at=now,
        **kw,
    )


@pytest.fixture
def book(manager):
    """Two projects, three teams, four marketers; October's statements in every status, a
    September draft and a partner's October draft (not on this page)."""
    jinxiu, yuanyang = ProjectFactory(name="锦绣华庭"), ProjectFactory(name="远洋")
    a, b = TeamFactory(project=jinxiu, name="A组"), TeamFactory(project=jinxiu, name="B组")
    c = TeamFactory(project=yuanyang, name="C组")
    people = {
        "张三": marketer(a, name="张三"),
        "张四": marketer(a, name="张四"),
        "李五": marketer(b, name="李五"),
        "王六": marketer(c, name="王六"),
    }
    rows = {
        "张三": statement(people["张三"], "1234.56"),
        "张四": statement(people["张四"], "2000.01", "approved", approver=manager),
        "李五": statement(people["李五"], "999.99"),
        "王六": statement(people["王六"], "5000.00", "paid", approver=manager),
        "张三9月": statement(people["张三"], "777.77", period=SEP),
    }
    partner = Statement.objects.create(
        partner=PartnerFactory(),
        period=OCT,
        total_amount=Decimal("300.00"),
        computed_at=timezone.now(),
    )
    return {
        "teams": {"A": a, "B": b, "C": c},
        "projects": (jinxiu, yuanyang),
        "rows": rows,
        "people": people,
        "partner": partner,
    }


def names(response) -> list[str]:
    return [row.record.staff.name for row in response.context["listing"].table.paginated_rows]


def totals(response) -> dict:
    t = response.context["totals"]
    return {
        "count": t.count,
        "total": t.total_amount,
        **{row.status: (row.count, row.total_amount) for row in t.by_status},
    }


# --- the list -----------------------------------------------------------------------------------
def test_without_a_month_the_page_opens_the_month_just_closed(web):
    response = web.get(PAGE)
    assert response.status_code == 200
    last_month = str(month_of(local_today()).previous())
    assert response.context["period"] == last_month
    assert f'value="{last_month}"' in response.content.decode()  # the month input shows it
    assert response.context["listing"].query == f"period={last_month}"


def test_totals_for_the_month_are_hand_computed_to_the_cent(web, book):
    response = web.get(PAGE, {"period": OCT})
    assert response.status_code == 200
    assert sorted(names(response)) == ["张三", "张四", "李五", "王六"]  # no partner, no September
    assert totals(response) == {
        "count": 4,
        "total": Decimal("9234.56"),
        "draft": (2, Decimal("2234.55")),
        "approved": (1, Decimal("2000.01")),
        "paid": (1, Decimal("5000.00")),
    }
    body = response.content.decode()
    assert 'data-testid="totals-amount">¥9,234.56<' in body
    assert "Approve all 2 drafts (¥2,234.55)…" in body
    assert "Mark the 1 approved paid (¥2,000.01)…" in body


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ({"team": "A"}, ["张三", "张四"], "3234.57"),
        ({"project": 0}, ["张三", "张四", "李五"], "4234.56"),
        ({"status": "draft"}, ["张三", "李五"], "2234.55"),
        ({"q": "张"}, ["张三", "张四"], "3234.57"),
        ({"team": "A", "status": "approved"}, ["张四"], "2000.01"),
    ],
)
def test_filters_narrow_the_rows_and_the_totals(web, book, query, expected, total):
    query = dict(query)
    if "team" in query:
        query["team"] = book["teams"][query["team"]].pk
    if "project" in query:
        query["project"] = book["projects"][query["project"]].pk
    response = web.get(PAGE, {"period": OCT, **query})
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)
    assert totals(response)["count"] == len(expected)
    assert totals(response)["total"] == Decimal(total)


def test_every_month_when_the_month_is_left_empty(web, book):
    response = web.get(PAGE, {"period": ""})
    assert response.status_code == 200
    assert totals(response)["count"] == 5
    assert totals(response)["total"] == Decimal("10012.33")
    assert 'data-testid="compute-form"' not in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"period": "2026-13"}, {"period": "2026-W43"}, {"team": "999999"}, {"status": "x"}]
)
def test_a_bad_filter_is_a_field_error_and_no_rows(web, book, query):
    response = web.get(PAGE, {"period": OCT, **query})
    assert response.status_code == 400
    assert names(response) == []
    assert totals(response)["count"] == 0
    assert 'class="error"' in response.content.decode()


def test_sorted_by_total_and_paginated(web, book, manager):
    team = book["teams"]["B"]
    for n in range(30):
        statement(marketer(team, name=f"人{n:02d}"), f"{n}.00")
    first = web.get(PAGE, {"period": OCT, "sort": "-total"})
    assert names(first)[:2] == ["王六", "张四"]
    assert len(names(first)) == 25
    second = web.get(PAGE, {"period": OCT, "sort": "-total", "page": 2})
    assert len(names(second)) == 34 - 25
    assert totals(second)["count"] == 34  # totals are the filter's, not the page's


def test_the_list_queries_do_not_grow_with_rows(web, book):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert web.get(PAGE, {"period": OCT}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(20):
        statement(marketer(TeamFactory(), name=f"多{n}"), "10.00")
    assert count() == few


def test_the_payroll_export_is_the_filtered_statements(web, book):
    response = web.get(PAGE, {"period": OCT, "team": book["teams"]["A"].pk, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    summary = load_workbook(BytesIO(response.content))["Summary"]
    rows = list(summary.values)
    assert rows[0][:2] == ("Staff ID", "Name") and rows[0][-1] == "Status"
    assert sorted(row[1] for row in rows[1:]) == ["张三", "张四"]


# --- bulk decisions -------------------------------------------------------------------------------
def ids(book, *names_) -> list[str]:
    return [str(book["rows"][name].pk) for name in names_]


def status_of(book) -> dict:
    return {name: Statement.objects.get(pk=row.pk).status for name, row in book["rows"].items()}


def approvals_logged() -> int:
    return AuditEntry.objects.filter(action="statement.approved").count()


def test_approving_the_selected_asks_first_then_approves_the_drafts_only(web, book):
    chosen = ids(book, "张三", "张四", "王六")
    ask = web.post(BULK, {"action": "approve", "select": chosen, "query": f"period={OCT}"})
    assert ask.status_code == 200
    body = ask.content.decode()
    assert "1 draft statement, total ¥1,234.56, will be approved." in body
    assert "1 already approved, 1 already paid" in body
    assert status_of(book)["张三"] == "draft"  # nothing happens before the confirmation
    assert approvals_logged() == 0

    done = web.post(
        BULK,
        {
            "action": "approve",
            "select": chosen,
            "query": f"period={OCT}",
            "confirmed": "1",
            "expected_count": "1",
            "expected_total": "1234.56",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"{PAGE}?period={OCT}"
    text = done.content.decode()
    assert "Approved 1 statement, total ¥1,234.56." in text
    assert "Left as they were: 1 already approved, 1 already paid." in text
    assert status_of(book) == {
        "张三": "approved",
        "张四": "approved",
        "李五": "draft",
        "王六": "paid",
        "张三9月": "draft",
    }
    (entry,) = AuditEntry.objects.filter(action="statement.approved")
    assert entry.object_id == book["rows"]["张三"].pk
    assert entry.changes["status"] == {"before": "draft", "after": "approved"}


def test_approving_all_that_match_stays_inside_the_filter_and_the_scope(web, book, manager):
    query = f"period={OCT}&project={book['projects'][0].pk}"
    ask = web.post(BULK, {"action": "approve", "all_matching": "1", "query": query})
    assert "2 draft statements, total ¥2,234.55, will be approved." in ask.content.decode()
    assert 'name="select"' not in ask.content.decode()  # the filter is carried, not ids
    web.post(
        BULK,
        {
            "action": "approve",
            "all_matching": "1",
            "query": query,
            "confirmed": "1",
            "expected_count": "2",
            "expected_total": "2234.55",
        },
    )
    assert status_of(book) == {
        "张三": "approved",
        "张四": "approved",
        "李五": "approved",
        "王六": "paid",
        "张三9月": "draft",
    }
    assert approvals_logged() == 2
    book["partner"].refresh_from_db()
    assert book["partner"].status == "draft"  # partners' statements are not this page's
    # A statement id outside the page's scope (the partner's) is not there to approve.
    web.post(
        BULK,
        {
            "action": "approve",
            "select": [book["partner"].pk],
            "confirmed": "1",
            "expected_count": "0",
            "expected_total": "0",
        },
    )
    book["partner"].refresh_from_db()
    assert book["partner"].status == "draft"


def test_a_selection_that_changed_since_the_confirmation_is_not_acted_on(web, book):
    query = f"period={OCT}"
    response = web.post(
        BULK,
        {
            "action": "approve",
            "all_matching": "1",
            "query": query,
            "confirmed": "1",
            "expected_count": "1",
            "expected_total": "1234.56",
        },  # since then 李五 is a draft too
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The selection changed since you looked" in body
    assert "2 draft statements, total ¥2,234.55, will be approved." in body
    assert approvals_logged() == 0


def test_a_second_approval_changes_nothing(web, book, manager):
    chosen = ids(book, "张三")
    post = {
        "action": "approve",
        "select": chosen,
        "confirmed": "1",
        "expected_count": "1",
        "expected_total": "1234.56",
    }
    web.post(BULK, post)
    assert approvals_logged() == 1
    again = web.post(BULK, {"action": "approve", "select": chosen})
    assert "Nothing to approve" in again.content.decode()
    assert 'data-testid="confirm"' not in again.content.decode()
    forced = web.post(BULK, {**post, "expected_count": "0", "expected_total": "0.00"}, follow=True)
    assert "Approved 0 statements" in forced.content.decode()
    assert "1 already approved" in forced.content.decode()
    assert approvals_logged() == 1
    # The services say the same: one statement refused, many skipped.
    with (
        pytest.raises(Exception, match="Only a draft statement can be approved"),
        translation.override("en"),
    ):
        statement_approve(actor=manager, statement=book["rows"]["张三"])
    result = statements_approve_batch(actor=manager, statement_ids=[book["rows"]["张三"].pk])
    assert (result.count, result.skipped) == (0, {"approved": 1})
    assert approvals_logged() == 1


def test_marking_all_approved_of_the_filter_paid_on_a_date(web, book, manager):
    web.post(
        BULK,
        {
            "action": "approve",
            "select": ids(book, "张三"),
            "confirmed": "1",
            "expected_count": "1",
            "expected_total": "1234.56",
        },
    )
    query = f"period={OCT}&project={book['projects'][0].pk}"
    ask = web.post(BULK, {"action": "mark_paid", "all_matching": "1", "query": query})
    body = ask.content.decode()
    assert "2 approved statements, total ¥3,234.57, will be marked paid." in body
    assert "1 still a draft (approve it first)" in body
    assert 'type="date"' in body and f'value="{local_today().isoformat()}"' in body

    paid_on = local_today() - timedelta(days=1)
    done = web.post(
        BULK,
        {
            "action": "mark_paid",
            "all_matching": "1",
            "query": query,
            "confirmed": "1",
            "expected_count": "2",
            "expected_total": "3234.57",
            "paid_on": paid_on.isoformat(),
        },
        follow=True,
    )
    text = done.content.decode()
    assert f"Marked 2 statements paid on {paid_on.isoformat()}, total ¥3,234.57." in text
    assert "1 still a draft (approve it first)" in text
    paid = Statement.objects.filter(status="paid", period=OCT).exclude(pk=book["rows"]["王六"].pk)
    assert {s.staff.name for s in paid} == {"张三", "张四"}
    assert {s.paid_on for s in paid} == {paid_on}
    assert all(s.paid_at is not None for s in paid)
    entries = AuditEntry.objects.filter(action="statement.paid")
    assert entries.count() == 2
    assert all(e.changes["paid_on"]["after"] == paid_on.isoformat() for e in entries)
    assert status_of(book)["李五"] == "draft"


@pytest.mark.parametrize("paid_on", ["tomorrow", "2026-09-30", "not a date", ""])
def test_a_bad_payment_date_is_a_field_error_and_nothing_is_paid(web, book, paid_on):
    if paid_on == "tomorrow":
        paid_on = (local_today() + timedelta(days=1)).isoformat()
    response = web.post(
        BULK,
        {
            "action": "mark_paid",
            "select": ids(book, "张四"),
            "confirmed": "1",
            "expected_count": "1",
            "expected_total": "2000.01",
            "paid_on": paid_on,
        },
    )
    assert response.status_code == 400
    assert 'data-testid="error-paid_on"' in response.content.decode()
    assert status_of(book)["张四"] == "approved"
    assert not AuditEntry.objects.filter(action="statement.paid").exists()


def test_exporting_the_selection_is_the_payroll_of_those_statements(web, book):
    response = web.post(BULK, {"action": "export", "select": ids(book, "李五", "王六")})
    assert response.status_code == 200
    summary = load_workbook(BytesIO(response.content))["Summary"]
    rows = list(summary.values)[1:]
    assert sorted((row[1], row[-2]) for row in rows) == [("李五", 0), ("王六", 0)]  # no lines
    assert len(rows) == 2


def test_an_empty_or_unknown_bulk_request_is_a_message(web, book):
    response = web.post(BULK, {"action": "approve", "query": f"period={OCT}"}, follow=True)
    assert "Select at least one statement" in response.content.decode()
    response = web.post(BULK, {"action": "delete", "select": ids(book, "张三")}, follow=True)
    assert "Choose what to do" in response.content.decode()
    response = web.post(BULK, {"action": "approve", "select": ["abc", "1.5"]}, follow=True)
    assert response.status_code == 200
    response = web.post(BULK, {"action": "export"}, follow=True)
    assert "Select at least one statement" in response.content.decode()
    assert approvals_logged() == 0


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MARKETER, Role.SECRETARY, Role.PARTNER])
def test_only_a_manager_reaches_the_page_and_its_actions(client, make_login, book, role):
    client.force_login(make_login(role))
    assert client.get(PAGE, {"period": OCT}).status_code in (403, 404)
    post = {
        "action": "approve",
        "all_matching": "1",
        "query": f"period={OCT}",
        "confirmed": "1",
        "expected_count": "2",
        "expected_total": "2234.55",
    }
    assert client.post(BULK, post).status_code in (403, 404)
    assert client.post(COMPUTE, {"period": OCT}).status_code in (403, 404)
    assert approvals_logged() == 0
    assert not JobRun.objects.exists()


# --- the compute, as a job ------------------------------------------------------------------------
@pytest.fixture
def october_people(plan, team):
    people = [marketer(team, name=name) for name in ("甲", "乙", "丙")]
    valid_visits(people[0], 5, OCT_DAY)
    return people


def test_compute_from_the_page_queues_the_job_and_the_page_follows_it(
    web, october_people, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "incentives.tasks.compute_period.delay", lambda *a, **kw: sent.append((a, kw))
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(COMPUTE, {"period": OCT, "query": f"period={OCT}"}, follow=True)
    run = JobRun.objects.get(name="compute_incentives")
    assert sent == [((OCT,), {"run_id": run.pk})]  # the API's task, told which run to report to
    assert run.status == "queued" and run.key == OCT
    assert not Statement.objects.exists()  # nothing was computed inside the request
    body = response.content.decode()
    assert "The compute of 2026-10 is queued" in body
    assert f'data-job-poll="/incentives/approvals/jobs/{run.pk}/"' in body
    assert 'data-job-status="queued"' in body

    # A second click while it waits is refused; one run stays.
    again = web.post(COMPUTE, {"period": OCT}, follow=True)
    assert "A compute of 2026-10 is already waiting for a worker." in again.content.decode()
    assert JobRun.objects.count() == 1

    # The worker runs it (here in the test's process): the partial shows the summary.
    period_compute(period=OCT, now=AFTER_OCT, run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded" and JobRun.objects.count() == 1
    partial = web.get(f"/incentives/approvals/jobs/{run.pk}/").content.decode()
    assert "data-job-poll" not in partial and "data-job-done" in partial
    assert "2026-10: 1 plan(s), 3 draft statement(s)" in partial
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    chinese = web.get(f"/incentives/approvals/jobs/{run.pk}/").content.decode()
    assert "plan(s)" not in chinese and "2026-10" in chinese
    assert Statement.objects.filter(period=OCT).count() == 3


def test_the_finished_jobs_summary_names_whom_no_plan_covers(web, no_default_plan, plan, team):
    valid_visits(marketer(team), 3, OCT_DAY)
    stray = marketer(TeamFactory(project=ProjectFactory(name="远洋")), name="赵六")
    valid_visits(stray, 2, OCT_DAY)
    run = JobRun.objects.create(
        name="compute_incentives", key=OCT, status="queued", started_at=timezone.now()
    )
    period_compute(period=OCT, now=AFTER_OCT, run_id=run.pk)
    body = web.get(PAGE, {"period": OCT}).content.decode()
    assert 'data-testid="job-summary"' in body
    summary = re.search(r'data-testid="job-summary"><small>([^<]*)<', body).group(1)
    assert "远洋" in summary and "赵六" in summary
    assert 'data-testid="coverage-warning"' in body  # the page's own warnings stay


def test_the_job_runs_read_as_what_ran_not_the_task_name_and_key(web):
    JobRun.objects.create(
        name="compute_incentives", key=OCT, status="succeeded", started_at=timezone.now()
    )
    body = web.get(PAGE, {"period": OCT}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    table = body.split('data-testid="job-runs"')[1].split("</table>")[0]
    assert f"计算奖金 {OCT}" in table
    assert "compute_incentives" not in table and ">键<" not in table


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_is_down_is_said_and_recorded(web, plan, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("incentives.tasks.compute_period.delay", down)
    response = web.post(COMPUTE, {"period": OCT, "query": f"period={OCT}"}, follow=True)
    assert "The job queue (broker) is not reachable" in response.content.decode()
    run = JobRun.objects.get(name="compute_incentives")
    assert run.status == "failed" and run.facts == {"code": "queue_unavailable"}
    assert 'data-job-status="failed"' in response.content.decode()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2099-01", "has not started yet"),
        ("junk", "not a valid period"),
        ("2026-Q4", "Compute a week"),
    ],
)
def test_a_bad_compute_period_is_a_message_and_queues_nothing(web, plan, period, message):
    response = web.post(COMPUTE, {"period": period}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JobRun.objects.exists()


def test_a_queued_job_without_a_worker_says_so(web, plan):
    run = JobRun.objects.create(
        name="compute_incentives",
        key=OCT,
        status="queued",
        started_at=timezone.now() - timedelta(minutes=2),
    )
    partial = web.get(f"/incentives/approvals/jobs/{run.pk}/").content.decode()
    assert 'data-testid="job-no-worker"' in partial and "data-job-poll" in partial
    assert web.get("/incentives/approvals/jobs/999999/").status_code == 404


def test_marking_many_paid_takes_as_many_queries_as_marking_few(manager, team):
    from incentives.services import statements_mark_paid

    def mark_new(n: int) -> int:
        rows = [statement(marketer(team), "100.00", "approved", approver=manager) for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            result = statements_mark_paid(
                actor=manager, statement_ids=[s.pk for s in rows], paid_on=local_today()
            )
        assert (result.count, result.total_amount) == (n, Decimal("100.00") * n)
        return len(ctx.captured_queries)

    mark_new(1)  # the audit's content type is looked up once, then cached
    assert mark_new(2) == mark_new(20)
    assert AuditEntry.objects.filter(action="statement.paid").count() == 23

"""In the browser (desktop): a manager filters the month's statements by team, selects them
all, approves them after the confirmation, then marks them paid on a date; on the partners'
list approves a partner's commission statement — and the statuses, dates and audit entries
are what is stored."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.models import AuditEntry, JobRun
from common.periods import local_today
from common.roles import Role
from incentives.models import Statement
from incentives.services import period_compute, plan_create_default
from sales.models import Signing
from tests.e2e.helpers import sign_in
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer
from tests.factories.partners import PartnerContractFactory
from tests.helpers import AFTER_OCT, OCT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month(db):
    """October computed for two teams of one project: 甲组 three marketers, 乙组 two."""
    project = ProjectFactory(name="锦绣华庭")
    plan_create_default(name="默认方案", effective_from=date(2026, 1, 1), projects=[project])
    ours, theirs = (
        TeamFactory(project=project, name="甲组"),
        TeamFactory(project=project, name="乙组"),
    )
    people = {name: marketer(ours, name=name) for name in ("张一", "张二", "张三")}
    people |= {name: marketer(theirs, name=name) for name in ("李一", "李二")}
    valid_visits(people["张一"], 21, date(2026, 10, 12))
    signing(people["张二"], "1200000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    return {"ours": ours, "people": people}


def test_manager_filters_by_team_selects_all_approves_then_marks_paid(
    live_server, page, console_errors, make_login, month
):
    make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", f"/incentives/approvals/?period={OCT}")
    expect(page.get_by_test_id("approval-row")).to_have_count(5)

    page.locator("select[name=team]").select_option(str(month["ours"].pk))
    page.get_by_test_id("list-filter-submit").click()
    rows = page.get_by_test_id("approval-row")
    expect(rows).to_have_count(3)
    ours = Statement.objects.filter(staff__team=month["ours"], period=OCT)
    total = sum(s.total_amount for s in ours)
    expect(page.get_by_test_id("totals-count")).to_contain_text("3")
    expect(page.get_by_test_id("totals-amount")).to_have_text(f"¥{total:,.2f}")

    page.get_by_test_id("select-page").check()  # the header checkbox ticks every row
    for box in page.get_by_test_id("select").all():
        expect(box).to_be_checked()
    page.get_by_test_id("approve-selected").click()
    expect(page.get_by_test_id("confirm-count")).to_contain_text(
        f"3 draft statements, total ¥{total:,.2f}, will be approved."
    )
    assert set(Statement.objects.values_list("status", flat=True)) == {"draft"}
    page.get_by_test_id("confirm").click()
    expect(page.locator("article.message.success")).to_contain_text(
        f"Approved 3 statements, total ¥{total:,.2f}."
    )
    expect(page.get_by_test_id("status-approved")).to_have_count(3 + 1)  # + the totals badge
    status = dict(Statement.objects.values_list("staff__name", "status"))
    assert status == {
        "张一": "approved",
        "张二": "approved",
        "张三": "approved",
        "李一": "draft",
        "李二": "draft",
    }

    page.get_by_test_id("bulk-all-matching").check()  # every approved one the filter shows
    page.get_by_test_id("mark-paid-selected").click()
    expect(page.get_by_test_id("confirm-count")).to_contain_text(
        f"3 approved statements, total ¥{total:,.2f}, will be marked paid."
    )
    paid_on = local_today() - timedelta(days=1)
    page.locator("input[name=paid_on]").fill(paid_on.isoformat())
    page.get_by_test_id("confirm").click()
    expect(page.locator("article.message.success")).to_contain_text(
        f"Marked 3 statements paid on {paid_on.isoformat()}"
    )
    stored = {
        s.staff.name: (s.status, s.paid_on) for s in Statement.objects.select_related("staff")
    }
    assert stored == {
        "张一": ("paid", paid_on),
        "张二": ("paid", paid_on),
        "张三": ("paid", paid_on),
        "李一": ("draft", None),
        "李二": ("draft", None),
    }
    assert AuditEntry.objects.filter(action="statement.approved").count() == 3
    assert AuditEntry.objects.filter(action="statement.paid").count() == 3
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_the_page_follows_a_queued_compute_until_it_is_done(live_server, page, make_login, month):
    """static/js/job_status.js polls the job partial and reloads once the job is done (the
    worker is played here by computing in the test, against the queued run)."""
    make_login(Role.MANAGER, username="jingli")
    run = JobRun.objects.create(
        name="compute_incentives", key=OCT, status="queued", started_at=timezone.now()
    )
    sign_in(page, live_server, "jingli", f"/incentives/approvals/?period={OCT}")
    job = page.get_by_test_id("compute-job")
    expect(job).to_have_attribute("data-job-status", "queued")
    expect(page.get_by_test_id("job-progress")).to_be_visible()

    period_compute(period=OCT, now=AFTER_OCT, run_id=run.pk)
    expect(job).to_have_attribute("data-job-status", "succeeded", timeout=20_000)
    expect(page.get_by_test_id("job-summary")).to_contain_text("2026-10: 1 plan(s), 5 draft")
    expect(page.get_by_test_id("job-progress")).to_have_count(0)


@pytest.fixture
def partner_month(db):
    """October computed with two partners' deals (3,000 and 2,000 per unit) and a marketer."""
    project = ProjectFactory(name="锦绣华庭")
    plan_create_default(name="默认方案", effective_from=date(2026, 1, 1), projects=[project])
    team = TeamFactory(project=project, name="甲组")
    partners = {}
    for name, fee, day in (("链家", "3000", 9), ("贝壳", "2000", 16)):
        partner = PartnerFactory(name=name)
        PartnerContractFactory(
            partner=partner,
            status="active",
            fee_mode="per_unit",
            fee_value=Decimal(fee),
            start_on=date(2026, 1, 1),
            end_on=date(2026, 12, 31),
        )
        deal = signing(marketer(team), "1000000.00", date(2026, 10, day))
        Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)
        partners[name] = partner
    valid_visits(marketer(team, name="张一"), 3, date(2026, 10, 12))
    period_compute(period=OCT, now=AFTER_OCT)
    return partners


def test_manager_approves_a_partner_statement_on_the_partners_list(
    live_server, page, make_login, partner_month
):
    make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", f"/incentives/approvals/?period={OCT}")
    expect(page.get_by_test_id("month-totals")).to_contain_text("of which partner statements: 2")
    page.get_by_test_id("owner-partners").click()
    rows = page.get_by_test_id("approval-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("totals-amount")).to_have_text("¥5,000.00")

    lianjia = Statement.objects.get(partner=partner_month["链家"], period=OCT)
    page.locator(f"[data-statement='{lianjia.pk}'] [data-testid=select]").check()
    page.get_by_test_id("approve-selected").click()
    expect(page.get_by_test_id("confirm-owner")).to_have_text("Partners")
    expect(page.get_by_test_id("confirm-count")).to_contain_text(
        "1 draft statement, total ¥3,000.00, will be approved."
    )
    page.get_by_test_id("confirm").click()
    expect(page.locator("article.message.success")).to_contain_text(
        "Approved 1 statement, total ¥3,000.00."
    )
    expect(page.get_by_test_id("owner-partners")).to_have_attribute("aria-current", "page")
    stored = dict(
        Statement.objects.filter(partner__isnull=False).values_list("partner__name", "status")
    )
    assert stored == {"链家": "approved", "贝壳": "draft"}
    assert set(Statement.objects.filter(staff__isnull=False).values_list("status", flat=True)) == {
        "draft"
    }
    (entry,) = AuditEntry.objects.filter(action="statement.approved")
    assert entry.object_id == lianjia.pk
    assert entry.changes["partner"] == partner_month["链家"].pk

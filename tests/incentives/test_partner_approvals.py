"""The approvals page's partners list (`owner=partners`): partners' commission statements
filtered, totalled to the cent, approved and marked paid after a confirmation (through the
same audited services as marketers', within the partner scope), exported as a partner
commission sheet — and the month's count said as the compute's summary counts it."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from common.models import AuditEntry, JobRun
from common.periods import local_today
from common.roles import Role
from incentives.models import Statement
from incentives.services import period_compute, statements_approve_batch, statements_mark_paid
from sales.models import Signing
from tests.factories.activity import signing
from tests.factories.org import PartnerFactory, TeamFactory, marketer
from tests.factories.partners import PartnerContractFactory
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

PAGE = "/incentives/approvals/"
BULK = "/incentives/approvals/bulk/"
PARTNERS = f"period={OCT}&owner=partners"


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER, username="jingli")


@pytest.fixture
def web(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(manager)
    return client


def statement(total: str, status: str = "draft", period: str = OCT, approver=None, **owner):
    now = timezone.now()
    kw = dict(owner)
    if status != "draft":
        kw.update(approved_at=now, approved_by=approver)
    if status == "paid":
        kw.update(paid_at=now, paid_on=local_today())
    return Statement.objects.create(
        period=period, status=status, total_amount=Decimal(total), computed_at=now, **kw
    )


@pytest.fixture
def book(manager):
    """October: four partners' statements in every status, a September partner draft, and two
    marketers' drafts (the other list)."""
    partners = {
        "链家": PartnerFactory(name="链家", kind="agency"),
        "贝壳": PartnerFactory(name="贝壳", kind="agency"),
        "分销王": PartnerFactory(name="分销王", kind="distributor"),
        "大客户甲": PartnerFactory(name="大客户甲", kind="big_client"),
    }
    rows = {
        "链家": statement("3000.00", partner=partners["链家"]),
        "贝壳": statement("1500.50", partner=partners["贝壳"]),
        "分销王": statement("2200.25", "approved", approver=manager, partner=partners["分销王"]),
        "大客户甲": statement("800.00", "paid", approver=manager, partner=partners["大客户甲"]),
        "链家9月": statement("999.99", period="2026-09", partner=partners["链家"]),
    }
    team = TeamFactory(name="A组")
    marketers = {
        "张三": statement("1234.56", staff=marketer(team, name="张三")),
        "李四": statement("0.44", staff=marketer(team, name="李四")),
    }
    return {"partners": partners, "rows": rows, "marketers": marketers}


def names(response) -> list[str]:
    return [row.record.partner.name for row in response.context["listing"].table.paginated_rows]


def totals(response) -> dict:
    t = response.context["totals"]
    return {
        "count": t.count,
        "total": t.total_amount,
        **{row.status: (row.count, row.total_amount) for row in t.by_status},
    }


def status_of(book) -> dict:
    rows = {**book["rows"], **book["marketers"]}
    return {name: Statement.objects.get(pk=row.pk).status for name, row in rows.items()}


# --- the list -----------------------------------------------------------------------------------
def test_the_partner_switch_lists_exactly_the_partners_statements_with_their_totals(web, book):
    response = web.get(PAGE, {"period": OCT, "owner": "partners"})
    assert response.status_code == 200
    assert sorted(names(response)) == ["分销王", "大客户甲", "贝壳", "链家"]  # no September
    assert totals(response) == {
        "count": 4,
        "total": Decimal("7500.75"),  # 3000.00 + 1500.50 + 2200.25 + 800.00
        "draft": (2, Decimal("4500.50")),
        "approved": (1, Decimal("2200.25")),
        "paid": (1, Decimal("800.00")),
    }
    body = response.content.decode()
    assert 'data-testid="totals-amount">¥7,500.75<' in body
    assert "Approve all 2 drafts (¥4,500.50)…" in body
    assert "Mark the 1 approved paid (¥2,200.25)…" in body
    assert "Partner commission xlsx of the filter" in body
    assert 'name="owner" value="partners"' in body  # the filter form keeps the tab
    assert 'data-testid="promotions"' not in body  # marketers' promotions are the other tab's
    # Both tabs say their month's count; the sentence adds them up as the compute does.
    assert 'data-testid="owner-partners" aria-current="page">Partners <small>(4)' in body
    assert 'data-testid="owner-marketers">Marketers <small>(2)' in body
    assert "2026-10: 6 statements, ¥8,735.75, of which partner statements: 4 (¥7,500.75)." in body


def test_the_marketers_list_stays_the_default_and_shows_no_partner(web, book):
    response = web.get(PAGE, {"period": OCT})
    rows = [r.record for r in response.context["listing"].table.paginated_rows]
    assert sorted(r.staff.name for r in rows) == ["张三", "李四"]
    assert totals(response)["total"] == Decimal("1235.00")


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ({"partner": "分销王"}, ["分销王"], "2200.25"),
        ({"status": "draft"}, ["贝壳", "链家"], "4500.50"),
        ({"q": "链"}, ["链家"], "3000.00"),
        ({"status": "draft", "period": ""}, ["贝壳", "链家", "链家"], "5500.49"),
    ],
)
def test_partner_filters_narrow_the_rows_and_the_totals(web, book, query, expected, total):
    query = {"period": OCT, "owner": "partners", **query}
    if "partner" in query:
        query["partner"] = book["partners"][query["partner"]].pk
    response = web.get(PAGE, query)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)
    assert totals(response)["total"] == Decimal(total)


@pytest.mark.parametrize(
    "query", [{"owner": "partners", "partner": "999999"}, {"owner": "somebody"}]
)
def test_a_bad_partner_filter_or_list_is_a_field_error_and_no_rows(web, book, query):
    response = web.get(PAGE, {"period": OCT, **query})
    assert response.status_code == 400
    assert list(response.context["listing"].table.paginated_rows) == []
    assert 'class="error"' in response.content.decode()


def test_the_partner_list_queries_do_not_grow_with_rows(web, book):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert web.get(PAGE, {"period": OCT, "owner": "partners"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(20):
        statement(f"{n}.00", partner=PartnerFactory(name=f"多{n:02d}"))
    assert count() == few


# --- bulk decisions -------------------------------------------------------------------------------
def test_approving_all_partner_drafts_of_the_filter_asks_then_approves_and_audits(
    web, book, manager
):
    ask = web.post(BULK, {"action": "approve", "all_matching": "1", "query": PARTNERS})
    assert ask.status_code == 200
    body = ask.content.decode()
    assert "2 draft statements, total ¥4,500.50, will be approved." in body
    assert "1 already approved, 1 already paid" in body
    assert 'data-testid="confirm-owner">Partners<' in body
    assert status_of(book)["链家"] == "draft"

    done = web.post(
        BULK,
        {
            "action": "approve",
            "all_matching": "1",
            "query": PARTNERS,
            "confirmed": "1",
            "expected_count": "2",
            "expected_total": "4500.50",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"{PAGE}?{PARTNERS}"
    assert "Approved 2 statements, total ¥4,500.50." in done.content.decode()
    assert status_of(book) == {
        "链家": "approved",
        "贝壳": "approved",
        "分销王": "approved",
        "大客户甲": "paid",
        "链家9月": "draft",  # another month
        "张三": "draft",  # marketers' drafts are the other list's
        "李四": "draft",
    }
    entries = AuditEntry.objects.filter(action="statement.approved").order_by("object_id")
    assert [e.object_id for e in entries] == sorted(
        [book["rows"]["链家"].pk, book["rows"]["贝壳"].pk]
    )
    for entry in entries:
        assert entry.actor_id == manager.pk
        assert entry.changes["status"] == {"before": "draft", "after": "approved"}
        assert entry.changes["period"] == OCT
        assert "partner" in entry.changes and "staff" not in entry.changes
    approved = Statement.objects.get(pk=book["rows"]["链家"].pk)
    assert approved.approved_by == manager and approved.approved_at is not None


def test_a_marketers_statement_is_outside_the_partner_list_and_the_other_way(web, book):
    marketers_draft = book["marketers"]["张三"].pk
    partners_draft = book["rows"]["链家"].pk
    confirm = {"confirmed": "1", "expected_count": "1", "expected_total": "1234.56"}
    web.post(
        BULK,
        {"action": "approve", "select": [marketers_draft], "query": PARTNERS, **confirm},
    )
    web.post(
        BULK,
        {
            "action": "approve",
            "select": [partners_draft],
            "query": f"period={OCT}",
            **{**confirm, "expected_total": "3000.00"},
        },
    )
    assert status_of(book)["张三"] == "draft"
    assert status_of(book)["链家"] == "draft"
    assert not AuditEntry.objects.filter(action="statement.approved").exists()


def test_marking_the_selected_partner_statements_paid_leaves_drafts_alone(web, book):
    chosen = [str(book["rows"][name].pk) for name in ("链家", "分销王", "大客户甲")]
    ask = web.post(BULK, {"action": "mark_paid", "select": chosen, "query": PARTNERS})
    body = ask.content.decode()
    assert "1 approved statement, total ¥2,200.25, will be marked paid." in body
    assert "1 still a draft (approve it first), 1 already paid" in body
    paid_on = local_today() - timedelta(days=1)
    done = web.post(
        BULK,
        {
            "action": "mark_paid",
            "select": chosen,
            "query": PARTNERS,
            "confirmed": "1",
            "expected_count": "1",
            "expected_total": "2200.25",
            "paid_on": paid_on.isoformat(),
        },
        follow=True,
    )
    assert f"Marked 1 statement paid on {paid_on.isoformat()}, total ¥2,200.25." in (
        done.content.decode()
    )
    paid = Statement.objects.get(pk=book["rows"]["分销王"].pk)
    assert (paid.status, paid.paid_on) == ("paid", paid_on)
    assert status_of(book)["链家"] == "draft"
    (entry,) = AuditEntry.objects.filter(action="statement.paid")
    assert entry.object_id == paid.pk
    assert entry.changes["partner"] == book["partners"]["分销王"].pk
    assert entry.changes["paid_on"]["after"] == paid_on.isoformat()


def test_the_services_decide_on_partner_statements_in_constant_queries(manager):
    def approve_then_pay(n: int) -> tuple[int, int]:
        rows = [statement("100.00", partner=PartnerFactory()) for _ in range(n)]
        ids = [s.pk for s in rows]
        with CaptureQueriesContext(connection) as approving:
            result = statements_approve_batch(actor=manager, statement_ids=ids)
        assert (result.count, result.total_amount) == (n, Decimal("100.00") * n)
        with CaptureQueriesContext(connection) as paying:
            result = statements_mark_paid(actor=manager, statement_ids=ids, paid_on=local_today())
        assert result.count == n
        return len(approving.captured_queries), len(paying.captured_queries)

    approve_then_pay(1)  # the audit's content type is looked up once, then cached
    assert approve_then_pay(2) == approve_then_pay(15)
    assert AuditEntry.objects.filter(action="statement.approved").count() == 18
    assert AuditEntry.objects.filter(action="statement.paid").count() == 18


# --- a computed month: the summary, the page and the sheet agree ---------------------------------
@pytest.fixture
def computed(plan, team):
    """October computed: two marketers' statements and one partner's (a 3,000 per-unit deal)."""
    partner = PartnerFactory(name="链家")
    PartnerContractFactory(
        partner=partner,
        status="active",
        fee_mode="per_unit",
        fee_value=Decimal("3000"),
        start_on=date(2026, 1, 1),
        end_on=date(2026, 12, 31),
    )
    deal = signing(marketer(team, name="带看"), "1000000.00", date(2026, 10, 9))
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)
    signing(marketer(team, name="张三"), "800000.00", date(2026, 10, 12))
    run = JobRun.objects.create(
        name="compute_incentives", key=OCT, status="queued", started_at=timezone.now()
    )
    summary = period_compute(period=OCT, now=AFTER_OCT, run_id=run.pk)
    return {"partner": partner, "summary": summary}


def test_the_compute_summary_and_the_page_count_partners_alike(web, computed):
    summary = computed["summary"]
    assert (summary.partner_statements, summary.partner_total_amount) == (1, Decimal("3000.00"))
    assert "of the drafts, 1 partner statement(s) totalling 3,000.00" in summary.text()
    response = web.get(PAGE, {"period": OCT})
    month = response.context["month_totals"]
    assert (month.count, month.total_amount) == (summary.statements, summary.total_amount)
    assert (month.partners_count, month.partners_amount) == (1, Decimal("3000.00"))
    body = response.content.decode()
    assert "of the drafts, 1 partner statement(s) totalling 3,000.00" in body  # the job's summary
    assert "of which partner statements: 1 (¥3,000.00)." in body
    partners = web.get(PAGE, {"period": OCT, "owner": "partners"})
    assert totals(partners)["total"] == Decimal("3000.00")


def test_the_partner_export_is_a_commission_sheet_with_every_line(web, computed):
    response = web.get(PAGE, {"period": OCT, "owner": "partners", "export": "xlsx"})
    assert response.status_code == 200
    assert "partner-commission-2026-10.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    summary = list(book["Partner commission"].values)
    assert summary[0] == (
        "Partner",
        "Kind",
        "Month",
        "Commission",
        "Clawback",
        "Manual adjustment",
        "Total",
        "Status",
        "Paid on",
    )
    assert summary[1:] == [("链家", "Agency (中介/代理)", OCT, 3000, 0, 0, 3000, "Draft", None)]
    lines = list(book["Lines"].values)
    assert [row[:4] for row in lines[1:]] == [("链家", OCT, "Commission", 3000)]
    assert lines[1][4]  # explained
    # The selection's export is the same sheet.
    only = Statement.objects.get(partner=computed["partner"])
    picked = web.post(BULK, {"action": "export", "select": [only.pk], "query": PARTNERS})
    assert list(load_workbook(BytesIO(picked.content))["Partner commission"].values)[1][0] == "链家"


def test_a_partner_statement_opens_for_the_manager_with_its_lines(web, computed, make_login):
    only = Statement.objects.get(partner=computed["partner"])
    response = web.get(f"/incentives/statements/{only.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="statement-owner">链家' in body
    assert f'href="{PAGE}?period={OCT}&amp;owner=partners"' in body
    assert 'data-testid="approve"' in body
    done = web.post(f"/incentives/statements/{only.pk}/approve/")
    assert done.status_code == 302
    only.refresh_from_db()
    assert only.status == "approved"
    for role in (Role.MARKETER, Role.PARTNER):
        other = Client()
        other.force_login(make_login(role))
        assert other.get(f"/incentives/statements/{only.pk}/").status_code in (403, 404)

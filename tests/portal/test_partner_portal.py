"""The partner portal's pages: only partner users, only their own partner's data, phones
masked, registration through the same protection rules as the API, constant query counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.periods import local_today, month_of
from common.roles import Role
from incentives.models import Statement, StatementLine, Target
from partners.choices import ContractStatus
from sales.models import Registration
from sales.services.customers import registration_create
from sales.services.deals import signing_record, subscription_record
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, UserFactory, marketer
from tests.factories.partners import (
    PartnerContractFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
)
from tests.helpers import PASSWORD, PDF_BYTES, browser_for

pytestmark = pytest.mark.django_db

PAGES = [
    "portal:dashboard",
    "portal:customers",
    "portal:register",
    "portal:statements",
    "portal:contract",
    "portal:targets",
    "portal:training",
]


@pytest.fixture
def project(db):
    return ProjectFactory(name="金隅大成", code="jydc")


@pytest.fixture
def a(db):
    return PartnerFactory(name="甲方渠道")


@pytest.fixture
def b(db):
    return PartnerFactory(name="乙方渠道")


@pytest.fixture
def user_a(make_login, a):
    return make_login(Role.PARTNER, partner=a, username="jia")


@pytest.fixture
def user_b(make_login, b):
    return make_login(Role.PARTNER, partner=b, username="yi")


@pytest.fixture
def browser(user_a) -> Client:
    return browser_for(user_a)


def register(user, project, name, phone, **kwargs) -> Registration:
    return registration_create(
        actor=user, project=project, customer_name=name, customer_phone=phone, **kwargs
    )


def customers(user, project, n: int, *, start: int = 0, prefix="客户") -> None:
    for i in range(start, start + n):
        register(user, project, f"{prefix}{i}", f"1370000{i:04d}")


def statement(
    partner, period, *, status="approved", lines=(("commission", "3000.00", "签约佣金"),)
):
    from tests.factories.org import UserFactory

    approver = UserFactory()
    now = timezone.now()
    made = Statement.objects.create(
        partner=partner,
        period=period,
        status=status,
        total_amount=sum(Decimal(amount) for _kind, amount, _text in lines),
        computed_at=now,
        approved_by=None if status == "draft" else approver,
        approved_at=None if status == "draft" else now,
        paid_at=now if status == "paid" else None,
    )
    for position, (kind, amount, text) in enumerate(lines):
        StatementLine.objects.create(
            statement=made, kind=kind, amount=Decimal(amount), description=text, position=position
        )
    return made


# --- who may open the portal ------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT]
)
def test_staff_roles_get_403_on_every_portal_page(make_login, role):
    client = browser_for(make_login(role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("portal:statement-detail", args=[1])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    response = Client().get(reverse("portal:customers"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_page_opens_for_a_partner_user_with_the_portal_navigation(browser, a):
    for name in PAGES:
        response = browser.get(reverse(name))
        assert response.status_code == 200, name
        body = response.content.decode()
        assert 'data-testid="nav-portal-customers"' in body, name
        assert a.name in body, name


def test_staff_do_not_see_the_portal_navigation(make_login):
    body = browser_for(make_login(Role.MANAGER)).get(reverse("sales:daily-report")).content
    assert b"nav-portal" not in body


def test_the_portal_is_in_chinese_for_a_chinese_browser(browser):
    response = browser.get(reverse("portal:customers"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


# --- customers -----------------------------------------------------------------------------------


def test_customers_are_listed_masked_with_their_progress(browser, user_a, office, project, a):
    register(user_a, project, "王先生", "13812341234")
    register(user_a, project, "李女士", "13955556666")
    visit_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone="13955556666",
        visited_at=timezone.now(),
        property_type="high_rise",
        partner=a,
        status="confirmed",
    )
    subscription_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone="13955556666",
        unit="1-101",
        property_type="high_rise",
        amount=Decimal("50000"),
        subscribed_on=local_today(),
    )
    response = browser.get(reverse("portal:customers"))
    body = response.content.decode()
    assert "138****1234" in body and "139****6666" in body
    assert "13812341234" not in body and "13955556666" not in body
    stages = dict(
        zip(
            ["李女士", "王先生"],
            [row.stage for row in response.context["page"]],
            strict=True,
        )
    )
    assert stages == {"李女士": "subscribed", "王先生": "registered"}
    assert 'data-testid="protected-until"' in body


def test_a_deal_by_another_channel_shows_only_that_fact(browser, user_a, office, project):
    register(user_a, project, "赵先生", "13811112222")
    seller = marketer(TeamFactory(project=project), name="张行销")
    signing_record(
        actor=office,
        project=project,
        customer_name="赵先生",
        customer_phone="13811112222",
        unit="8-808",
        property_type="high_rise",
        area=Decimal("99"),
        amount=Decimal("1234567"),
        signed_on=local_today(),
        marketer=seller,
    )
    response = browser.get(reverse("portal:customers"))
    body = response.content.decode()
    assert 'data-testid="badge-lost"' in body
    assert "他人成交" in body
    for secret in ("张行销", "1234567", "1,234,567", "8-808"):
        assert secret not in body
    assert [row.stage for row in response.context["page"]] == ["lost"]
    filtered = browser.get(reverse("portal:customers"), {"stage": "lost"})
    assert filtered.context["page"].paginator.count == 1


def test_search_by_name_or_last_four_digits_and_filter_by_project(browser, user_a, project):
    other = ProjectFactory(name="协成")
    register(user_a, project, "王先生", "13812341234")
    register(user_a, project, "李女士", "13955556666")
    register(user_a, other, "王小姐", "13700009999")

    def names(**params):
        page = browser.get(reverse("portal:customers"), params).context["page"]
        return sorted(row.customer_name for row in page)

    assert names(q="王") == ["王先生", "王小姐"]
    assert names(q="6666") == ["李女士"]
    assert names(q="13812341234") == ["王先生"]
    assert names(project=other.pk) == ["王小姐"]
    assert names(stage="signed") == []
    bad = browser.get(reverse("portal:customers"), {"project": "987654", "stage": "nonsense"})
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() == {"project", "stage"}


def test_customer_list_pages_and_keeps_a_constant_query_count(browser, user_a, project):
    url = reverse("portal:customers")
    customers(user_a, project, 2)
    browser.get(url)  # warm the session and the per-user caches
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    customers(user_a, project, 30, start=2)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (32, 20)
    second = browser.get(url, {"page": 2}).context["page"]
    assert len(second.object_list) == 12


def test_a_registration_again_after_expiry_lists_the_customer_once(user_a, browser, project):
    first = register(user_a, project, "周先生", "13866667777")
    Registration.objects.filter(pk=first.pk).update(
        registered_at=timezone.now() - timedelta(days=60),
        protected_until=local_today() - timedelta(days=31),
        status="expired",
    )
    again = register(user_a, project, "周先生", "13866667777")
    page = browser.get(reverse("portal:customers")).context["page"]
    assert [row.pk for row in page] == [again.pk]


# --- register -------------------------------------------------------------------------------------


def test_the_register_form_opens_on_the_project_the_partner_works_on(
    browser, user_a, user_b, project
):
    ProjectFactory(name="万象城", code="wxc")  # first by name: the default without history
    first = reverse("portal:register")
    opened = browser.get(first).context["form"]
    assert opened.initial["project"] == opened.fields["project"].queryset.first().pk
    assert "selected>" in browser.get(first).content.decode()
    register(user_a, project, "陈先生", "13812341234")
    assert browser.get(first).context["form"].initial["project"] == project.pk
    assert browser_for(user_b).get(first).context["form"].initial["project"] != project.pk


def test_registering_a_customer_redirects_to_the_list_showing_it_masked(browser, project, a):
    response = browser.post(
        reverse("portal:register"),
        {"project": project.pk, "customer_name": "陈先生", "phone": "138 1234 1234"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("portal:customers"), 302)]
    body = response.content.decode()
    assert "陈先生" in body and "138****1234" in body
    assert "13812341234" not in body
    assert "protected until" in body.lower() or "Protected until" in body
    registration = Registration.objects.get()
    assert (registration.partner, registration.marketer) == (a, None)
    assert registration.customer_phone == "13812341234"


def test_a_customer_protected_by_another_channel_is_refused_without_naming_it(
    browser, user_b, project
):
    held = register(user_b, project, "钱先生", "13812345678")
    response = browser.post(
        reverse("portal:register"),
        {"project": project.pk, "customer_name": "钱先生", "phone": "13812345678"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["phone"]
    assert errors == [
        f"This customer is already registered and protected until "
        f"{held.protected_until.isoformat()} (撞单)."
    ]
    body = response.content.decode()
    assert "乙方渠道" not in body and 'data-testid="error-phone"' in body
    assert Registration.objects.count() == 1


def test_registering_the_same_customer_twice_says_it_is_already_yours(browser, user_a, project):
    register(user_a, project, "孙先生", "13812340000")
    response = browser.post(
        reverse("portal:register"),
        {"project": project.pk, "customer_name": "孙先生", "phone": "13812340000"},
    )
    assert response.status_code == 400
    assert "You already registered this customer" in response.context["form"].errors["phone"][0]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"customer_name": "甲", "phone": "12345"}, "phone"),
        ({"customer_name": "   ", "phone": "13812341234"}, "customer_name"),
        ({"customer_name": "甲", "phone": "13812341234", "project": "987654"}, "project"),
    ],
)
def test_bad_registration_input_is_a_form_error(browser, project, data, field):
    response = browser.post(reverse("portal:register"), {"project": project.pk, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()


def test_an_inactive_project_cannot_be_chosen(browser, project):
    project.is_active = False
    project.save()
    response = browser.post(
        reverse("portal:register"),
        {"project": project.pk, "customer_name": "甲", "phone": "13812341234"},
    )
    assert response.status_code == 400 and "project" in response.context["form"].errors


# --- statements, contract, targets, training ----------------------------------------------


def test_statements_list_own_approved_and_paid_ones_with_lines_explained(browser, a, b):
    mine = statement(a, "2026-10", lines=(("commission", "3000.00", "签约 #1 佣金 3,000"),))
    statement(a, "2026-09", status="paid")
    draft = statement(a, "2026-11", status="draft")
    theirs = statement(b, "2026-10", lines=(("commission", "9999.00", "乙方佣金"),))
    page = browser.get(reverse("portal:statements")).context["page"]
    assert [s.period for s in page] == ["2026-10", "2026-09"]
    detail = browser.get(reverse("portal:statement-detail", args=[mine.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "签约 #1 佣金 3,000" in body and "3,000.00" in body
    for hidden in (draft, theirs):
        assert browser.get(reverse("portal:statement-detail", args=[hidden.pk])).status_code == 404
    missing = browser.get(reverse("portal:statement-detail", args=[987654]))
    theirs_response = browser.get(reverse("portal:statement-detail", args=[theirs.pk]))
    assert missing.content == theirs_response.content


def test_a_paid_statement_shows_the_payout_date_not_when_it_was_marked(browser, a):
    paid = statement(a, "2026-09", status="paid")
    paid.paid_on = paid.paid_at.date() - timedelta(days=3)
    paid.save(update_fields=["paid_on"])
    body = browser.get(reverse("portal:statement-detail", args=[paid.pk])).content.decode()
    assert paid.paid_on.isoformat() in body


def test_contract_page_shows_clauses_days_to_expiry_and_the_own_pdf_only(browser, a, b):
    today = local_today()
    contract = PartnerContractFactory(
        partner=a,
        status=ContractStatus.ACTIVE,
        code="A-2026",
        sales_region="天津河西区",
        end_on=today + timedelta(days=25),
    )
    contract.signed_pdf.save("a.pdf", ContentFile(PDF_BYTES))
    PartnerContractFactory(partner=a, status=ContractStatus.DRAFT, code="A-DRAFT")
    other = PartnerContractFactory(partner=b, status=ContractStatus.ACTIVE, code="B-2026")
    other.signed_pdf.save("b.pdf", ContentFile(PDF_BYTES))
    response = browser.get(reverse("portal:contract"))
    body = response.content.decode()
    assert "A-2026" in body and "天津河西区" in body and "代理销售住宅" in body
    assert "A-DRAFT" not in body and "B-2026" not in body
    assert response.context["summary"].days_left == 25
    download = browser.get(reverse("portal:contract-pdf", args=[contract.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert browser.get(reverse("portal:contract-pdf", args=[other.pk])).status_code == 404


def test_targets_show_live_attainment(browser, user_a, office, project, a, b):
    month = month_of(local_today()).code
    Target.objects.create(
        metric="signing_amount",
        subject_type="partner",
        subject_id=a.pk,
        period=month,
        value=Decimal("2000000"),
    )
    Target.objects.create(
        metric="signing_amount",
        subject_type="partner",
        subject_id=b.pk,
        period=month,
        value=Decimal("7777777"),
    )
    register(user_a, project, "吴先生", "13812348888")
    signing_record(
        actor=office,
        project=project,
        customer_name="吴先生",
        customer_phone="13812348888",
        unit="2-202",
        property_type="high_rise",
        area=Decimal("100"),
        amount=Decimal("500000"),
        signed_on=local_today(),
        partner=a,
    )
    response = browser.get(reverse("portal:targets"))
    (row,) = response.context["rows"]
    assert (row.actual, row.percent) == (Decimal("500000"), Decimal("25.0"))
    assert "7,777,777" not in response.content.decode()
    dashboard = browser.get(reverse("portal:dashboard"))
    assert [r.percent for r in dashboard.context["targets"]] == [Decimal("25.0")]


def test_training_lists_only_invited_sessions_with_own_attendance(browser, a, b):
    mine = TrainingSessionFactory(title="联合培训", held_on=local_today() - timedelta(days=3))
    TrainingAttendanceFactory(session=mine, partner=a, attended=True, score=88)
    TrainingAttendanceFactory(session=mine, partner=b, attended=True, score=61)
    only_b = TrainingSessionFactory(title="乙方专场")
    TrainingAttendanceFactory(session=only_b, partner=b)
    upcoming = TrainingSessionFactory(title="产品培训", held_on=local_today() + timedelta(days=5))
    TrainingAttendanceFactory(session=upcoming, partner=a)
    response = browser.get(reverse("portal:training"))
    body = response.content.decode()
    assert [s.title for s in response.context["page"]] == ["产品培训", "联合培训"]
    main = body[body.index("<main") : body.index("</main>")]  # not the static files' hashes
    assert re.search(r"\b88\b", main) and not re.search(r"\b61\b", main)
    assert "乙方专场" not in body
    dashboard = browser.get(reverse("portal:dashboard"))
    assert [s.title for s in dashboard.context["trainings"]] == ["产品培训"]


def test_dashboard_counts_this_months_activity_and_commission(browser, user_a, office, project, a):
    today = local_today()
    register(user_a, project, "郑先生", "13812347777")
    register(user_a, project, "冯女士", "13812346666")
    visit_record(
        actor=office,
        project=project,
        customer_name="郑先生",
        customer_phone="13812347777",
        visited_at=timezone.now(),
        property_type="high_rise",
        partner=a,
        status="confirmed",
    )
    signing_record(
        actor=office,
        project=project,
        customer_name="郑先生",
        customer_phone="13812347777",
        unit="3-303",
        property_type="high_rise",
        area=Decimal("88"),
        amount=Decimal("1500000"),
        signed_on=today,
        partner=a,
    )
    statement(a, month_of(today).code, lines=(("commission", "1000.00", "佣金"),))
    PartnerContractFactory(
        partner=a, status=ContractStatus.ACTIVE, end_on=today + timedelta(days=7)
    )
    context = browser.get(reverse("portal:dashboard")).context
    activity = context["activity"]
    assert (activity["registrations"], activity["visits"], activity["valid_visits"]) == (2, 1, 1)
    assert (activity["signings"].count, activity["signings"].amount) == (1, Decimal("1500000"))
    assert context["commission"]["month"] == Decimal("1000.00")
    assert context["contract"].days_left == 7


@pytest.mark.parametrize("name", ["portal:statements", "portal:targets", "portal:training"])
def test_list_pages_keep_a_constant_query_count(browser, a, name):
    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            if name == "portal:statements":
                statement(a, f"20{10 + i:02d}-01")
            elif name == "portal:targets":
                for metric in ("signing_amount", "registrations"):
                    Target.objects.create(
                        metric=metric,
                        subject_type="partner",
                        subject_id=a.pk,
                        period=f"20{10 + i:02d}-01",
                        value=Decimal("100"),
                    )
            else:
                TrainingAttendanceFactory(
                    partner=a, session=TrainingSessionFactory(held_on=local_today())
                )

    url = reverse(name)
    # Targets' attainment runs one GROUP BY per (metric, period) on the page: compare two
    # full pages; the other lists compare a short page with a full one.
    first = 12 if name == "portal:targets" else 2
    add(first, 0)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    add(25, first)
    with CaptureQueriesContext(connection) as many:
        assert browser.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_partner_login_without_a_partner_gets_403(make_login):
    from common.access import user_role_set

    user = UserFactory()
    user_role_set(user, Role.PARTNER)
    assert browser_for(user).get(reverse("portal:dashboard")).status_code == 403


def test_login_page_leads_a_partner_to_the_portal(user_a):
    client = Client()
    response = client.post(reverse("login"), {"username": "jia", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")


def test_only_a_deal_credited_to_another_channel_counts_as_lost(browser, user_a, project):
    from sales.models import Subscription

    walk_in = register(user_a, project, "散客", "13800001111")
    taken = register(user_a, project, "被抢客户", "13800002222")
    seller = marketer(TeamFactory(project=project))
    for registration, channel in ((walk_in, {}), (taken, {"marketer": seller})):
        Subscription.objects.create(
            project=project,
            customer=registration.customer,
            unit=f"U-{registration.pk}",
            property_type="high_rise",
            amount=Decimal("10000"),
            subscribed_on=local_today(),
            **channel,
        )
    page = browser.get(reverse("portal:customers")).context["page"]
    assert {row.customer_name: row.stage for row in page} == {
        "散客": "registered",
        "被抢客户": "lost",
    }

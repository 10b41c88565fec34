"""A marketer's own pages (/marketer/): 报备 through the registration service (撞单 and bad
phones as field errors, nothing stored), own customers with the protection that applies and
its countdown, own visits — another marketer's rows answer 404, other roles 403 — and the
lists' query counts stay constant."""

import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from common.periods import local_date, local_today, month_of
from common.roles import Role
from sales.choices import PhoneMode
from sales.models import Registration, Staff
from sales.services.customers import registration_create
from sales.services.deals import signing_cancel, signing_record
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_record, visit_reject
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.helpers import browser_for, earlier_today, login_create

pytestmark = pytest.mark.django_db

PAGES = ["marketer:home", "marketer:register", "marketer:customers", "marketer:visits"]


@pytest.fixture
def project(db):
    return ProjectFactory(name="金隅大成", code="jydc", protection_days=30)


@pytest.fixture
def team(project):
    return TeamFactory(project=project, name="一组")


@pytest.fixture
def me(make_login, team):
    return make_login(Role.MARKETER, team=team, username="xiaowang")


@pytest.fixture
def mine(me):
    return Staff.objects.get(user=me)


@pytest.fixture
def other(make_login, team):
    return make_login(Role.MARKETER, team=team, username="xiaoli")


@pytest.fixture
def browser(me):
    return browser_for(me)


def register(user, project, name, phone, *, days_ago=0):
    return registration_create(
        actor=user,
        project=project,
        customer_name=name,
        customer_phone=phone,
        registered_at=earlier_today(days=days_ago, hours=2),
    )


def visit(office, project, phone, staff, *, days_ago=0, status="confirmed"):
    return visit_record(
        actor=office,
        project=project,
        customer_name="客户",
        customer_phone=phone,
        visited_at=earlier_today(days=days_ago, hours=1),
        property_type="high_rise",
        status=status,
        marketer=staff,
    )


# --- who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.CONSULTANT, Role.PARTNER]
)
def test_other_roles_get_403_on_every_marketer_page(make_login, role):
    browser = browser_for(make_login(role))
    for name in PAGES:
        assert browser.get(reverse(name)).status_code == 403, name
    assert browser.post(reverse("marketer:register"), {}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    response = Client().get(reverse("marketer:customers"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_marketer_lands_on_their_day_with_the_marketer_menu(browser):
    response = browser.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("marketer:home")
    body = browser.get(reverse("marketer:home")).content.decode()
    for testid in ("nav-marketer-register", "nav-marketer-customers", "nav-marketer-visits"):
        assert f'data-testid="{testid}"' in body
    # The main action comes first: the register button precedes every count.
    assert body.index('data-testid="home-register"') < body.index('data-testid="marketer-counts"')


def test_other_roles_do_not_see_the_marketer_menu(make_login):
    body = browser_for(make_login(Role.SECRETARY)).get(reverse("sales:visits-today"))
    assert "nav-marketer-register" not in body.content.decode()


# --- register --------------------------------------------------------------------------------


def test_registering_through_the_page_stores_the_row_credited_to_the_marketer(
    browser, me, mine, project
):
    response = browser.post(
        reverse("marketer:register"),
        {"project": project.pk, "customer_name": " 陈先生 ", "phone": "138 1234-1234"},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketer:customer", args=[registration.customer_id])
    assert (registration.marketer, registration.partner) == (mine, None)
    assert registration.created_by == me
    assert (registration.customer_name, registration.customer_phone) == ("陈先生", "13812341234")
    until = local_today() + timedelta(days=29)
    assert registration.protected_until == until
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        f"陈先生 (13812341234) is registered at 金隅大成. Protected until {until.isoformat()}."
    )
    page = browser.get(response["Location"])
    assert page.context["days_left"] == 29
    assert page.context["row"].protection_kind == "registration"


def test_the_form_opens_on_the_marketers_project_with_each_projects_phone_mode(browser, project):
    masked = ProjectFactory(name="协成", phone_mode=PhoneMode.MASKED)
    response = browser.get(reverse("marketer:register"))
    assert response.context["form"]["project"].value() == project.pk
    options = dict(re.findall(r'<option value="(\d+)"([^>]*)>', response.content.decode()))
    assert 'data-phone-mode="masked"' in options[str(masked.pk)]
    assert 'data-phone-mode="full"' in options[str(project.pk)]
    assert "selected" in options[str(project.pk)]


def test_a_customer_another_marketer_protects_is_refused_with_the_end_date(browser, other, project):
    held = register(other, project, "钱先生", "13812345678")
    response = browser.post(
        reverse("marketer:register"),
        {"project": project.pk, "customer_name": "钱先生", "phone": "13812345678"},
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["phone"]
    assert error.startswith(
        f"This customer is already registered and protected until "
        f"{held.protected_until.isoformat()} (撞单)."
    )
    assert 'data-testid="error-phone"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_customer_under_deal_protection_is_refused_until_the_deal_protection_ends(
    browser, other, office, project
):
    register(other, project, "孙先生", "13812340000")
    visit(office, project, "13812340000", Staff.objects.get(user=other))
    response = browser.post(
        reverse("marketer:register"),
        {"project": project.pk, "customer_name": "孙先生", "phone": "13812340000"},
    )
    assert response.status_code == 400
    until = (local_today() + timedelta(days=project.deal_protection_days)).isoformat()
    assert (
        f"under deal protection until {until} (撞单)" in response.context["form"].errors["phone"][0]
    )
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"customer_name": "甲", "phone": "12345"}, "phone"),
        ({"customer_name": "甲", "phone": "138****1234"}, "phone"),  # full-number project
        ({"customer_name": "甲", "phone": ""}, "phone"),
        ({"customer_name": "   ", "phone": "13812341234"}, "customer_name"),
        ({"customer_name": "甲", "phone": "13812341234", "project": "987654"}, "project"),
        ({"customer_name": "甲", "phone": "13812341234", "project": "x"}, "project"),
    ],
)
def test_bad_input_is_a_field_error_and_stores_nothing(browser, project, data, field):
    response = browser.post(reverse("marketer:register"), {"project": project.pk, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Registration.objects.exists()


def test_a_masked_project_takes_first_three_and_last_four(browser, mine):
    masked = ProjectFactory(name="协成", phone_mode=PhoneMode.MASKED)
    response = browser.post(
        reverse("marketer:register"),
        {"project": masked.pk, "customer_name": "赵女士", "phone": "139****5678"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.customer_phone, registration.marketer) == ("139****5678", mine)


# --- my customers ----------------------------------------------------------------------------


def rows_of(response):
    return list(response.context["listing"].table.paginated_rows)


def names(response):
    return [row.record.customer_name for row in rows_of(response)]


def test_my_customers_are_only_mine_soonest_ending_protection_first(browser, me, other, project):
    late = register(me, project, "晚到期", "13800000001")
    soon = register(me, project, "早到期", "13800000002")
    Registration.objects.filter(pk=soon.pk).update(protected_until=local_today() + timedelta(2))
    register(other, project, "别人的", "13800000003")
    response = browser.get(reverse("marketer:customers"))
    assert names(response) == ["早到期", "晚到期"]
    body = response.content.decode()
    assert "别人的" not in body and "13800000003" not in body
    first = rows_of(response)[0]
    assert (first.record.protection_ends, first.record.stage) == (
        local_today() + timedelta(2),
        "registered",
    )
    assert 'data-testid="countdown" data-days="2"' in body
    assert f'data-days="{(late.protected_until - local_today()).days}"' in body


def test_after_a_visit_the_deal_protection_applies(browser, me, mine, office, project):
    register(me, project, "周先生", "13866667777", days_ago=5)
    visit(office, project, "13866667777", mine, days_ago=3)
    [row] = rows_of(browser.get(reverse("marketer:customers")))
    visited_on = local_date(earlier_today(days=3, hours=1))
    assert row.record.stage == "visited"
    assert row.record.protection_kind == "deal"
    assert row.record.protection_ends == visited_on + timedelta(days=project.deal_protection_days)
    assert "deal protection until" in row.get_cell("protection_ends")


def test_stages_signed_cancelled_lost_and_lapsed(browser, me, mine, other, office, project):
    signed = register(me, project, "签约", "13800000011")
    cancelled = register(me, project, "退房", "13800000012")
    lapsed = register(me, project, "过期", "13800000013")
    lost = register(me, project, "他人", "13800000014")
    for reg in (signed, cancelled):
        visit(office, project, reg.customer_phone, mine)
    made = {}
    for n, reg in enumerate((signed, cancelled, lost)):
        made[reg.pk] = signing_record(
            actor=office,
            project=project,
            customer_name=reg.customer_name,
            customer_phone=reg.customer_phone,
            unit=f"1-{n}01",
            property_type="high_rise",
            area=Decimal("90"),
            amount=Decimal("900000"),
            signed_on=local_today(),
            **({"marketer": Staff.objects.get(user=other)} if reg is lost else {}),
        )
    signing_cancel(actor=office, signing=made[cancelled.pk], cancelled_on=local_today())
    Registration.objects.filter(pk=lapsed.pk).update(
        protected_until=local_today() - timedelta(days=1), status="expired"
    )
    stages = {
        row.record.customer_name: (row.record.stage, row.record.protection_ends)
        for row in rows_of(browser.get(reverse("marketer:customers")))
    }
    assert stages["签约"] == ("signed", None)
    assert stages["退房"][0] == "cancelled"
    assert stages["他人"] == ("lost", None)
    assert stages["过期"] == ("invalid", None)
    only = browser.get(reverse("marketer:customers"), {"stage": "cancelled"})
    assert names(only) == ["退房"]


def customer_list_html(response) -> str:
    """The list's cards, without the filter form (whose status choices name every stage)."""
    assert response.status_code == 200
    return response.content.decode().split('data-testid="customer-list"', 1)[1]


def test_an_override_away_without_a_signing_is_attributed_elsewhere_not_a_lost_deal(
    me, mine, office, project, team, make_login
):
    reg = register(me, project, "周先生", "13866660001", days_ago=3)
    visit(office, project, "13866660001", mine, days_ago=2)  # the deal protection is mine
    seller = Staff.objects.get(user=make_login(Role.MARKETER, team=team, username="xiaozhao"))
    customer_attribution_override(
        actor=make_login(Role.MANAGER),
        customer=reg.customer,
        marketer=seller,
        reason="经核实归属小赵",
    )
    chinese = browser_for(me)
    chinese.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = chinese.get(reverse("marketer:customers"))
    [row] = rows_of(response)
    assert (row.record.stage, row.record.is_lost) == ("elsewhere", False)
    assert (row.record.protection_ends, row.record.protection_kind) == (None, "")
    cards = customer_list_html(response)
    assert "已不属于您：归属他方" in cards and "他人成交" not in cards
    assert 'data-stage="elsewhere"' in cards and 'data-testid="countdown"' not in cards
    for secret in (seller.name, "经核实归属小赵"):
        assert secret not in cards
    page = chinese.get(reverse("marketer:customer", args=[reg.customer_id])).content.decode()
    assert 'data-stage="elsewhere"' in page and "他人成交" not in page
    assert seller.name not in page
    url = reverse("marketer:customers")
    assert names(chinese.get(url, {"stage": "elsewhere"})) == ["周先生"]
    assert names(chinese.get(url, {"stage": "lost"})) == []
    assert chinese.get(reverse("marketer:home")).context["counts"]["protected"] == 0


def test_another_channels_signing_after_the_override_is_a_lost_deal(
    browser, me, mine, office, project, make_login
):
    partner = PartnerFactory(name="甲方渠道")
    reg = register(me, project, "郑女士", "13866660002", days_ago=3)
    visit(office, project, "13866660002", mine, days_ago=2)
    customer_attribution_override(
        actor=make_login(Role.MANAGER), customer=reg.customer, partner=partner, reason="申诉成立"
    )
    signing_record(
        actor=office,
        project=project,
        customer_name="郑女士",
        customer_phone="13866660002",
        unit="2-1201",
        property_type="high_rise",
        area=Decimal("100"),
        amount=Decimal("1000000"),
        signed_on=local_today(),
        partner=partner,
    )
    response = browser.get(reverse("marketer:customers"))
    [row] = rows_of(response)
    assert (row.record.stage, row.record.is_lost, row.record.protection_ends) == (
        "lost",
        True,
        None,
    )
    cards = customer_list_html(response)
    assert "Deal by another channel (他人成交)" in cards and "attributed elsewhere" not in cards
    assert partner.name not in cards


def test_filter_by_status_and_project_and_search_by_name_or_phone(
    browser, me, mine, office, project
):
    second = ProjectFactory(name="协成")
    register(me, project, "王先生", "13811112222")
    register(me, project, "李女士", "13933334444")
    register(me, second, "张先生", "13755556666")
    visit(office, project, "13933334444", mine)
    url = reverse("marketer:customers")
    assert names(browser.get(url, {"stage": "visited"})) == ["李女士"]
    assert sorted(names(browser.get(url, {"project": second.pk}))) == ["张先生"]
    assert names(browser.get(url, {"q": "王"})) == ["王先生"]
    assert names(browser.get(url, {"q": "2222"})) == ["王先生"]
    assert names(browser.get(url, {"q": "13933334444"})) == ["李女士"]
    bad = browser.get(url, {"stage": "nonsense", "project": "987654"})
    assert bad.status_code == 200 and names(bad) == []
    assert set(bad.context["listing"].filterset.errors) == {"stage", "project"}


def test_ending_within_three_days_is_counted_at_home_and_filtered(browser, me, project):
    today = local_today()
    for n, days in enumerate((0, 3, 4, 20)):
        reg = register(me, project, f"客户{days}", f"1380000010{n}")
        Registration.objects.filter(pk=reg.pk).update(protected_until=today + timedelta(days))
    home = browser.get(reverse("marketer:home"))
    assert home.context["counts"]["ending_soon"] == 2
    assert home.context["counts"]["protected"] == 4
    assert home.context["counts"]["registrations"] == 4
    soon = browser.get(reverse("marketer:customers"), {"ending": "true"})
    assert names(soon) == ["客户0", "客户3"]
    assert "Last day" in soon.content.decode()


def test_another_marketers_customer_answers_404(browser, other, project):
    theirs = register(other, project, "别人的", "13800000003")
    url = reverse("marketer:customer", args=[theirs.customer_id])
    assert browser.get(url).status_code == 404
    assert browser_for(other).get(url).status_code == 200
    assert browser.get(reverse("marketer:customer", args=[987654])).status_code == 404


def test_the_customer_page_shows_my_registrations_and_visits(browser, me, mine, office, project):
    reg = register(me, project, "吴先生", "13822223333")
    seen = visit(office, project, "13822223333", mine)
    body = browser.get(reverse("marketer:customer", args=[reg.customer_id])).content.decode()
    assert "吴先生" in body and "13822223333" in body
    assert reverse("marketer:visit", args=[seen.pk]) in body
    assert 'data-kind="deal"' in body


def test_export_is_my_customers_as_a_workbook(browser, me, other, project):
    register(me, project, "王先生", "13811112222")
    register(other, project, "别人的", "13800000003")
    response = browser.get(reverse("marketer:customers"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2 and rows[1][:3] == ("王先生", "13811112222", "金隅大成")


def test_customer_list_keeps_a_constant_query_count(browser, me, mine, office, project):
    url = reverse("marketer:customers")

    def add(start, n):
        for i in range(start, start + n):
            register(me, project, f"客户{i}", f"1390000{i:04d}")
            if i % 3 == 0:
                visit(office, project, f"1390000{i:04d}", mine)

    add(0, 2)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    add(2, 40)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["listing"].table.paginator.count == 42
    assert len(rows_of(response)) == 25


# --- my visits -------------------------------------------------------------------------------


def test_my_visits_show_status_and_valid_flag_and_filter_by_month_and_status(
    browser, me, mine, other, office, project
):
    register(me, project, "甲", "13800000021")
    register(me, project, "乙", "13800000022")
    valid = visit(office, project, "13800000021", mine)
    pending = visit(office, project, "13800000022", mine, status="pending")
    rejected = visit(office, project, "13800000023", mine, status="pending")
    visit_reject(actor=office, visit=rejected, reason="无效")
    visit(office, project, "13800000024", Staff.objects.get(user=other))
    url = reverse("marketer:visits")
    response = browser.get(url)
    assert {row.record.pk for row in rows_of(response)} == {valid.pk, pending.pk, rejected.pk}
    body = response.content.decode()
    assert 'data-status="confirmed"' in body and 'data-valid="true"' in body
    assert 'data-status="rejected"' in body
    assert "13800000024" not in body
    only = browser.get(url, {"status": "pending"})
    assert [row.record.pk for row in rows_of(only)] == [pending.pk]
    this_month = month_of(local_today()).code
    assert len(rows_of(browser.get(url, {"month": this_month}))) == 3
    assert rows_of(browser.get(url, {"month": "2001-01"})) == []
    assert [row.record.pk for row in rows_of(browser.get(url, {"valid": "true"}))] == [valid.pk]
    bad = browser.get(url, {"month": "2026-13"})
    assert bad.status_code == 200 and "month" in bad.context["listing"].filterset.errors
    assert rows_of(bad) == []


def test_a_visit_i_brought_but_another_channel_holds_says_so(browser, me, mine, office, project):
    partner = PartnerFactory()
    partner_user = login_create(Role.PARTNER, partner=partner)
    register(partner_user, project, "钱先生", "13812345678")
    brought = visit(office, project, "13812345678", mine)
    [row] = rows_of(browser.get(reverse("marketer:visits")))
    assert row.record.pk == brought.pk and row.record.credited_to_me is False
    page = browser.get(reverse("marketer:visit", args=[brought.pk])).content.decode()
    assert "Credited to another channel" in page
    assert partner.name not in page


def test_another_marketers_visit_answers_404(browser, other, office, project):
    theirs = visit(office, project, "13800000031", Staff.objects.get(user=other))
    assert browser.get(reverse("marketer:visit", args=[theirs.pk])).status_code == 404
    assert browser_for(other).get(reverse("marketer:visit", args=[theirs.pk])).status_code == 200


def test_visit_list_keeps_a_constant_query_count(browser, mine, office, project):
    url = reverse("marketer:visits")

    def add(start, n):
        for i in range(start, start + n):
            visit(
                office, project, f"1370000{i:04d}", mine, status="pending" if i % 2 else "confirmed"
            )

    add(0, 2)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    add(2, 30)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["listing"].table.paginator.count == 32


def test_home_keeps_a_constant_query_count(browser, me, mine, office, project):
    url = reverse("marketer:home")
    register(me, project, "客户", "13600000000")
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    for i in range(1, 20):
        register(me, project, f"客户{i}", f"1360000{i:04d}")
        visit(office, project, f"1360000{i:04d}", mine)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["counts"]["confirmed"] == 19

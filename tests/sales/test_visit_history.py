"""The visit history (every day's visits), one visit's page and a consultant's own visits:
search and filters, sorting, the xlsx export read back, bulk confirm within the selection,
confirm/reject/correct through the visit services, who may open them, constant query counts."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.periods import local_today
from common.roles import Role
from sales.choices import PhoneMode, VisitStatus
from sales.models import Staff, Visit
from tests.api_base import assert_constant_list_queries
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, consultant
from tests.helpers import at, browser_for, earlier_today, log_visit

pytestmark = pytest.mark.django_db

HISTORY_URL = reverse("sales:visit-history")
CONFIRM_URL = reverse("sales:visit-history-confirm")
MINE_URL = reverse("sales:my-assigned-visits")


def log(office, project, *, by, when=None, status=VisitStatus.PENDING, **kw):
    """A visit as log_visit logs it, but pending and five minutes ago unless told."""
    when = when or earlier_today(minutes=5)
    return log_visit(office, project, by=by, when=when, status=status, **kw)


def shown(web, **query) -> list[int]:
    response = web.get(HISTORY_URL, query)
    assert response.status_code == 200
    return [row.record.pk for row in response.context["listing"].table.paginated_rows]


# --- search and filters -----------------------------------------------------------------------


def test_the_history_finds_visits_by_phone_full_masked_partial_or_name(web, office, project, m1):
    wang = log(office, project, by=m1.staff, name="王先生", phone="13812345678")
    li = log(office, project, by=m1.staff, name="李女士", phone="13900001111")
    assert shown(web, q="138 1234 5678") == [wang.pk]
    assert shown(web, q="138****5678") == [wang.pk]
    assert shown(web, q="1385678") == [wang.pk]  # 前三后四 typed without the stars
    assert shown(web, q="1111") == [li.pk]  # the last four digits
    assert shown(web, q="王") == [wang.pk]
    assert set(shown(web)) == {wang.pk, li.pk}


def test_the_history_finds_visits_by_their_customers_pinyin_initials_as_the_customer_list(
    web, office, project, m1
):
    guo = log(office, project, by=m1.staff, name="郭博文", phone="13812345678")
    log(office, project, by=m1.staff, name="李女士", phone="13900001111")
    assert shown(web, q="gbw") == [guo.pk]
    assert shown(web, q="GB") == [guo.pk]
    customers = web.get("/sales/customers/", {"q": "gbw"}).context["listing"].table
    assert [row.record.pk for row in customers.paginated_rows] == [guo.customer_id]


def test_a_full_phone_finds_the_visit_a_masked_project_kept_masked(web, office, m1):
    masked = ProjectFactory(phone_mode=PhoneMode.MASKED)
    visit = log(office, masked, by=m1.staff, phone="138****5678")
    assert visit.customer_phone == "138****5678"
    assert shown(web, q="13812345678") == [visit.pk]


def test_the_history_filters_by_day_status_channel_project_and_consultant(
    web, office, project, m1, m2
):
    receiver = consultant(TeamFactory(project=project))
    partner = PartnerFactory()
    other_project = ProjectFactory()
    old = log(office, project, by=m1.staff, when=at("2026-10-02"), consultant=receiver)
    confirmed = log(office, project, by=m2.staff, status=VisitStatus.CONFIRMED)
    partners = log(office, other_project, by=partner)
    assert shown(web, date_from="2026-10-01", date_to="2026-10-02") == [old.pk]
    assert shown(web, date_to="2026-10-01") == []
    assert shown(web, status="confirmed") == [confirmed.pk]
    assert shown(web, marketer=m2.staff.pk) == [confirmed.pk]
    assert shown(web, partner=partner.pk) == [partners.pk]
    assert shown(web, project=other_project.pk) == [partners.pk]
    assert shown(web, consultant=receiver.pk) == [old.pk]
    assert shown(web, customer=old.customer_id) == [old.pk]


def test_a_bad_filter_shows_its_error_and_no_rows(web, office, project, m1):
    log(office, project, by=m1.staff)
    response = web.get(HISTORY_URL, {"date_from": "not a day", "status": "lost"})
    errors = response.context["listing"].filterset.errors
    assert {"date_from", "status"} <= set(errors)
    assert shown(web, date_from="not a day") == []


def test_the_history_sorts_by_a_column_and_pages(web, office, project, m1):
    for name in ("丙", "甲", "乙"):
        log(office, project, by=m1.staff, name=name)
    response = web.get(HISTORY_URL, {"sort": "customer_name"})
    names = [row.record.customer_name for row in response.context["listing"].table.paginated_rows]
    assert names == sorted(names)
    for _ in range(25):
        log(office, project, by=m1.staff)
    paged = web.get(HISTORY_URL, {"page": 2})
    assert len(paged.context["listing"].table.paginated_rows) == 3
    assert 'data-testid="pager"' in paged.content.decode()


def test_the_export_is_the_filtered_rows_as_a_real_workbook(web, office, project, m1):
    partner = PartnerFactory(name="链家")
    log(office, project, by=m1.staff, name="王先生", when=at("2026-10-02", 15))
    log(office, project, by=partner, name="李女士", status=VisitStatus.CONFIRMED)
    response = web.get(HISTORY_URL, {"date_to": "2026-10-31", "export": "xlsx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    headers = list(rows[0])
    assert headers[:5] == ["Time", "Customer", "Mobile", "Status", "Project"]
    assert "Deals" not in headers and "" not in headers  # no checkbox or link columns
    assert len(rows) == 2
    cell = dict(zip(headers, rows[1], strict=True))
    assert cell["Time"] == "2026-10-02 15:00"  # Shanghai time, not UTC
    assert (cell["Customer"], cell["Status"], cell["Brought by"]) == (
        "王先生",
        "Pending",
        m1.staff.name,
    )
    assert cell["People"] == 1
    everything = list(
        load_workbook(BytesIO(web.get(HISTORY_URL, {"export": "xlsx"}).content)).active.values
    )
    assert {row[1] for row in everything[1:]} == {"王先生", "李女士"}


def test_the_history_query_count_is_constant(web, office, project, m1):
    partner = PartnerFactory()

    def add_rows(n):
        for i in range(n):
            log(office, project, by=partner if i % 2 else m1.staff, consultant=consultant())

    assert_constant_list_queries(web, HISTORY_URL, add_rows)
    assert_constant_list_queries(web, f"{HISTORY_URL}?q=139&status=pending", add_rows)


# --- bulk confirm ---------------------------------------------------------------------------


def test_bulk_confirm_confirms_the_checked_pending_visits_only(web, office, project, m1):
    first, second, left = (log(office, project, by=m1.staff) for _ in range(3))
    rejected = log(office, project, by=m1.staff)
    rejected.status = VisitStatus.REJECTED
    rejected.save()
    response = web.post(
        CONFIRM_URL,
        {"select": [first.pk, second.pk, rejected.pk, "999999", "x"], "query": "status=pending"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"{HISTORY_URL}?status=pending"
    assert "2 visits confirmed." in response.content.decode()
    status = dict(Visit.objects.values_list("pk", "status"))
    assert (status[first.pk], status[second.pk], status[left.pk], status[rejected.pk]) == (
        "confirmed",
        "confirmed",
        "pending",
        "rejected",
    )
    assert Visit.objects.get(pk=first.pk).is_valid  # validity follows, as through the API


def test_bulk_confirm_of_all_matching_stays_inside_the_filter(web, office, project, m1, m2):
    mine = [log(office, project, by=m1.staff) for _ in range(2)]
    others = log(office, project, by=m2.staff)
    web.post(CONFIRM_URL, {"all_matching": "1", "query": f"marketer={m1.staff.pk}"})
    assert set(Visit.objects.filter(status="confirmed").values_list("pk", flat=True)) == {
        v.pk for v in mine
    }
    others.refresh_from_db()
    assert others.status == VisitStatus.PENDING


@pytest.mark.parametrize("role", [Role.PARTNER, Role.MARKETER, Role.CONSULTANT, Role.SUPERVISOR])
def test_no_one_outside_the_office_confirms_or_reads_the_history(
    make_login, office, project, m1, role
):
    visit = log(office, project, by=m1.staff)
    browser = Client()
    kwargs = {"partner": PartnerFactory()} if role == Role.PARTNER else {}
    browser.force_login(make_login(role, **kwargs))
    assert browser.get(HISTORY_URL).status_code == 403
    assert browser.get(HISTORY_URL, {"export": "xlsx"}).status_code == 403
    assert browser.post(CONFIRM_URL, {"select": [visit.pk]}).status_code == 403
    detail = reverse("sales:visit-detail", args=[visit.pk])
    assert browser.get(detail).status_code == 403
    assert browser.post(detail, {"action": "confirm"}).status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING


# --- one visit ------------------------------------------------------------------------------


def test_a_visit_is_confirmed_from_its_page(web, office, project, m1):
    visit = log(office, project, by=m1.staff, when=timezone.now() - timedelta(days=1))
    url = reverse("sales:visit-detail", args=[visit.pk])
    page = web.get(url).content.decode()
    assert f"{reverse('sales:signing-add')}?visit={visit.pk}" in page
    response = web.post(url, {"action": "confirm"}, follow=True)
    assert "Visit of 李女士 confirmed." in response.content.decode()
    visit.refresh_from_db()
    assert (visit.status, visit.is_valid) == (VisitStatus.CONFIRMED, True)


def test_the_visit_page_links_to_its_customers_page(web, office, project, m1):
    visit = log(office, project, by=m1.staff)
    page = web.get(reverse("sales:visit-detail", args=[visit.pk])).content.decode()
    assert f'href="/sales/customers/{visit.customer_id}/" data-testid="visit-customer"' in page


def test_a_visit_is_rejected_with_its_reason(web, office, project, m1):
    visit = log(office, project, by=m1.staff, status=VisitStatus.CONFIRMED)
    url = reverse("sales:visit-detail", args=[visit.pk])
    web.post(url, {"action": "reject", "reason": "重复登记"})
    visit.refresh_from_db()
    assert (visit.status, visit.is_valid) == (VisitStatus.REJECTED, False)
    assert "重复登记" in visit.note


def test_the_rejection_reason_reads_in_words_not_as_the_stored_mark(web, office, project, m1):
    visit = log(office, project, by=m1.staff, note="客户带了孩子")
    web.post(
        reverse("sales:visit-detail", args=[visit.pk]), {"action": "reject", "reason": "同组重复"}
    )
    visit.refresh_from_db()
    assert (visit.note_text, visit.rejection_reason) == ("客户带了孩子", "同组重复")
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    history = web.get(HISTORY_URL, **zh)
    (row,) = history.context["listing"].table.paginated_rows
    assert row.get_cell("note") == "客户带了孩子 已驳回：同组重复"
    body = history.content.decode() + web.get(f"/sales/visits/{visit.pk}/", **zh).content.decode()
    assert "[rejected" not in body
    web.post(f"/sales/visits/{visit.pk}/", {"action": "correct", "group_size": 2, "note": "两人"})
    visit.refresh_from_db()
    assert (visit.group_size, visit.note_text, visit.rejection_reason) == (2, "两人", "同组重复")


def test_a_visit_is_corrected_through_visit_update(web, office, project, m1):
    visit = log(office, project, by=m1.staff)
    receiver = consultant(TeamFactory(project=project))
    url = reverse("sales:visit-detail", args=[visit.pk])
    response = web.post(
        url, {"action": "correct", "consultant": receiver.pk, "group_size": "3", "note": "二次"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.consultant_id, visit.group_size, visit.note) == (receiver.pk, 3, "二次")


@pytest.mark.parametrize("size", ["0", "51", "two"])
def test_a_bad_correction_is_a_field_error_and_changes_nothing(web, office, project, m1, size):
    visit = log(office, project, by=m1.staff)
    url = reverse("sales:visit-detail", args=[visit.pk])
    response = web.post(url, {"action": "correct", "group_size": size, "note": "x"})
    assert response.status_code == 200
    assert "group_size" in response.context["correct"].errors
    visit.refresh_from_db()
    assert (visit.group_size, visit.note) == (1, "")


def test_an_unknown_visit_is_404(web):
    assert web.get(reverse("sales:visit-detail", args=[999999])).status_code == 404


def test_the_visit_page_lists_the_customers_deals_in_constant_queries(
    web, office, project, m1, django_assert_max_num_queries
):
    from decimal import Decimal

    from sales.services.deals import mortgage_record, payment_record, signing_record

    visit = log(office, project, by=m1.staff, status=VisitStatus.CONFIRMED)

    def sign(unit):
        signing = signing_record(
            actor=office,
            project=project,
            customer_name=visit.customer_name,
            customer_phone=visit.customer_phone,
            unit=unit,
            property_type="high_rise",
            area=Decimal("90"),
            amount=Decimal("900000"),
            signed_on=local_today(),
        )
        for _ in range(2):
            payment_record(
                actor=office,
                signing=signing,
                kind="installment",
                amount=Decimal("1000"),
                paid_on=local_today(),
            )
        mortgage_record(
            actor=office,
            signing=signing,
            bank="工商银行",
            amount=Decimal("500000"),
            applied_on=local_today(),
        )

    url = reverse("sales:visit-detail", args=[visit.pk])
    assert_constant_list_queries(web, url, lambda n: [sign(f"{n}-{i}") for i in range(min(n, 4))])
    page = web.get(url).content.decode()
    assert page.count('data-testid="signing-row"') == 6
    assert "2,000.00" in page  # received so far, with separators


# --- a consultant's visits ------------------------------------------------------------------


def test_a_consultant_sees_their_groups_today_and_earlier_only(office, project, m1, make_login):
    me = make_login(Role.CONSULTANT, team=TeamFactory(project=project))
    staff = Staff.objects.get(user=me)
    someone_else = consultant(TeamFactory(project=project))
    today = log(office, project, by=m1.staff, consultant=staff, name="今天")
    earlier = log(office, project, by=m1.staff, consultant=staff, when=at("2026-10-02"))
    log(office, project, by=m1.staff, consultant=someone_else, name="别人的")
    browser = browser_for(me)
    response = browser.get(MINE_URL)
    assert [v.pk for v in response.context["upcoming"]] == [today.pk]
    listed = [row.record.pk for row in response.context["listing"].table.paginated_rows]
    assert listed == [earlier.pk]
    assert "别人的" not in response.content.decode()
    assert 'data-testid="nav-my-visits"' in response.content.decode()


def test_a_consultants_visits_query_count_is_constant(office, project, m1, make_login):
    me = make_login(Role.CONSULTANT, team=TeamFactory(project=project))
    staff = Staff.objects.get(user=me)
    browser = Client()
    browser.force_login(me)

    def add_rows(n):
        for i in range(n):
            when = timezone.now() - timedelta(days=i % 3, minutes=5)
            log(office, project, by=m1.staff, consultant=staff, when=when)

    assert_constant_list_queries(browser, MINE_URL, add_rows)


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MANAGER, Role.MARKETER, Role.PARTNER])
def test_only_consultants_have_my_visits(make_login, role):
    browser = Client()
    kwargs = {"partner": PartnerFactory()} if role == Role.PARTNER else {}
    browser.force_login(make_login(role, **kwargs))
    assert browser.get(MINE_URL).status_code == 403


def test_the_office_menu_has_the_history(web):
    html = web.get("/").content.decode()
    assert 'data-testid="nav-visit-history"' in html
    assert 'data-testid="nav-my-visits"' not in html

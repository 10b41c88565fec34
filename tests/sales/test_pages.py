"""The sales office's browser pages: today's entry, phone check, confirm/reject, daily report,
its xlsx export (page and API), the read-only admin and the navigation."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from common.periods import local_today
from common.roles import Role
from sales.choices import VisitStatus
from sales.models import Customer, Visit
from sales.services.customers import registration_create
from sales.services.deals import payment_record, signing_record
from tests.api_base import assert_constant_list_queries
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, consultant
from tests.helpers import at, log_visit

pytestmark = pytest.mark.django_db

TODAY_URL = "/sales/visits/today/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def entry(project, brought_by, **overrides) -> dict:
    """The entry form's POST: a marketer (Staff) or partner brought 王先生 now."""
    prefix = "p" if hasattr(brought_by, "credit_code") else "m"
    data = {
        "project": project.pk,
        "customer_name": "王先生",
        "phone": "138 1234 5678",
        "brought_by": f"{prefix}:{brought_by.pk}",
        "property_type": "high_rise",
        "consultant": "",
        "group_size": "2",
        "visited_at": "",
        "confirmed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MARKETER, Role.PARTNER, Role.CONSULTANT, Role.SUPERVISOR])
def test_entry_page_refuses_other_roles(client, make_login, project, role):
    client.force_login(make_login(role))
    assert client.get(TODAY_URL).status_code == 403
    assert client.post(TODAY_URL, {}).status_code == 403
    assert client.get("/sales/visits/check-phone/?phone=13812345678").status_code == 403


def test_entry_page_sends_anonymous_users_to_log_in(client):
    response = client.get(TODAY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MANAGER])
def test_office_roles_open_the_entry_page(client, make_login, project, role):
    client.force_login(make_login(role))
    assert client.get(TODAY_URL).status_code == 200


# --- the entry form -----------------------------------------------------------------------


def test_entry_form_is_phone_first_with_both_channels_in_one_select(web, project, m1):
    partner = PartnerFactory(name="链家")
    PartnerFactory(name="停用伙伴", status="suspended")
    advisor = consultant(team=m1.staff.team)
    body = web.get(TODAY_URL).content.decode()
    assert 'inputmode="tel"' in body
    assert 'hx-trigger="keyup changed delay:400ms, change"' in body
    assert 'hx-get="/sales/visits/check-phone/"' in body
    assert re.search(rf'<optgroup label="Marketers">.*value="m:{m1.staff.pk}"', body, re.S)
    assert re.search(rf'<optgroup label="Partners">.*value="p:{partner.pk}"', body, re.S)
    assert "停用伙伴" not in body
    assert f'value="{advisor.pk}"' in body
    # Only the project's property types (high-rise and garden houses, no villas).
    assert 'value="garden_house"' in body and 'value="villa"' not in body
    assert f'<option value="{project.pk}" selected>' in body
    assert '"X-CSRFToken":' in body
    assert re.search(r'<input type="checkbox" name="confirmed" role="switch"[^>]* checked', body)
    # No inline script (a CSP may come): only vendored files.
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []


def test_form_logs_a_confirmed_visit_and_lists_it(web, office, project, m1):
    response = web.post(TODAY_URL, entry(project, m1.staff))
    assert response.status_code == 302, response.content.decode()
    visit = Visit.objects.get()
    assert (visit.customer_phone, visit.status, visit.is_valid) == (
        "13812345678",
        "confirmed",
        True,
    )
    assert (visit.brought_marketer, visit.group_size, visit.logged_by) == (m1.staff, 2, office)
    assert abs(visit.visited_at - timezone.now()) < timedelta(minutes=1)
    page = web.get(TODAY_URL).content.decode()
    assert f'id="visit-{visit.pk}"' in page
    assert 'data-testid="badge-valid"' in page
    assert "Visit of 王先生 logged (valid)." in page


def test_unticked_confirmed_logs_a_pending_visit_brought_by_a_partner(web, project):
    partner = PartnerFactory()
    data = entry(project, partner, confirmed=None)
    assert web.post(TODAY_URL, data).status_code == 302
    visit = Visit.objects.get()
    assert (visit.status, visit.is_valid, visit.brought_partner) == ("pending", False, partner)


def test_bad_phone_shows_a_form_error_and_stores_nothing(web, project, m1):
    response = web.post(TODAY_URL, entry(project, m1.staff, phone="12345"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-phone"' in body
    assert "11-digit mainland mobile" in body
    assert 'aria-invalid="true"' in body
    assert Visit.objects.count() == 0
    assert Customer.objects.count() == 0


def test_service_errors_land_on_their_form_fields(web, project, m1):
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = web.post(TODAY_URL, entry(project, m1.staff, visited_at=tomorrow))
    assert response.status_code == 200
    assert 'data-testid="error-visited_at"' in response.content.decode()
    inactive = m1.staff
    inactive.is_active = False
    inactive.save()
    response = web.post(TODAY_URL, entry(project, inactive))
    assert 'data-testid="error-brought_by"' in response.content.decode()
    assert Visit.objects.count() == 0


def test_a_property_type_the_project_does_not_sell_is_refused(web, project, m1):
    response = web.post(TODAY_URL, entry(project, m1.staff, property_type="villa"))
    assert 'data-testid="error-property_type"' in response.content.decode()
    assert Visit.objects.count() == 0


def test_the_chosen_project_is_remembered(web, project, m1):
    other = ProjectFactory(name="ZZ 别墅区", has_villa=True)
    assert web.get(f"{TODAY_URL}?project={other.pk}").status_code == 200
    body = web.get(TODAY_URL).content.decode()
    assert f'<option value="{other.pk}" selected>' in body
    assert 'value="villa"' in body


def test_today_list_shows_only_today_at_the_project_newest_first(web, office, project, m1):
    early = log_visit(
        office, project, by=m1.staff, name="早", when=timezone.now() - timedelta(seconds=30)
    )
    late = log_visit(office, project, by=m1.staff, name="晚")
    log_visit(office, project, by=m1.staff, name="昨天", when=timezone.now() - timedelta(days=1))
    log_visit(office, ProjectFactory(), by=m1.staff, name="别的项目")
    body = web.get(TODAY_URL).content.decode()
    assert body.index(f'id="visit-{late.pk}"') < body.index(f'id="visit-{early.pk}"')
    assert "昨天" not in body and "别的项目" not in body


def test_today_list_queries_do_not_grow_with_rows(web, office, project, m1):
    advisor = consultant(team=m1.staff.team)
    partner = PartnerFactory()

    def add_rows(n: int) -> None:
        for i in range(n):
            by = partner if i % 2 else m1.staff
            status = VisitStatus.PENDING if i % 3 else VisitStatus.CONFIRMED
            log_visit(office, project, by=by, consultant=advisor, status=status)

    web.get(TODAY_URL)  # the first visit of the page remembers the project in the session
    assert_constant_list_queries(web, TODAY_URL, add_rows)


# --- check-phone partial ------------------------------------------------------------------


def check(web, project, phone: str) -> str:
    response = web.get("/sales/visits/check-phone/", {"project": project.pk, "phone": phone})
    assert response.status_code == 200
    return response.content.decode()


def test_check_phone_says_new_customer(web, project):
    body = check(web, project, "13812345678")
    assert 'data-state="new"' in body and "New customer" in body


def test_check_phone_says_nothing_while_typing_and_flags_a_bad_number(web, project):
    assert check(web, project, "138123").strip() == ""
    body = check(web, project, "23812345678")
    assert 'data-state="invalid"' in body


def test_check_phone_describes_a_known_customer(web, office, project, m1):
    registration_create(
        actor=m1,
        project=project,
        customer_name="李女士",
        customer_phone="13812345678",
        registered_at=timezone.now() - timedelta(days=45),
    )
    log_visit(
        office, project, by=m1.staff, phone="13812345678", when=timezone.now() - timedelta(days=40)
    )
    body = check(web, project, "138-1234-5678")
    assert 'data-state="known"' in body
    assert "Known customer 李女士: 1 visit, last on" in body
    assert "phone-repeat" not in body


def test_check_phone_shows_registration_protection(web, project, m1):
    registration = registration_create(
        actor=m1, project=project, customer_name="李女士", customer_phone="13812345678"
    )
    body = check(web, project, "13812345678")
    until = registration.protected_until.isoformat()
    assert f"Registered by {m1.staff.name}, protected until {until}." in body


def test_check_phone_warns_of_a_repeat_inside_the_window(web, office, project, m1):
    earlier = timezone.now() - timedelta(days=5)
    log_visit(office, project, by=m1.staff, phone="13812345678", when=earlier)
    body = check(web, project, "13812345678")
    assert 'data-state="repeat"' in body
    day = timezone.localtime(earlier).date().isoformat()
    assert f"Visited on {day} — a repeat inside 30 days will not count as valid" in body


def test_check_phone_warns_of_a_duplicate_today(web, office, project, m1):
    log_visit(office, project, by=m1.staff, phone="13812345678", status=VisitStatus.PENDING)
    body = check(web, project, "13812345678")
    assert 'data-testid="phone-duplicate"' in body


# --- confirm / reject (htmx) --------------------------------------------------------------


def test_confirm_swaps_the_row_with_the_valid_badge(web, office, project, m1):
    visit = log_visit(office, project, by=m1.staff, status=VisitStatus.PENDING)
    response = web.post(f"/sales/visits/{visit.pk}/confirm/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<article class="visit-row" id="visit-{visit.pk}"')
    assert 'data-testid="badge-valid"' in body and 'data-testid="confirm"' not in body
    visit.refresh_from_db()
    assert (visit.status, visit.is_valid) == ("confirmed", True)


def test_reject_with_a_reason_swaps_the_row(web, office, project, m1):
    visit = log_visit(office, project, by=m1.staff)
    response = web.post(
        f"/sales/visits/{visit.pk}/reject/", {"reason": "假到访"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="badge-rejected"' in response.content.decode()
    visit.refresh_from_db()
    assert (visit.status, visit.is_valid) == ("rejected", False)
    assert "假到访" in visit.note


def test_a_refused_transition_shows_the_reason_in_the_row(web, office, project, m1):
    visit = log_visit(office, project, by=m1.staff)
    web.post(f"/sales/visits/{visit.pk}/reject/", HTTP_HX_REQUEST="true")
    response = web.post(f"/sales/visits/{visit.pk}/confirm/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="row-error"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == "rejected"


def test_confirm_without_htmx_goes_back_to_the_page(web, office, project, m1):
    visit = log_visit(office, project, by=m1.staff, status=VisitStatus.PENDING)
    response = web.post(f"/sales/visits/{visit.pk}/confirm/")
    assert (response.status_code, response["Location"]) == (302, TODAY_URL)


def test_confirm_needs_the_csrf_token_the_page_puts_in_hx_headers(office, project, m1):
    visit = log_visit(office, project, by=m1.staff, status=VisitStatus.PENDING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(office)
    url = f"/sales/visits/{visit.pk}/confirm/"
    assert browser.post(url, HTTP_HX_REQUEST="true").status_code == 403
    page = browser.get(TODAY_URL).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = browser.post(url, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_marketer_cannot_confirm_through_the_page(client, make_login, office, project, m1):
    visit = log_visit(office, project, by=m1.staff, status=VisitStatus.PENDING)
    client.force_login(m1)
    assert client.post(f"/sales/visits/{visit.pk}/confirm/").status_code == 403
    visit.refresh_from_db()
    assert visit.status == "pending"


# --- daily report -------------------------------------------------------------------------


@pytest.fixture
def yesterday_activity(office, project, m1):
    """Yesterday at the project: 3 visits (2 valid, 1 repeat), 1 signing, 1 payment."""
    day = local_today() - timedelta(days=1)
    when = at(day.isoformat(), 11)
    log_visit(office, project, by=m1.staff, phone="13811110000", when=when, group_size=3)
    log_visit(office, project, by=m1.staff, phone="13811110001", when=when)
    log_visit(office, project, by=m1.staff, phone="13811110001", when=when + timedelta(hours=1))
    signing = signing_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone="13811110000",
        unit="3-1502",
        property_type="high_rise",
        area=Decimal("98.50"),
        amount=Decimal("1234567.89"),
        signed_on=day,
    )
    payment_record(
        actor=office, signing=signing, kind="down_payment", amount=Decimal("370000.50"), paid_on=day
    )
    return day


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MANAGER, Role.SUPERVISOR])
def test_daily_report_page_shows_the_day(
    client, make_login, project, sales_team, yesterday_activity, role
):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = make_login(role)
    if role == Role.SUPERVISOR:  # a supervisor reports on the projects of the teams they run
        sales_team.supervisor = user.staff
        sales_team.save(update_fields=["supervisor"])
    client.force_login(user)
    day = yesterday_activity.isoformat()
    response = client.get("/sales/daily-report/", {"project": project.pk, "date": day})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="daily-report"' in body
    assert "1,234,567.89" in body
    assert f"date={(yesterday_activity - timedelta(days=1)).isoformat()}" in body
    assert f"date={local_today().isoformat()}" in body  # the next day link


def test_daily_report_page_and_export_show_a_supervisor_only_their_teams_projects(
    client, make_login, project, sales_team, yesterday_activity
):
    supervisor = make_login(Role.SUPERVISOR)
    theirs = ProjectFactory(name="甲项目")
    TeamFactory(project=theirs, supervisor=supervisor.staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(supervisor)
    day = yesterday_activity.isoformat()
    for url in ("/sales/daily-report/", "/sales/daily-report/export/"):
        other = client.get(url, {"project": project.pk, "date": day})
        assert other.status_code == 400, url
        assert "1,234,567.89" not in other.content.decode()
        assert client.get(url, {"project": theirs.pk, "date": day}).status_code == 200, url
    opened = client.get("/sales/daily-report/")  # opens on a project of theirs
    assert opened.status_code == 200
    assert opened.context["project"] == theirs
    assert project.name not in opened.content.decode()


def test_daily_report_page_refuses_a_marketer(client, m1, project):
    client.force_login(m1)
    assert client.get("/sales/daily-report/").status_code == 403


def test_daily_report_page_rejects_a_future_date(web, project):
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = web.get("/sales/daily-report/", {"project": project.pk, "date": tomorrow})
    assert response.status_code == 400
    assert 'data-testid="error-date"' in response.content.decode()


def rows_by_label(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content)).active
    return {row[0].value: row for row in sheet.iter_rows(min_row=6) if row[0].value}


def test_daily_report_export_has_the_right_numbers(web, project, yesterday_activity):
    day = yesterday_activity.isoformat()
    response = web.get("/sales/daily-report/export/", {"project": project.pk, "date": day})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="daily-report-{project.code}-{day}.xlsx"'
    )
    rows = rows_by_label(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[5]] == ["指标", "数量", "金额 (元)", "面积 (㎡)"]
    assert rows["来访登记 (组)"][1].value == 3
    assert rows["有效来访 (组)"][1].value == 2
    assert rows["来访人数"][1].value == 5
    signed = rows["签约"]
    assert signed[1].value == 1 and isinstance(signed[1].value, int)
    assert Decimal(str(signed[2].value)) == Decimal("1234567.89")
    assert signed[2].number_format == "#,##0.00"
    assert Decimal(str(signed[3].value)) == Decimal("98.50")
    assert Decimal(str(rows["回款"][2].value)) == Decimal("370000.50")
    assert rows["认购"][1].value == 0 and rows["认购"][2].value == 0


def test_api_daily_report_export_returns_the_workbook(client_as, project, yesterday_activity):
    client = client_as(Role.SECRETARY)
    day = yesterday_activity.isoformat()
    url = f"/api/v1/daily-reports/export/?project={project.pk}&date={day}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="daily-report-{project.code}-{day}.xlsx"'
    )
    assert rows_by_label(response.content)["有效来访 (组)"][1].value == 2
    # Asking for the workbook by its media type works too.
    assert client.get(url, HTTP_ACCEPT=XLSX).status_code == 200
    # The JSON daily report still answers beside it.
    json_report = client.get(f"/api/v1/daily-reports/?project={project.pk}&date={day}")
    assert json_report.status_code == 200
    assert json_report.json()["visits"]["valid"] == 2


def test_api_daily_report_export_refuses_and_validates(client_as, project):
    assert (
        client_as(Role.MARKETER)
        .get(f"/api/v1/daily-reports/export/?project={project.pk}&date=2026-11-01")
        .status_code
        == 403
    )
    response = client_as(Role.MANAGER).get(f"/api/v1/daily-reports/export/?project={project.pk}")
    assert response.status_code == 400
    assert "date" in response.json()["errors"]


# --- admin and navigation -----------------------------------------------------------------


ADMIN_MODELS = (
    "customer",
    "registration",
    "visit",
    "subscription",
    "signing",
    "payment",
    "mortgage",
    "attributionoverride",
)


def test_sales_activity_admin_is_browsable_and_read_only(
    client, make_login, yesterday_activity, project
):
    client.force_login(make_login(Role.MANAGER))
    for model in ADMIN_MODELS:
        listing = client.get(f"/admin/sales/{model}/", {"q": "李"})
        assert listing.status_code == 200, model
        assert client.get(f"/admin/sales/{model}/add/").status_code == 403, model
    visit = Visit.objects.first()
    detail = client.get(f"/admin/sales/visit/{visit.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.post(f"/admin/sales/visit/{visit.pk}/delete/").status_code == 403


def test_nav_links_follow_the_role(client, make_login, project):
    client.force_login(make_login(Role.SECRETARY))
    body = client.get("/").content.decode()
    assert 'data-testid="nav-visits-today"' in body and 'data-testid="nav-import"' in body
    assert 'data-testid="nav-daily-report"' in body
    client.force_login(make_login(Role.SUPERVISOR))
    body = client.get("/").content.decode()
    assert 'data-testid="nav-daily-report"' in body
    assert 'data-testid="nav-visits-today"' not in body
    client.force_login(make_login(Role.MARKETER))
    body = client.get("/").content.decode()
    assert "nav-daily-report" not in body and "nav-import" not in body

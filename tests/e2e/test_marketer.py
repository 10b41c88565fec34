"""A marketer on a phone: lands on their day, registers a customer (报备) from the first
screen, finds it in 我的客户 with its protection countdown, and is refused (撞单) when a
colleague's protection runs — asserting what was stored."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from common.periods import local_today
from common.roles import Role
from sales.models import Registration, Staff
from sales.services.customers import registration_create
from tests.e2e.helpers import sign_in
from tests.factories.org import ProjectFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_marketer_registers_a_customer_on_a_phone_and_finds_its_countdown(
    live_server, phone_page, make_login
):
    project = ProjectFactory(name="金隅大成", code="jydc", protection_days=30)
    team = TeamFactory(project=project, name="一组")
    me = make_login(Role.MARKETER, team=team, username="xiaowang")
    colleague = make_login(Role.MARKETER, team=team, username="xiaoli")
    held = registration_create(
        actor=colleague, project=project, customer_name="钱先生", customer_phone="13812345678"
    )
    page = phone_page

    sign_in(page, live_server, "xiaowang", "/", lands_on="/marketer/")
    expect(page.get_by_test_id("ending-soon-count")).to_have_text("0")

    page.get_by_test_id("home-register").click()
    page.wait_for_url(f"{live_server.url}/marketer/register/")
    # The project is the marketer's own; the button sits on the first screen, thumb-sized.
    expect(page.locator("#id_project")).to_have_value(str(project.pk))
    submit = page.get_by_test_id("register-submit")
    box = submit.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 844
    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").fill("138 1234 1234")
    submit.click()

    registration = Registration.objects.get(customer_name="王先生")
    page.wait_for_url(f"{live_server.url}/marketer/customers/{registration.customer_id}/")
    until = local_today() + timedelta(days=29)
    expect(page.get_by_role("status")).to_contain_text(until.isoformat())
    expect(page.get_by_test_id("countdown")).to_have_attribute("data-days", "29")
    assert registration.marketer == Staff.objects.get(user=me)
    assert (registration.customer_phone, registration.protected_until) == ("13812341234", until)

    # 我的客户: found by its phone, with the countdown and the registration protection.
    page.get_by_test_id("to-customers").click()
    page.wait_for_url(f"{live_server.url}/marketer/customers/")
    if not page.locator("#id_q").is_visible():  # the filter folds on a phone once used
        page.locator("details.list-filter summary").click()
    page.locator("#id_q").fill("1234")
    page.get_by_test_id("list-filter-submit").click()
    rows = page.get_by_test_id("customer-row")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.get_by_test_id("customer-name")).to_have_text("王先生")
    expect(row.get_by_test_id("countdown")).to_have_attribute("data-days", "29")
    expect(row.get_by_test_id("protection")).to_contain_text(until.isoformat())
    expect(row.get_by_test_id("stage")).to_have_attribute("data-stage", "registered")
    expect(page.get_by_text("钱先生")).to_have_count(0)  # a colleague's customer is not mine
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The colleague's customer: refused on the form with the date their protection ends.
    page.goto(f"{live_server.url}/marketer/register/")
    page.locator("#id_customer_name").fill("钱先生")
    page.locator("#id_phone").fill("13812345678")
    page.get_by_test_id("register-submit").click()
    error = page.get_by_test_id("error-phone")
    expect(error).to_contain_text(held.protected_until.isoformat())
    expect(error).to_contain_text("撞单")
    assert page.locator("#id_phone").input_value() == "13812345678"
    assert Registration.objects.filter(marketer__user=me).count() == 1
    assert Registration.objects.count() == 2

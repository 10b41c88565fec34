from datetime import timedelta

import pytest
from playwright.sync_api import expect

from common.periods import local_date
from common.roles import Role
from sales.models import Customer, Visit
from tests.factories.org import ProjectFactory
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_a_walk_in_on_a_phone_and_opens_the_customer(
    live_server, phone_page, make_login
):
    project = ProjectFactory(name="金隅大成", code="jydc", walkin_protection_days=60)
    make_login(Role.SECRETARY, username="mishu")
    page = phone_page

    page.goto(f"{live_server.url}/sales/visits/today/")
    page.locator("input[name=username]").fill("mishu")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/sales/visits/today/")

    page.locator("#id_customer_name").fill("张伟")
    page.locator("#id_phone").press_sequentially("13811112222")
    expect(page.get_by_test_id("phone-check")).to_have_attribute("data-state", "new")
    expect(page.locator("#id_brought_by")).to_be_visible()
    page.locator("input[name=channel][value=walk_in]").check()
    expect(page.locator("#id_brought_by")).to_be_hidden()  # a walk-in names nobody
    page.get_by_test_id("log-visit").click()

    row = page.get_by_test_id("visit-row").filter(has_text="张伟")
    expect(row.get_by_test_id("badge-walk-in")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.get_by_test_id("customer-link").click()

    expect(page.get_by_test_id("customer-name")).to_have_text("张伟")
    expect(page.get_by_test_id("customer-owner")).to_have_attribute("data-owner-type", "walk_in")
    protection = page.get_by_test_id("customer-protection")
    expect(protection).to_have_attribute("data-kind", "walk_in")
    expect(page.get_by_test_id("timeline-event")).to_have_count(1)
    expect(page.get_by_test_id("timeline-event")).to_have_attribute("data-kind", "visit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    visit = Visit.objects.get()
    assert (visit.brought_marketer, visit.brought_partner, visit.marketer, visit.partner) == (
        None,
        None,
        None,
        None,
    )
    assert (visit.status, visit.is_valid) == ("confirmed", True)
    customer = Customer.objects.get()
    assert (customer.project, customer.name, customer.phone) == (project, "张伟", "13811112222")
    assert customer.owner_office is True
    assert customer.owner_locked_until == local_date(visit.visited_at) + timedelta(days=60)
    assert customer.owner_locked_until.isoformat() in protection.inner_text()
    assert customer.name_initials == "zw"

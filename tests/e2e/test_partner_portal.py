"""A partner on a phone: logs in, registers a customer and finds it in the list, masked."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from sales.models import Registration
from tests.e2e.helpers import sign_in
from tests.factories.org import PartnerFactory, ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_partner_registers_a_customer_on_a_phone_and_sees_it_masked(
    live_server, phone_page, make_login
):
    project = ProjectFactory(name="金隅大成", code="jydc")
    partner = PartnerFactory(name="甲方渠道")
    make_login(Role.PARTNER, partner=partner, username="jia")
    page = phone_page

    sign_in(page, live_server, "jia", "/partners/portal/")
    expect(page.get_by_test_id("month-activity")).to_be_visible()

    page.get_by_test_id("dashboard-register").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/customers/new/")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").fill("13812341234")
    submit = page.get_by_test_id("register-submit")
    assert submit.bounding_box()["height"] >= 44  # a thumb-sized tap target
    submit.click()

    page.wait_for_url(f"{live_server.url}/partners/portal/customers/")
    row = page.get_by_test_id("customer-row").filter(has_text="王先生")
    expect(row.get_by_test_id("customer-phone")).to_have_text("138****1234")
    expect(page.get_by_role("status")).to_contain_text("138****1234")
    html = page.content()
    assert "13812341234" not in html
    assert "1234 1234" not in html and "138 1234" not in html
    # Phone-first: nothing on the page is wider than the 390px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Registering the same customer again is refused on the form, with a clear reason.
    page.goto(f"{live_server.url}/partners/portal/customers/new/")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").fill("13812341234")
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("error-phone")).to_be_visible()
    assert "13812341234" in page.locator("#id_phone").input_value()
    assert Registration.objects.filter(partner=partner).count() == 1

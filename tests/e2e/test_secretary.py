import pytest
from playwright.sync_api import expect

from common.roles import Role
from sales.models import Visit
from tests.e2e.helpers import sign_in
from tests.factories.org import ProjectFactory, TeamFactory, marketer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_and_confirms_a_visit_on_a_phone(live_server, phone_page, make_login):
    project = ProjectFactory(name="金隅大成", code="jydc")
    brought_by = marketer(team=TeamFactory(project=project), name="张行销")
    make_login(Role.SECRETARY, username="mishu")
    page = phone_page

    sign_in(page, live_server, "mishu", "/sales/visits/today/")

    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").press_sequentially("13812345678")
    expect(page.get_by_test_id("phone-check")).to_have_attribute("data-state", "new")
    page.locator("#id_brought_by").select_option(f"m:{brought_by.pk}")
    page.locator("#id_confirmed").uncheck()
    submit = page.get_by_test_id("log-visit")
    assert submit.bounding_box()["height"] >= 44  # a thumb-sized tap target
    submit.click()

    row = page.get_by_test_id("visit-row").filter(has_text="王先生")
    expect(row.get_by_test_id("badge-pending")).to_be_visible()
    row.get_by_test_id("confirm").click()
    expect(row.get_by_test_id("badge-valid")).to_be_visible()
    expect(row.get_by_test_id("confirm")).to_have_count(0)

    # Phone-first: nothing on the page is wider than the 390px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit = Visit.objects.get()
    assert (visit.status, visit.is_valid, visit.brought_marketer_id) == (
        "confirmed",
        True,
        brought_by.pk,
    )

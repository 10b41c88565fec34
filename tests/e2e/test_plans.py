"""In the browser, on a phone: a manager reads a plan in words, edits it into a new version
from a later month, finds both versions in the history and runs a what-if (方案测算) of a
change over last month; no page is wider than the screen and the what-if writes nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from common.roles import Role
from incentives.models import IncentivePlan
from incentives.services import plan_create_default
from tests.e2e.helpers import fits_the_screen, shot, sign_in
from tests.factories.org import ProjectFactory, TeamFactory, marketer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_default_plan"),  # a plan of its own is the only one
]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_manager_edits_a_plan_into_a_new_version(live_server, request, make_login, size):
    page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    home = ProjectFactory(name="锦绣华庭")
    plan = plan_create_default(
        name="默认方案",
        effective_from=date(2026, 1, 1),
        projects=[home, ProjectFactory(name="协成")],
    )
    marketer(TeamFactory(project=home))
    make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", "/incentives/plans/")
    fits_the_screen(page)
    shot(page, f"{size}-list")

    page.get_by_test_id("open").first.click()
    expect(page.get_by_test_id("plan-rules")).to_contain_text("500 / 300 / 200")
    expect(page.get_by_test_id("plan-rules")).to_contain_text("1,000,000")
    fits_the_screen(page)
    shot(page, f"{size}-detail")

    page.get_by_test_id("edit").click()
    expect(page.get_by_test_id("plan-form")).to_be_visible()
    fits_the_screen(page)
    shot(page, f"{size}-edit")
    page.locator("input[name=effective_from]").fill("2027-01-01")
    page.locator("input[name=weekly_visit_prize_1]").fill("600")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("plan-rules")).to_contain_text("600 / 300 / 200")
    shot(page, f"{size}-saved")

    page.get_by_test_id("history").click()
    expect(page.get_by_test_id("version")).to_have_count(2)
    expect(page.get_by_test_id("change")).to_have_count(1)
    expect(page.get_by_test_id("change")).to_contain_text("600")
    fits_the_screen(page)
    shot(page, f"{size}-history")

    page.goto(f"{live_server.url}/incentives/plans/")
    page.get_by_test_id("open-simulate").click()
    page.locator("input[name=period]").fill("2026-11")
    page.locator("input[name=base_salary_regular]").fill("3000")
    page.get_by_test_id("simulate").click()
    expect(page.get_by_test_id("simulation")).to_be_visible()
    expect(page.get_by_test_id("person")).to_have_count(1)
    expect(page.get_by_test_id("simulated-total")).to_contain_text("3,000.00")
    fits_the_screen(page)
    shot(page, f"{size}-what-if")

    plan.refresh_from_db()
    assert plan.weekly_visit_prize_1 == 500
    assert IncentivePlan.objects.count() == 2

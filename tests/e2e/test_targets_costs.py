"""In the browser, at desktop and phone size: a manager sets a quarter's signing target for a
team, previews its split into months by weight, saves the months, then records a channel
cost and finds it in the list's total — what was stored is what the services store."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from common.roles import Role
from incentives.models import ChannelCost, Target
from tests.e2e.helpers import fits_the_screen, nav_click, shot, sign_in
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_manager_splits_a_quarter_target_and_records_a_cost(live_server, request, make_login, size):
    page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    project = ProjectFactory(name="锦绣华庭")
    team = TeamFactory(project=project, name="一组")
    partner = PartnerFactory(name="链家示例代理")
    manager = make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", "/incentives/targets/")
    fits_the_screen(page)
    shot(page, f"{size}-targets-empty")

    page.get_by_test_id("new-target").click()
    expect(page.locator("[data-subject-for=staff]")).to_be_hidden()  # the script shows one picker
    page.locator("select[name=subject_type]").select_option("team")
    expect(page.locator("[data-subject-for=team]")).to_be_visible()
    expect(page.locator("[data-subject-for=staff]")).to_be_hidden()
    page.locator("select[name=team]").select_option(str(team.pk))
    page.locator("select[name=metric]").select_option("signing_amount")
    page.locator("input[name=period]").fill("2026-q4")
    page.locator("input[name=value]").fill("-5")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-value")).to_be_visible()  # refused, on its field
    assert not Target.objects.exists()
    page.locator("input[name=value]").fill("12000000.01")
    fits_the_screen(page)
    shot(page, f"{size}-target-form")
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("split-form")).to_be_visible()
    expect(page.get_by_test_id("no-parts")).to_be_visible()
    page.locator("input[name=how][value=weights]").check()
    for name, weight in (("weight_1", "1"), ("weight_2", "1"), ("weight_3", "2")):
        page.locator(f"input[name={name}]").fill(weight)
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-row")).to_have_count(3)
    expect(page.get_by_test_id("preview-table")).to_contain_text("6,000,000.01")
    assert not Target.objects.filter(parent__isnull=False).exists()  # a preview stores nothing
    fits_the_screen(page)
    shot(page, f"{size}-split-preview")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("part-row")).to_have_count(3)
    expect(page.get_by_test_id("parts")).to_contain_text("3,000,000.00")
    fits_the_screen(page)
    shot(page, f"{size}-split-saved")

    quarter = Target.objects.get(parent__isnull=True)
    assert (quarter.subject_type, quarter.subject_id, quarter.period, quarter.value) == (
        "team",
        team.pk,
        "2026-Q4",
        Decimal("12000000.01"),
    )
    assert [(p.period, p.value) for p in quarter.parts.order_by("period")] == [
        ("2026-10", Decimal("3000000.00")),
        ("2026-11", Decimal("3000000.00")),
        ("2026-12", Decimal("6000000.01")),
    ]
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("target-row")).to_have_count(4)  # the quarter and its months
    fits_the_screen(page)
    shot(page, f"{size}-targets")

    nav_click(page, "nav-costs")
    page.get_by_test_id("new-cost").click()
    page.locator("select[name=category]").select_option("promotion")
    page.locator("input[name=period]").fill("2026-11")
    page.locator("input[name=amount]").fill("0")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-amount")).to_be_visible()
    assert not ChannelCost.objects.exists()
    page.locator("input[name=amount]").fill("38888.50")
    page.locator("select[name=project]").select_option(str(project.pk))
    page.locator("select[name=partner]").select_option(str(partner.pk))
    page.locator("input[name=note]").fill("暖场活动")
    fits_the_screen(page)
    shot(page, f"{size}-cost-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("cost-row")).to_have_count(1)
    expect(page.get_by_test_id("cost-total")).to_have_text("38,888.50")
    fits_the_screen(page)
    shot(page, f"{size}-costs")

    stored = ChannelCost.objects.get()
    assert (stored.category, stored.period, stored.amount, stored.note) == (
        "promotion",
        "2026-11",
        Decimal("38888.50"),
        "暖场活动",
    )
    assert (stored.project, stored.partner, stored.created_by) == (project, partner, manager)

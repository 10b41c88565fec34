"""In the browser: a manager plans a campaign from the menu, starts it, and — after the office
logs a visit from it and a cost is spent on it — reads its effect and the visits-per-day chart,
then closes it and finds the effect frozen. At desktop size (managers work at a desk)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.periods import local_today
from common.roles import Role
from incentives.services.costs import cost_record
from sales.models import Campaign, Staff
from tests.e2e.helpers import csp_violations, fits_the_screen, nav_click, shot, sign_in
from tests.factories.org import ProjectFactory, TeamFactory
from tests.helpers import log_visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_plans_a_campaign_and_reads_its_effect(live_server, page, make_login, office):
    project = ProjectFactory(name="锦绣华庭")
    marketer = Staff.objects.get(user=make_login(Role.MARKETER, team=TeamFactory(project=project)))
    make_login(Role.MANAGER, username="jingli")
    violations = csp_violations(page)
    sign_in(page, live_server, "jingli", "/dashboard/")
    nav_click(page, "nav-campaigns")
    page.get_by_test_id("new-campaign").click()
    today = local_today().isoformat()
    page.locator("input[name=name]").fill("双十一暖场")
    page.locator("select[name=kind]").select_option("event")
    page.get_by_label("锦绣华庭").check()
    page.locator("input[name=starts_on]").fill(today)
    page.locator("input[name=ends_on]").fill(today)
    page.locator("input[name=budget_amount]").fill("8000")
    page.locator("input[name=target_visits]").fill("20")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("campaign-status")).to_have_attribute("data-status", "planned")
    page.get_by_test_id("start-campaign").click()
    expect(page.get_by_test_id("campaign-status")).to_have_attribute("data-status", "running")

    campaign = Campaign.objects.get(name="双十一暖场")
    log_visit(office, project, by=marketer, when=timezone.now(), campaign=campaign)
    cost_record(
        actor=office,
        category="promotion",
        period=today[:7],
        amount=Decimal("1234.50"),
        project=project,
        campaign=campaign,
    )
    page.reload()
    effect = page.get_by_test_id("campaign-effect")
    expect(effect.locator("[data-figure=valid_visits]")).to_contain_text("1")
    expect(effect.locator("[data-figure=spend]")).to_contain_text("1,234.50")
    expect(effect.locator("[data-figure=cost_per_valid_visit]")).to_contain_text("1,234.50")
    expect(page.locator("html[data-campaign-chart-ready='1']")).to_have_count(1)
    expect(page.get_by_test_id("chart-campaign-days").locator("canvas")).to_have_count(1)
    fits_the_screen(page)
    shot(page, "campaign-detail")

    page.get_by_test_id("close-campaign").click()
    expect(page.get_by_test_id("confirm-warning")).to_be_visible()
    fits_the_screen(page)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("campaign-status")).to_have_attribute("data-status", "closed")
    expect(effect.locator("[data-figure=spend]")).to_contain_text("1,234.50")
    campaign.refresh_from_db()
    assert campaign.effect_snapshot["spend"] == "1234.50"
    assert violations == []

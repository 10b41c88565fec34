"""In the browser: the leaderboard's ECharts bar chart renders under the CSP and its table
matches the engine (the approvals page: tests/e2e/test_approvals.py)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from common.periods import local_today, parse_period
from common.roles import Role
from incentives.selectors import leaderboard
from incentives.services import period_compute, plan_create_default
from sales.models import Staff
from tests.e2e.helpers import sign_in
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    project = ProjectFactory(name="锦绣华庭")
    return plan_create_default(name="默认方案", effective_from=date(2026, 1, 1), projects=[project])


@pytest.fixture
def team(plan):
    return TeamFactory(project=plan.projects.get())


def test_leaderboard_chart_renders_and_table_matches_the_engine(
    live_server, page, console_errors, make_login, plan, team
):
    me = make_login(Role.MARKETER, team=team, username="xiaowang")
    mine = Staff.objects.get(user=me)
    leader = marketer(team, name="李冠军")
    valid_visits(leader, 26, date(2026, 10, 6))
    valid_visits(mine, 22, date(2026, 10, 13))
    valid_visits(marketer(team, name="赵"), 9, date(2026, 10, 20))
    signing(leader, "1500000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    engine = leaderboard(
        plan=plan, kind="monthly_visits", period=parse_period(OCT), today=local_today()
    )

    sign_in(
        page, live_server, "xiaowang", f"/incentives/leaderboards/?kind=monthly_visits&period={OCT}"
    )
    chart = page.get_by_test_id("leaderboard-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    canvas = chart.locator("canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    bars = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('leaderboard-chart'))"
        ".getOption().series[0].data.map(d => d.value)"
    )
    assert bars == [int(e["value"]) for e in engine["entries"]] == [26, 22, 9]

    table_rows = page.get_by_test_id("board-row")
    expect(table_rows).to_have_count(len(engine["entries"]))
    values = [int(v) for v in page.get_by_test_id("value").all_inner_texts()]
    prizes = [p.replace(",", "") for p in page.get_by_test_id("prize").all_inner_texts()]
    assert values == [int(e["value"]) for e in engine["entries"]]
    assert prizes == [f"{e['prize']:.2f}" for e in engine["entries"]]
    expect(page.get_by_test_id("board-state")).to_have_attribute("data-state", "frozen")
    expect(page.locator("tr.mine")).to_have_attribute("data-subject", str(mine.pk))

    page.get_by_test_id("tab-monthly_signings").click()
    expect(page.get_by_test_id("board-row").first).to_contain_text("李冠军")
    expect(page.get_by_test_id("leaderboard-chart")).to_have_attribute("data-rendered", "true")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_leaderboard_fits_a_phone(live_server, phone_page, make_login, plan, team):
    make_login(Role.MARKETER, team=team, username="phoneuser")
    for n in range(8):
        valid_visits(marketer(team, name=f"行销人员{n}号"), 10 + n, local_today())
    sign_in(phone_page, live_server, "phoneuser", "/incentives/leaderboards/?kind=monthly_visits")
    expect(phone_page.get_by_test_id("leaderboard-chart")).to_have_attribute(
        "data-rendered", "true"
    )
    expect(phone_page.get_by_test_id("board-state")).to_have_attribute("data-state", "live")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

"""The dashboard in a real browser: ECharts draws the figures its data tables show, under
the Content-Security-Policy, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import csp_violations, sign_in
from tests.portal.test_dashboard import World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHART_SERIES = """([id, series]) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const option = chart.getOption();
  const found = option.series.find((s) => s.id === series);
  return {data: found.data.map((v) => (typeof v === "object" ? v.value : v)), option: {
    xAxis: ((option.xAxis || [])[0] || {}).data || null,
    yAxis: ((option.yAxis || [])[0] || {}).data || null,
    markLine: found.markLine ? found.markLine.data : null}};
}"""

TABLE_COLUMN = """([testid, column]) => Array.from(
  document.querySelectorAll(`[data-testid="${testid}"] tbody tr`),
  (tr) => tr.children[column].textContent.trim())"""


def _log_in(page, live_server, username: str, url: str) -> list[str]:
    """Sign in through the login form, open `url`, and collect CSP violations on the way."""
    violations = csp_violations(page)
    sign_in(page, live_server, username, url)
    expect(page.locator("html[data-dashboard-ready]")).to_have_count(1)
    return violations


def test_charts_draw_the_numbers_of_their_tables(live_server, page, make_login):
    World(make_login)
    violations = _log_in(page, live_server, "boss", "/dashboard/?month=2026-10")
    expect(page.get_by_test_id("dashboard-month")).to_have_text("2026-10")

    days = page.evaluate(CHART_SERIES, ["chart-days", "valid_visits"])
    table = page.evaluate(TABLE_COLUMN, ["table-days", 1])
    assert days["data"] == [int(cell) for cell in table]
    assert days["data"][4] == 5 and days["data"][19] == 5 and days["data"][30] == 1
    assert days["option"]["xAxis"][0] == "10-01" and len(days["option"]["xAxis"]) == 31
    signings = page.evaluate(CHART_SERIES, ["chart-days", "signings"])
    assert signings["data"][19] == 2
    amounts = page.evaluate(CHART_SERIES, ["chart-days", "signing_amount"])
    assert amounts["data"][19] == 2500000

    funnel = page.evaluate(CHART_SERIES, ["chart-funnel", "funnel"])
    assert funnel["data"] == [int(c) for c in page.evaluate(TABLE_COLUMN, ["table-funnel", 1])]
    assert funnel["data"] == [2, 12, 1, 3, 1]

    attainment = page.evaluate(CHART_SERIES, ["chart-attainment", "attainment"])
    assert attainment["data"] == [50, 200]
    assert attainment["option"]["markLine"][0]["xAxis"] == 100
    shown = page.evaluate(TABLE_COLUMN, ["table-team-attainment", 4])
    assert shown == ["50.0%", "200.0%"]
    assert violations == []

    page.get_by_test_id("previous-month").click()
    expect(page.get_by_test_id("dashboard-month")).to_have_text("2026-09")


def test_supervisor_dashboard_fits_a_phone(live_server, phone_page, make_login):
    World(make_login)
    _log_in(phone_page, live_server, "sup_a", "/dashboard/?month=2026-10")
    top = phone_page.evaluate(TABLE_COLUMN, ["marketers-top-amount", 1])
    assert top == ["甲一", "甲二"]
    days = phone_page.evaluate(CHART_SERIES, ["chart-days", "valid_visits"])
    assert sum(days["data"]) == 8  # team A's valid visits only
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

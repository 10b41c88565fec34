"""In a real browser, under the enforced Content-Security-Policy: the Swagger UI renders the
API, the admin signs in, and the language switch (once an inline onchange) still works."""

import pytest

from channelhub.schema import AREAS
from common.roles import Role
from tests.e2e.helpers import csp_violations
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_api_under_the_policy(live_server, page):
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    tags = page.locator(".opblock-tag")
    assert tags.count() == len(AREAS)  # one collapsed section per area
    listed = 0
    for index in range(len(AREAS)):  # each area opens with its operations, then closes
        tags.nth(index).click()
        page.wait_for_selector(".opblock")
        listed += page.locator(".opblock").count()
        tags.nth(index).click()
        page.wait_for_selector(".opblock", state="detached")
    assert listed > 100  # every operation is listed
    assert "ChannelHub API" in page.locator(".info .title").inner_text()
    # Only the sidecar template's own <style> block (cosmetic) may be refused; never a script.
    assert not [v for v in violations if "script" in v.lower()], violations


def test_admin_signs_in_under_the_policy(live_server, page, make_login):
    user = make_login(Role.MANAGER)
    user.is_staff = user.is_superuser = True
    user.save()
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert page.url.endswith("/admin/")
    page.goto(f"{live_server.url}/admin/sales/project/add/")
    page.wait_for_selector("#project_form")
    assert violations == []


def test_language_switch_submits_without_inline_handlers(live_server, page):
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    page.select_option("select[name=language]", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert violations == []

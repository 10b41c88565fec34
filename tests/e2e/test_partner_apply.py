"""The public partner application, filled in on a phone."""

import pytest
from django.core.cache import cache

from partners.models import PartnerApplication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_company_applies_from_a_phone(live_server, phone_page, settings):
    settings.PARTNER_APPLICATION_MIN_FILL_SECONDS = 0  # the live server reads it per request
    cache.clear()  # no rate-limit counters left from other tests
    page = phone_page
    page.goto(f"{live_server.url}/partners/apply/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("input[name=company_name]").fill("津门置业代理有限公司")
    page.locator("select[name=kind]").select_option("agency")
    page.locator("input[name=regions]").fill("天津 河西区")
    page.locator("input[name=contact_name]").fill("李经理")
    page.locator("input[name=contact_phone]").fill("138 1234 1234")
    page.locator("input[name=contact_email]").fill("li@jinmen.example")
    page.locator("input[name=credit_code]").fill("91350100m000100y43")
    page.locator("textarea[name=capability]").fill("二十人团队，年销售 300 套。")
    page.locator("input[name=agree]").check()
    page.get_by_test_id("apply-submit").click()
    page.wait_for_url(f"{live_server.url}/partners/apply/done/")
    assert page.get_by_test_id("apply-done").is_visible()
    application = PartnerApplication.objects.get()
    assert (application.credit_code, application.contact_phone, application.language) == (
        "91350100M000100Y43",
        "13812341234",
        "zh-hans",
    )
    cache.clear()

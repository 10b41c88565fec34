"""Appeals in the browser: a partner on a phone is refused a registration (撞单), follows the
offer to appeal, attaches a screenshot and sees the appeal listed; a manager opens it from the
queue, reads both sides and upholds it; the partner then reads the decision."""

import pytest
from playwright.sync_api import expect

from sales.models import Appeal
from tests.e2e.helpers import fits_the_screen, nav_click, shot, sign_in
from tests.sales.appeal_world import HOLDER_PHONE, PNG_BYTES, appeal_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_partner_appeals_a_refused_registration_on_a_phone_and_a_manager_upholds_it(
    live_server, phone_page, page
):
    world = appeal_world()
    partner = phone_page
    sign_in(partner, live_server, world.partner_user.username, "/partners/portal/customers/new/")
    partner.locator("#id_project").select_option(str(world.project.pk))
    partner.locator("#id_customer_name").fill("赵客户")
    partner.locator("#id_phone").fill(HOLDER_PHONE)
    partner.get_by_test_id("register-submit").click()
    expect(partner.get_by_test_id("error-phone")).to_be_visible()
    assert "王行销" not in partner.content()

    partner.get_by_test_id("appeal-offer-link").click()
    partner.wait_for_url("**/partners/portal/appeals/new/**")
    assert partner.locator("#id_customer_phone").input_value() == HOLDER_PHONE
    partner.locator("#id_reason").fill("三天前我们带客户看过样板间，有微信聊天记录")
    partner.locator("#id_evidence").set_input_files(
        files=[{"name": "chat.png", "mimeType": "image/png", "buffer": PNG_BYTES}]
    )
    fits_the_screen(partner)
    submit = partner.get_by_test_id("appeal-submit")
    assert submit.bounding_box()["height"] >= 44
    submit.click()
    appeal = Appeal.objects.get()
    partner.wait_for_url(f"{live_server.url}/partners/portal/appeals/{appeal.pk}/")
    expect(partner.get_by_test_id("appeal-status")).to_have_attribute("data-status", "open")
    expect(partner.get_by_test_id("evidence-link")).to_have_text("chat.png")
    nav_click(partner, "nav-portal-appeals")
    row = partner.get_by_test_id("appeal-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("139****1111")
    fits_the_screen(partner)
    shot(partner, "appeal-partner-list")

    sign_in(page, live_server, world.manager.username, "/sales/appeals/")
    page.get_by_test_id("appeal-row").get_by_test_id("appeal-link").click()
    page.wait_for_url(f"{live_server.url}/sales/appeals/{appeal.pk}/")
    expect(page.get_by_test_id("appeal-appellant")).to_contain_text("甲方渠道")
    expect(page.get_by_test_id("side-owner")).to_contain_text("王行销")
    expect(page.get_by_test_id("evidence-link")).to_have_text("chat.png")
    page.locator("#id_note").fill("带看记录属实")
    page.get_by_test_id("uphold-submit").click()
    page.wait_for_url(f"{live_server.url}/sales/appeals/{appeal.pk}/")
    expect(page.get_by_test_id("appeal-status")).to_have_attribute("data-status", "upheld")
    expect(page.get_by_test_id("decision")).to_have_count(0)
    expect(page.get_by_test_id("side-owner")).to_contain_text("王行销")  # whom it was taken from
    shot(page, "appeal-decided")
    world.customer.refresh_from_db()
    assert world.customer.owner_partner == world.partner

    partner.get_by_test_id("appeal-link").click()
    expect(partner.get_by_test_id("appeal-status")).to_have_attribute("data-status", "upheld")
    expect(partner.get_by_test_id("appeal-note")).to_have_text("带看记录属实")
    assert "王行销" not in partner.content()
    fits_the_screen(partner)

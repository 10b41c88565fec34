import pytest

from common.roles import Role
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_logs_in_through_the_browser_and_sees_home(live_server, page, make_login):
    manager = make_login(Role.MANAGER, username="boss", name="王经理")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("User name").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("home-title").inner_text() == "Welcome to ChannelHub"
    assert page.get_by_test_id("whoami").inner_text() == manager.staff.name == "王经理"


def test_wrong_password_shows_an_error_in_chinese(live_server, phone_page, make_login):
    make_login(Role.SECRETARY, username="mishu")
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.locator("input[name=username]").fill("mishu")
    phone_page.locator("input[name=password]").fill("wrong-password")
    phone_page.locator("button[type=submit]").click()
    assert phone_page.get_by_role("alert").inner_text() == "用户名和密码不匹配，请重试。"

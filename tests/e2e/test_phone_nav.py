"""On a phone the header is one row: the brand, the role's main action and a menu button; the
other pages fold into the menu (portal/navigation.py). Each page's primary button sits on the
first screen (390×844)."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from sales.models import Registration, Visit
from tests.e2e.helpers import sign_in
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREEN_HEIGHT = 844


def _assert_header_is_one_row(page, main_testid: str) -> None:
    header = page.get_by_test_id("site-header").bounding_box()
    main = page.get_by_test_id(main_testid).bounding_box()
    button = page.get_by_test_id("nav-menu-button").bounding_box()
    brand = page.locator(".brand").bounding_box()
    # One row: brand, main action and menu button side by side, the header hardly taller.
    for box in (main, brand):
        assert abs((box["y"] + box["height"] / 2) - (button["y"] + button["height"] / 2)) < 8
    assert header["height"] < 2 * button["height"] + 16, header
    # The main action comes first: before every other link of the menu, left of its button.
    first = page.locator("header nav a[data-testid^='nav-']").first
    assert first.get_attribute("data-testid") == main_testid
    assert main["x"] + main["width"] <= button["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_secretary_opens_the_menu_and_her_main_action_is_first(live_server, phone_page, make_login):
    project = ProjectFactory(name="金隅大成", code="jydc")
    brought_by = marketer(team=TeamFactory(project=project), name="张行销")
    secretary = make_login(Role.SECRETARY, username="mishu", name="李秘书")
    page = phone_page
    sign_in(page, live_server, "mishu", "/")

    _assert_header_is_one_row(page, "nav-visits-today")
    menu_link = page.get_by_test_id("nav-daily-report")
    expect(menu_link).to_be_hidden()
    page.get_by_test_id("nav-menu-button").click()
    expect(menu_link).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_have_text(secretary.staff.name)  # not "mishu"
    menu_link.click()
    page.wait_for_url(f"{live_server.url}/sales/daily-report/**")
    expect(page.get_by_test_id("nav-daily-report")).to_be_hidden()  # folded again

    page.get_by_test_id("nav-visits-today").click()
    page.wait_for_url(f"{live_server.url}/sales/visits/today/")
    submit = page.get_by_test_id("log-visit")
    box = submit.bounding_box()
    assert box["y"] + box["height"] <= SCREEN_HEIGHT, box  # on the first screen
    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").press_sequentially("13812345678")
    page.locator("#id_brought_by").select_option(f"m:{brought_by.pk}")
    submit.click()
    expect(page.get_by_test_id("visit-row").filter(has_text="王先生")).to_be_visible()
    visit = Visit.objects.get()
    assert (visit.customer_name, visit.brought_marketer_id) == ("王先生", brought_by.pk)


def test_partner_registers_from_the_main_action_on_the_first_screen(
    live_server, phone_page, make_login
):
    project = ProjectFactory(name="金隅大成", code="jydc")
    partner = PartnerFactory(name="甲方渠道")
    make_login(Role.PARTNER, partner=partner, username="jia")
    page = phone_page
    sign_in(page, live_server, "jia", "/partners/portal/")

    _assert_header_is_one_row(page, "nav-portal-register")
    page.get_by_test_id("nav-portal-register").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/customers/new/")
    expect(page.locator("#id_project option").first).to_have_text("请选择")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_customer_name").fill("王先生")
    page.locator("#id_phone").fill("13812341234")
    submit = page.get_by_test_id("register-submit")
    box = submit.bounding_box()
    assert box["y"] + box["height"] <= SCREEN_HEIGHT, box
    submit.click()
    page.wait_for_url(f"{live_server.url}/partners/portal/customers/")
    assert Registration.objects.get(partner=partner).customer_name == "王先生"


@pytest.mark.parametrize(
    ("role", "main"),
    [
        (Role.MANAGER, "nav-dashboard"),
        (Role.MARKETER, "nav-marketer-register"),  # home is their day, /marketer/
        (Role.CONSULTANT, "nav-my-visits"),
    ],
)
def test_every_roles_header_is_one_row_with_its_main_action(
    live_server, phone_page, make_login, role, main
):
    make_login(role, username="who")
    landing = "/marketer/" if role == Role.MARKETER else "/"
    sign_in(phone_page, live_server, "who", "/", lands_on=landing)
    _assert_header_is_one_row(phone_page, main)


def test_on_a_desktop_the_whole_menu_is_in_the_header(live_server, page, make_login):
    make_login(Role.MANAGER, username="boss")
    sign_in(page, live_server, "boss", "/")
    expect(page.get_by_test_id("nav-menu-button")).to_be_hidden()
    for testid in ("nav-dashboard", "nav-approvals", "nav-daily-report", "whoami"):
        expect(page.get_by_test_id(testid)).to_be_visible()

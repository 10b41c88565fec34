"""A partner's user on a phone: the bell beside the menu button counts the unread messages,
the inbox fits the screen, opening one goes to its page and the count goes down."""

import pytest
from playwright.sync_api import expect

from common.models import Notification
from common.notifications.services import notify
from common.roles import Role
from tests.e2e.helpers import fits_the_screen, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_partner_reads_a_notification_on_a_phone(live_server, phone_page, make_login):
    user = make_login(Role.PARTNER, username="qudao")
    for n, customer in enumerate(("张伟", "王芳")):
        notify(
            users=[user],
            kind="customer_signed",
            facts={
                "customer": customer,
                "project": "协成",
                "unit": f"3-150{n}",
                "on": "2026-12-01",
            },
            key=f"e2e:{n}",
            link="/partners/portal/customers/",
        )
    page = phone_page
    sign_in(page, live_server, "qudao", "/partners/portal/customers/")

    bell = page.get_by_test_id("bell")
    expect(page.get_by_test_id("bell-count")).to_have_text("2")
    bell_box, button_box = (
        bell.bounding_box(),
        page.get_by_test_id("nav-menu-button").bounding_box(),
    )
    assert abs(bell_box["y"] - button_box["y"]) < 12  # on the header's one row
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    rows = page.get_by_test_id("notification-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张伟")).to_contain_text("签约")  # zh-hans, the default
    fits_the_screen(page)
    shot(page, "notifications-phone")

    rows.filter(has_text="张伟").get_by_test_id("notification-open").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/customers/")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1

"""A secretary on her phone finds yesterday's pending visit in the history, confirms it and
records the customer's 认购 and then the 签约 from it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from common.periods import local_today
from common.roles import Role
from sales.models import Signing, Subscription, Visit
from sales.services.visits import visit_record
from tests.e2e.helpers import sign_in
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13812345678"


def test_secretary_confirms_yesterdays_visit_and_records_its_deals_on_a_phone(
    live_server, phone_page, make_login
):
    project = ProjectFactory(name="金隅大成", code="jydc")
    brought_by = marketer(team=TeamFactory(project=project), name="张行销")
    secretary = make_login(Role.SECRETARY, username="mishu")
    yesterday = local_today() - timedelta(days=1)
    visit = visit_record(
        actor=secretary,
        project=project,
        customer_name="王先生",
        customer_phone=PHONE,
        visited_at=at(yesterday.isoformat(), 15),
        property_type="high_rise",
        marketer=brought_by,
    )
    for n in range(3):  # other customers' visits in the list
        visit_record(
            actor=secretary,
            project=project,
            customer_name=f"客户{n}",
            customer_phone=f"1390000000{n}",
            visited_at=at(yesterday.isoformat(), 10 + n),
            property_type="high_rise",
            marketer=brought_by,
        )
    page = phone_page

    sign_in(page, live_server, "mishu", "/sales/visits/history/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The export link keeps the content's right margin, as the heading keeps the left one.
    heading = page.locator("main h1").first.bounding_box()
    export = page.get_by_test_id("list-export").bounding_box()
    assert export["x"] + export["width"] <= 390 - heading["x"] + 0.5, (export, heading)

    # Find her by 前三后四, as the customer says it on the phone.
    page.locator("#id_q").fill("138****5678")
    page.locator("#id_status").select_option("pending")
    page.get_by_test_id("list-filter-submit").click()
    rows = page.get_by_test_id("history-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("王先生")
    rows.first.get_by_test_id("open-visit").click()

    expect(page.get_by_test_id("visit-title")).to_have_text("王先生")
    expect(page.get_by_test_id("badge-pending")).to_be_visible()
    confirm = page.get_by_test_id("confirm")
    assert confirm.bounding_box()["height"] >= 44  # a thumb-sized tap target
    confirm.click()
    expect(page.get_by_test_id("badge-valid")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The deal buttons sit inside the content margin, under the title; the customer is a tap away.
    title = page.get_by_test_id("visit-title").bounding_box()
    first_deal = page.get_by_test_id("link-subscription").bounding_box()
    assert first_deal["x"] >= title["x"] - 0.5, (first_deal, title)
    customer_link = page.get_by_test_id("visit-customer")
    assert customer_link.get_attribute("href") == f"/sales/customers/{visit.customer_id}/"

    customer_link.click()  # the customer's page, and back to the visit
    expect(page.get_by_test_id("customer-name")).to_have_text("王先生")
    page.go_back()

    # 认购 from the visit: project, customer and channel come prefilled.
    page.get_by_test_id("link-subscription").click()
    expect(page.locator("#id_customer_phone")).to_have_value(PHONE)
    expect(page.locator("#id_credit")).to_have_value(f"m:{brought_by.pk}")
    page.locator("#id_unit").fill("3-1502")
    page.locator("#id_amount").fill("50,000")
    save = page.get_by_test_id("deal-save")
    assert save.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save.click()
    expect(page.get_by_test_id("visit-title")).to_be_visible()  # back on the visit
    expect(page.locator("article.message.success")).to_contain_text("3-1502")
    expect(page.get_by_test_id("subscription-row")).to_contain_text("50,000.00")

    # 签约 from the same visit converts the 认购: its unit and type come along.
    page.get_by_test_id("link-signing").click()
    expect(page.locator("#id_unit")).to_have_value("3-1502")
    page.locator("#id_area").fill("98.5")
    page.locator("#id_amount").fill("1,280,000")
    page.get_by_test_id("deal-save").click()
    expect(page.get_by_test_id("signing-row")).to_contain_text("1,280,000.00")

    visit.refresh_from_db()
    assert (visit.status, visit.is_valid) == ("confirmed", True)
    subscription = Subscription.objects.get()
    assert (subscription.unit, subscription.amount, subscription.marketer_id) == (
        "3-1502",
        Decimal("50000.00"),
        brought_by.pk,
    )
    assert subscription.status == "signed"
    signing = Signing.objects.get()
    assert (signing.unit, signing.area, signing.amount, signing.signed_on) == (
        "3-1502",
        Decimal("98.50"),
        Decimal("1280000.00"),
        local_today(),
    )
    assert (signing.subscription_id, signing.customer_id, signing.marketer_id) == (
        subscription.pk,
        visit.customer_id,
        brought_by.pk,
    )
    assert Visit.objects.filter(status="pending").count() == 3

"""In the browser, at desktop size: a manager finds a customer in the office's list, opens its
page, extends the registration's protection once with a reason — a second extension, sent from
a page opened before the first, is refused with a message a person can read — and then
attributes the customer to another marketer. What was stored is checked at each step: the
extension and its audit entry, the registration's new end, the override's before and after and
the customer's new owner."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from sales.choices import RegistrationStatus
from sales.models import AttributionOverride, Customer, ProtectionExtension, Registration, Staff
from sales.services.customers import registration_create
from tests.e2e.helpers import nav_click, sign_in
from tests.factories.org import ProjectFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_extends_a_protection_once_and_overrides_the_attribution(
    live_server, page, make_login
):
    project = ProjectFactory(name="锦绣华庭", code="jxht", protection_days=30)
    team = TeamFactory(project=project, name="一组")
    registrant = make_login(Role.MARKETER, team=team, username="xiaowang", name="王小明")
    taker = Staff.objects.get(
        user=make_login(Role.MARKETER, team=team, username="xiaozhao", name="赵小刚")
    )
    registration = registration_create(
        actor=registrant,
        project=project,
        customer_name="陈先生",
        customer_phone="13812345678",
        registered_at=timezone.now() - timedelta(days=2),
    )
    ends = registration.protected_until
    manager = make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", "/sales/customers/")
    page.locator("input[name=q]").fill("cxs")  # the pinyin initials of 陈先生
    page.locator("input[name=q]").press("Enter")
    expect(page.get_by_test_id("customer-row")).to_have_count(1)
    page.get_by_test_id("customer-link").click()
    customer_url = f"{live_server.url}/sales/customers/{registration.customer_id}/"
    page.wait_for_url(customer_url)
    expect(page.get_by_test_id("customer-name")).to_have_text("陈先生")
    expect(page.get_by_test_id("customer-protection")).to_contain_text(ends.isoformat())

    # A second manager's tab (or a page left open) shows the same extension form.
    stale = page.context.new_page()
    stale.goto(customer_url)

    # No reason: refused on its field, nothing stored.
    page.get_by_test_id("extend").locator("summary").click()
    expect(page.get_by_test_id("extend")).to_contain_text("王小明")
    page.locator("input[name=extend-days]").fill("15")
    page.get_by_test_id("extend-submit").click()
    expect(page.get_by_test_id("extend-form").get_by_test_id("error-reason")).to_be_visible()
    assert not ProtectionExtension.objects.exists()
    registration.refresh_from_db()
    assert registration.protected_until == ends

    page.locator("textarea[name=extend-reason]").fill("客户出差，下月回津看房")
    page.get_by_test_id("extend-submit").click()
    page.wait_for_url(customer_url)
    new_end = ends + timedelta(days=15)
    expect(page.locator("article.message")).to_contain_text(new_end.isoformat())
    expect(page.get_by_test_id("customer-protection")).to_contain_text(new_end.isoformat())
    expect(page.get_by_test_id("nothing-to-extend")).to_be_attached()  # once only
    expect(page.get_by_test_id("extend-form")).to_have_count(0)
    extension = ProtectionExtension.objects.get()
    assert (extension.registration_id, extension.days, extension.reason, extension.actor) == (
        registration.pk,
        15,
        "客户出差，下月回津看房",
        manager,
    )
    assert (extension.protected_until_before, extension.protected_until_after) == (ends, new_end)
    registration.refresh_from_db()
    assert registration.protected_until == new_end
    audit = AuditEntry.objects.get(action="registration.protection_extended")
    assert (audit.actor, audit.object_id, audit.summary) == (
        manager,
        registration.pk,
        "客户出差，下月回津看房",
    )
    expect(
        page.locator('[data-testid=timeline-event][data-kind="protection_extension"]')
    ).to_have_count(1)

    # The second extension, from the page opened before the first: refused, readably.
    stale.get_by_test_id("extend").locator("summary").click()
    stale.locator("input[name=extend-days]").fill("30")
    stale.locator("textarea[name=extend-reason]").fill("再延一次")
    stale.get_by_test_id("extend-submit").click()
    error = stale.get_by_test_id("extend-errors")
    expect(error).to_be_visible()
    expect(error).to_contain_text("already extended on")
    expect(error).to_contain_text("it can be extended once")
    expect(stale.get_by_test_id("nothing-to-extend")).to_be_visible()
    assert ProtectionExtension.objects.count() == 1
    registration.refresh_from_db()
    assert registration.protected_until == new_end
    stale.close()

    # The attribution goes to another marketer, with a reason and a deal protection end. Until
    # then the registrant owns the customer while its (extended) protection runs.
    expect(page.get_by_test_id("customer-owner")).to_have_attribute("data-owner-type", "marketer")
    expect(page.get_by_test_id("customer-owner")).to_contain_text("王小明")
    page.get_by_test_id("override").locator("summary").click()
    page.locator("select[name=override-owner]").select_option(f"m:{taker.pk}")
    locked = local_today() + timedelta(days=60)
    page.locator("input[name=override-locked_until]").fill(locked.isoformat())
    page.get_by_test_id("override-submit").click()  # without a reason: refused on its field
    expect(page.get_by_test_id("override-form").get_by_test_id("error-reason")).to_be_visible()
    assert not AttributionOverride.objects.exists()
    page.locator("select[name=override-owner]").select_option(f"m:{taker.pk}")
    page.locator("textarea[name=override-reason]").fill("申诉成立：客户由赵小刚首次带访")
    page.get_by_test_id("override-submit").click()
    page.wait_for_url(customer_url)
    owner = page.get_by_test_id("customer-owner")
    expect(owner).to_have_attribute("data-owner-type", "marketer")
    expect(owner).to_contain_text("赵小刚")
    expect(page.get_by_test_id("customer-protection")).to_contain_text(locked.isoformat())
    expect(
        page.locator('[data-testid=timeline-event][data-kind="attribution_override"]')
    ).to_have_count(1)

    override = AttributionOverride.objects.get()
    assert (override.customer_id, override.actor, override.reason) == (
        registration.customer_id,
        manager,
        "申诉成立：客户由赵小刚首次带访",
    )
    # Before: the registrant, who held the customer through its running registration (the
    # stored owner fields named nobody); that registration no longer protects it.
    assert (override.before["marketer"], override.before["locked_until"]) == (
        registrant.staff.pk,
        None,
    )
    assert override.before["registrations_ended"] == [registration.pk]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.OVERRIDDEN
    assert (override.after["marketer"], override.after["partner"]) == (taker.pk, None)
    assert override.after["locked_until"] == locked.isoformat()
    customer = Customer.objects.get()
    assert (customer.owner_marketer, customer.owner_partner, customer.owner_office) == (
        taker,
        None,
        False,
    )
    assert (customer.owner_overridden, customer.owner_locked_until) == (True, locked)
    assert Registration.objects.get().protected_until == new_end  # the override leaves it
    nav_click(page, "nav-customers")
    row = page.get_by_test_id("customer-row").filter(has_text="陈先生")
    expect(row).to_contain_text("赵小刚")

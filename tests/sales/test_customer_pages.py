"""The office's customer pages: search (phone, name, pinyin initials), a customer's owner,
protection and timeline, a manager's override and extension; the walk-in choice on the
visits page."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.audit import PHONE_VIEWED, phone_view_customer_ids, phone_views_q
from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from sales.models import AttributionOverride, Customer, ProtectionExtension, Registration, Visit
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    payment_record,
    signing_cancel,
    signing_record,
    subscription_record,
)
from sales.services.visits import visit_record
from tests.helpers import earlier_today

pytestmark = pytest.mark.django_db

LIST_URL = "/sales/customers/"
_phones = itertools.count(1000)


def next_phone() -> str:
    return f"1391234{next(_phones):04d}"


def register(user, project, name, phone=None, **channel):
    return registration_create(
        actor=user,
        project=project,
        customer_name=name,
        customer_phone=phone or next_phone(),
        registered_at=timezone.now() - timedelta(days=1),
        **channel,
    )


def detail_url(customer_id) -> str:
    return f"/sales/customers/{customer_id}/"


@pytest.fixture
def web(client, office):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(office)
    return client


@pytest.fixture
def boss(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(manager)
    return client


@pytest.mark.parametrize("role", [Role.MARKETER, Role.CONSULTANT, Role.PARTNER])
def test_the_customer_pages_are_the_offices(client, make_login, project, m1, role):
    customer = register(m1, project, "张伟").customer
    client.force_login(make_login(role))
    assert client.get(LIST_URL).status_code in (403, 404)
    assert client.get(detail_url(customer.pk)).status_code in (403, 404)


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row.record.name for row in response.context["listing"].table.paginated_rows]


def test_the_list_searches_by_pinyin_initials_phone_and_name(web, project, m1):
    register(m1, project, "张伟", "13811112222")
    register(m1, project, "王小明", "13955556666")
    assert names(web.get(LIST_URL, {"q": "zw"})) == ["张伟"]
    assert names(web.get(LIST_URL, {"q": "138****2222"})) == ["张伟"]
    assert names(web.get(LIST_URL, {"q": "6666"})) == ["王小明"]
    assert names(web.get(LIST_URL, {"q": "小明"})) == ["王小明"]
    assert sorted(names(web.get(LIST_URL))) == ["张伟", "王小明"]
    page = web.get(LIST_URL, {"q": "zw"}).content.decode()
    assert "13811112222" in page and 'data-testid="customer-link"' in page


def test_the_list_filters_by_owner_and_says_the_protection(web, office, project, m1):
    register(m1, project, "张伟")
    visit_record(
        actor=office,
        project=project,
        customer_name="散客",
        customer_phone="13700001111",
        visited_at=earlier_today(minutes=5),
        property_type="high_rise",
        status="confirmed",
    )
    response = web.get(LIST_URL, {"owner_type": "walk_in"})
    assert names(response) == ["散客"]
    assert "Walk-in protection" in response.content.decode()
    bad = web.get(LIST_URL, {"status": "nonsense"})
    assert names(bad) == []
    assert "status" in bad.context["listing"].filterset.errors


def test_the_list_audits_the_phones_it_shows_and_keeps_its_query_count(web, office, project, m1):
    register(m1, project, "张伟")
    web.get(LIST_URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(names(web.get(LIST_URL))) == 1
    for n in range(20):
        register(m1, project, f"客户{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(names(web.get(LIST_URL))) == 21
    assert len(many.captured_queries) == len(few.captured_queries)
    # One entry per page served, naming every customer whose full phone it showed.
    viewed = AuditEntry.objects.filter(actor=office, action=PHONE_VIEWED).order_by("id")
    assert [len(phone_view_customer_ids(entry)) for entry in viewed] == [1, 1, 21]


def test_the_list_exports_what_the_filter_shows(web, project, m1):
    register(m1, project, "张伟", "13811112222")
    register(m1, project, "王小明")
    response = web.get(LIST_URL, {"q": "zw", "export": "xlsx"})
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert [row[:2] for row in rows[1:]] == [("张伟", "13811112222")]


def test_the_customer_page_shows_owner_protection_and_timeline_with_links(web, office, project, m1):
    registration = register(m1, project, "张伟", "13811112222", marketer=m1.staff)
    visit = visit_record(
        actor=office,
        project=project,
        customer_name="张伟",
        customer_phone="13811112222",
        visited_at=earlier_today(minutes=5),
        property_type="high_rise",
        status="confirmed",
        marketer=m1.staff,
    )
    customer = Customer.objects.get(pk=registration.customer_id)
    response = web.get(detail_url(customer.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert m1.staff.name in body and "13811112222" in body
    assert response.context["protection"].kind == "deal"
    assert customer.owner_locked_until.isoformat() in body
    kinds = [item["event"].kind for item in response.context["timeline"]]
    assert kinds == ["registration", "visit"]
    assert f'href="/sales/visits/{visit.pk}/"' in body
    assert f'href="/sales/customers/{customer.pk}/#registration-{registration.pk}"' in body
    assert f'id="registration-{registration.pk}"' in body
    assert "/api/v1/" not in body
    assert 'data-testid="deal-actions"' in body
    assert "override-form" not in body and "extend-form" not in body  # a manager's
    assert AuditEntry.objects.filter(phone_views_q(customer.pk), actor=office).exists()


def test_the_customer_page_answers_404_for_a_missing_customer(web):
    assert web.get(detail_url(987654)).status_code == 404


def test_the_timeline_page_keeps_its_query_count(boss, office, project, m1):
    small = register(m1, project, "小").customer
    big = register(m1, project, "大", "13811112222").customer
    boss.get(detail_url(small.pk))
    with CaptureQueriesContext(connection) as few:
        assert boss.get(detail_url(small.pk)).status_code == 200
    for n in range(6):
        visit_record(
            actor=office,
            project=project,
            customer_name="大",
            customer_phone="13811112222",
            visited_at=timezone.now() - timedelta(days=10 * n, minutes=5),
            property_type="high_rise",
            status="confirmed",
            marketer=m1.staff,
        )
    with CaptureQueriesContext(connection) as many:
        assert boss.get(detail_url(big.pk)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_manager_overrides_the_attribution_from_the_page_audited(boss, manager, project, m1, m2):
    customer = register(m1, project, "张伟").customer
    response = boss.post(
        f"/sales/customers/{customer.pk}/override/",
        {"override-owner": f"m:{m2.staff.pk}", "override-reason": "申诉成立"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.owner_marketer, customer.owner_overridden) == (m2.staff, True)
    override = AttributionOverride.objects.get()
    assert (override.actor, override.reason, override.after["marketer"]) == (
        manager,
        "申诉成立",
        m2.staff.pk,
    )
    page = boss.get(detail_url(customer.pk)).content.decode()
    assert "申诉成立" in page and 'data-kind="attribution_override"' in page


def test_the_override_entry_names_the_manager_and_from_whom_to_whom(
    boss, office, manager, project, m1, m2
):
    registration = register(m1, project, "张伟", "13811112222", marketer=m1.staff)
    visit_record(
        actor=office,
        project=project,
        customer_name="张伟",
        customer_phone="13811112222",
        visited_at=earlier_today(minutes=5),
        property_type="high_rise",
        status="confirmed",
        marketer=m1.staff,
    )
    boss.post(
        f"/sales/customers/{registration.customer_id}/override/",
        {"override-owner": f"m:{m2.staff.pk}", "override-reason": "申诉成立"},
    )
    page = boss.get(detail_url(registration.customer_id)).content.decode()
    entry = page.split('data-kind="attribution_override"')[1].split("</li>")[0]
    assert f"Attribution changed by {manager.staff.name}" in entry
    assert f"from {m1.staff.name} to {m2.staff.name} (申诉成立)" in entry
    assert manager.get_username() not in entry
    whoami = page.split('data-testid="whoami">')[1].split("<")[0]
    assert whoami == manager.staff.name != manager.get_username()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"override-owner": "", "override-reason": "x"}, "owner"),
        ({"override-owner": "m:987654", "override-reason": "x"}, "owner"),
        ({"override-owner": "MARKER", "override-reason": ""}, "reason"),
        ({"override-owner": "MARKER", "override-reason": "x", "override-locked_until": "no"}, None),
    ],
)
def test_a_bad_override_shows_a_field_error_and_stores_nothing(boss, project, m1, m2, data, field):
    customer = register(m1, project, "张伟").customer
    data = {k: (f"m:{m2.staff.pk}" if v == "MARKER" else v) for k, v in data.items()}
    response = boss.post(f"/sales/customers/{customer.pk}/override/", data)
    assert response.status_code == 400
    form = response.context["override_form"]
    assert form.errors
    if field:
        assert field in form.errors
    assert not AttributionOverride.objects.exists()


def test_a_secretary_cannot_override_or_extend(web, project, m1):
    registration = register(m1, project, "张伟")
    override = web.post(
        f"/sales/customers/{registration.customer_id}/override/",
        {"override-owner": f"m:{m1.staff.pk}", "override-reason": "x"},
    )
    extend = web.post(
        f"/sales/registrations/{registration.pk}/extend/",
        {"extend-days": "10", "extend-reason": "x"},
    )
    assert (override.status_code, extend.status_code) == (403, 403)
    assert not AttributionOverride.objects.exists() and not ProtectionExtension.objects.exists()


def test_a_manager_extends_a_protection_from_the_page_once(boss, project, m1):
    registration = register(m1, project, "张伟")
    before = registration.protected_until
    page = boss.get(detail_url(registration.customer_id)).content.decode()
    assert f'action="/sales/registrations/{registration.pk}/extend/"' in page
    url = f"/sales/registrations/{registration.pk}/extend/"
    bad = boss.post(url, {"extend-days": "10", "extend-reason": ""})
    assert bad.status_code == 400 and "reason" in bad.context["extend_form"].errors
    assert boss.post(url, {"extend-days": "10", "extend-reason": "客户出差"}).status_code == 302
    registration.refresh_from_db()
    assert registration.protected_until == before + timedelta(days=10)
    again = boss.post(url, {"extend-days": "5", "extend-reason": "再延"})
    assert again.status_code == 400
    assert again.context["extend_form"].non_field_errors()
    registration.refresh_from_db()
    assert registration.protected_until == before + timedelta(days=10)
    assert 'data-testid="nothing-to-extend"' in again.content.decode()


def test_the_extension_form_marks_its_reason_required(boss, project, m1):
    registration = register(m1, project, "张伟")
    page = boss.get(detail_url(registration.customer_id))
    form = page.context["extend_form"]
    assert form.fields["reason"].required
    label = page.content.decode().split('for="id_extend-reason">')[1].split("</label>")[0]
    assert '<span aria-hidden="true">*</span>' in label
    url = f"/sales/registrations/{registration.pk}/extend/"
    blank = boss.post(url, {"extend-days": "10", "extend-reason": "   "})
    assert blank.status_code == 400
    assert blank.context["extend_form"].errors["reason"] == ["Say why the protection is extended."]
    assert not ProtectionExtension.objects.exists()


# --- the walk-in choice on the visits page ---------------------------------------------------


def entry(project, **overrides) -> dict:
    data = {
        "project": project.pk,
        "customer_name": "张伟",
        "phone": "138 1111 2222",
        "channel": "walk_in",
        "brought_by": "",
        "property_type": "high_rise",
        "consultant": "",
        "group_size": "1",
        "visited_at": "",
        "confirmed": "on",
    }
    data.update(overrides)
    return data


def test_the_visits_page_logs_a_walk_in(web, project):
    response = web.post("/sales/visits/today/", entry(project), follow=True)
    assert response.status_code == 200
    visit = Visit.objects.get()
    assert (visit.brought_marketer, visit.brought_partner, visit.status) == (
        None,
        None,
        "confirmed",
    )
    assert Customer.objects.get().owner_office is True
    body = response.content.decode()
    assert "Walk-in" in body and 'data-testid="badge-walk-in"' in body


def test_the_walk_in_choice_ignores_a_leftover_pick_and_a_brought_visit_needs_one(web, project, m1):
    leftover = entry(project, brought_by=f"m:{m1.staff.pk}")
    assert web.post("/sales/visits/today/", leftover).status_code == 302
    assert Visit.objects.get().brought_marketer is None
    missing = web.post(
        "/sales/visits/today/", entry(project, channel="brought", phone="13900001111")
    )
    assert 'data-testid="error-brought_by"' in missing.content.decode()
    assert Visit.objects.count() == 1
    odd = web.post("/sales/visits/today/", entry(project, channel="x", phone="13900001112"))
    assert 'data-testid="error-channel"' in odd.content.decode()
    assert Visit.objects.count() == 1


def test_the_phone_check_tells_of_a_walk_in_protection(web, office, project):
    web.post("/sales/visits/today/", entry(project))
    response = web.get(
        "/sales/visits/check-phone/", {"project": project.pk, "phone": "13811112222"}
    )
    assert 'data-testid="phone-walk-in"' in response.content.decode()
    assert Registration.objects.count() == 0


def _customer_with_every_deal(office, project, m1):
    """张伟: registered, visited, subscribed, signed one unit (paid, mortgaged) and cancelled
    another."""
    phone = "13811112222"
    registration = register(m1, project, "张伟", phone, marketer=m1.staff)
    visit = visit_record(
        actor=office,
        project=project,
        customer_name="张伟",
        customer_phone=phone,
        visited_at=earlier_today(minutes=5),
        property_type="high_rise",
        status="confirmed",
        marketer=m1.staff,
    )
    today = local_today()
    deal = {"actor": office, "project": project, "customer_name": "张伟", "customer_phone": phone}
    deal |= {"property_type": "high_rise"}
    subscription = subscription_record(
        **deal, unit="1-101", amount=Decimal("50000"), subscribed_on=today
    )
    signing = signing_record(
        **deal, unit="1-101", area=Decimal("90"), amount=Decimal("900000"), signed_on=today
    )
    other = signing_record(
        **deal, unit="1-102", area=Decimal("90"), amount=Decimal("900000"), signed_on=today
    )
    signing_cancel(actor=office, signing=other, cancelled_on=today, reason="换房")
    payment = payment_record(
        actor=office, signing=signing, kind="down_payment", amount=Decimal("1000"), paid_on=today
    )
    mortgage = mortgage_record(
        actor=office, signing=signing, bank="建设银行", amount=Decimal("500000"), applied_on=today
    )
    return registration, visit, subscription, signing, other, payment, mortgage


def test_every_timeline_entry_opens_a_portal_page_never_the_api(
    client, web, office, project, m1, make_login, sales_team
):
    registration, visit, subscription, signing, other, payment, mortgage = (
        _customer_with_every_deal(office, project, m1)
    )
    customer = registration.customer
    here = detail_url(customer.pk)
    deals = f"/sales/visits/{visit.pk}/"
    response = web.get(here)
    urls = {(i["event"].kind, i["event"].record.pk): i["url"] for i in response.context["timeline"]}
    assert urls == {
        ("registration", registration.pk): f"{here}#registration-{registration.pk}",
        ("visit", visit.pk): deals,
        ("subscription", subscription.pk): f"{deals}#subscription-{subscription.pk}",
        ("signing", signing.pk): f"{deals}#signing-{signing.pk}",
        ("signing", other.pk): f"{deals}#signing-{other.pk}",
        ("cancellation", other.pk): f"{deals}#signing-{other.pk}",
        ("payment", payment.pk): f"{deals}#signing-{signing.pk}",
        (
            "mortgage",
            mortgage.pk,
        ): f"/sales/deals/mortgages/{mortgage.pk}/?next=%2Fsales%2Fcustomers%2F{customer.pk}%2F",
    }
    assert "/api/v1/" not in response.content.decode()
    page = web.get(deals).content.decode()  # the anchors exist where the links point
    for anchor in (
        f"subscription-{subscription.pk}",
        f"signing-{signing.pk}",
        f"signing-{other.pk}",
    ):
        assert f'id="{anchor}"' in page
    # A supervisor opens no visit or deal page: each entry on the customer page itself.
    supervisor = make_login(Role.SUPERVISOR)
    sales_team.supervisor = supervisor.staff
    sales_team.save()
    client.force_login(supervisor)
    supervised = client.get(here)
    for item in supervised.context["timeline"]:
        assert item["url"] == f"{here}#{item['anchor']}"
    assert "/api/v1/" not in supervised.content.decode()


def test_the_pages_name_the_registrant_as_owner_while_its_protection_runs(web, project, m1):
    registration = register(m1, project, "张伟", "13811112222", marketer=m1.staff)
    page = web.get(detail_url(registration.customer_id))
    assert page.context["owner_label"] == m1.staff.name
    assert page.context["owner_type"] == "marketer"
    assert "Nobody yet" not in page.content.decode()
    listing = web.get(LIST_URL)
    (row,) = listing.context["listing"].table.paginated_rows
    assert row.get_cell("owner") == m1.staff.name
    assert names(web.get(LIST_URL, {"owner_type": "marketer"})) == ["张伟"]
    assert names(web.get(LIST_URL, {"owner_type": "none"})) == []

"""The office's deal pages (认购, 签约, 退房, 回款, 按揭): each stores the right row through the
deal services, refuses bad input on its field with nothing stored, starts from a visit or a
customer, goes back with a message, and is closed to every role but the office."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from common.periods import local_today
from common.roles import Role
from sales.choices import MortgageStatus, SigningStatus, SubscriptionStatus
from sales.models import Mortgage, Payment, Signing, Subscription
from sales.services.deals import (
    mortgage_record,
    signing_cancel,
    signing_record,
    subscription_record,
)
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory
from tests.helpers import earlier_today, next_phone

pytestmark = pytest.mark.django_db

SUBSCRIPTION_URL = reverse("sales:subscription-add")
SIGNING_URL = reverse("sales:signing-add")
PAYMENT_URL = reverse("sales:payment-add")
MORTGAGE_URL = reverse("sales:mortgage-add")


@pytest.fixture
def visit(office, project, m1):
    """王先生's confirmed visit an hour ago, brought by (and credited to) marketer m1."""
    return visit_record(
        actor=office,
        project=project,
        customer_name="王先生",
        customer_phone=next_phone(),
        visited_at=earlier_today(),
        property_type="high_rise",
        marketer=m1.staff,
        status="confirmed",
    )


def signed(office, visit, *, unit="3-1502", amount="1200000.00", days_ago=3) -> Signing:
    return signing_record(
        actor=office,
        project=visit.project,
        customer_name=visit.customer_name,
        customer_phone=visit.customer_phone,
        unit=unit,
        property_type="high_rise",
        area=Decimal("98.50"),
        amount=Decimal(amount),
        signed_on=local_today() - timedelta(days=days_ago),
    )


def errors_of(response) -> dict:
    """The bound form's field errors of a re-rendered page."""
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# --- 认购 ---------------------------------------------------------------------------------------


def subscription_post(visit, **overrides) -> dict:
    data = {
        "project": visit.project_id,
        "customer_name": visit.customer_name,
        "customer_phone": visit.customer_phone,
        "unit": "3-1502",
        "property_type": "high_rise",
        "amount": "50,000.50",
        "subscribed_on": local_today().isoformat(),
        "credit": f"m:{visit.marketer_id}",
    }
    data.update(overrides)
    return data


def test_a_subscription_from_a_visit_is_prefilled_and_stored(web, visit):
    url = f"{SUBSCRIPTION_URL}?visit={visit.pk}"
    page = web.get(url)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["customer_phone"] == visit.customer_phone
    assert initial["project"] == visit.project_id
    assert initial["credit"] == f"m:{visit.marketer_id}"
    assert 'data-testid="deal-about"' in page.content.decode()

    response = web.post(url, subscription_post(visit), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sales:visit-detail", args=[visit.pk])
    row = Subscription.objects.get()
    assert (row.unit, row.amount, row.subscribed_on) == (
        "3-1502",
        Decimal("50000.50"),
        local_today(),
    )
    assert isinstance(row.amount, Decimal)
    assert (row.customer_id, row.marketer_id, row.status) == (
        visit.customer_id,
        visit.marketer_id,
        SubscriptionStatus.ACTIVE,
    )
    assert "Subscription (认购) of unit 3-1502 for 王先生 recorded: 50,000.50." in (
        response.content.decode()
    )


def test_a_live_subscription_reads_as_its_own_status_not_the_partners_word(client, office, visit):
    subscription_record(
        actor=office,
        project=visit.project,
        customer_name=visit.customer_name,
        customer_phone=visit.customer_phone,
        unit="3-1502",
        property_type="high_rise",
        amount=Decimal("50000"),
        subscribed_on=local_today(),
    )
    client.force_login(office)
    page = client.get(
        reverse("sales:visit-detail", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    row = page.content.decode().split('data-testid="subscription-row"')[1].split("</article>")[0]
    assert "已认购" in row and "合作中" not in row


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "-100"),
        ("amount", "12.345"),
        ("amount", "abc"),
        ("unit", ""),
        ("unit", "   "),
        ("subscribed_on", "2999-01-01"),
        ("subscribed_on", "yesterday"),
        ("customer_phone", "12345"),
        ("property_type", "castle"),
    ],
)
def test_bad_subscription_input_is_a_field_error_and_stores_nothing(web, visit, field, value):
    response = web.post(SUBSCRIPTION_URL, subscription_post(visit, **{field: value}))
    assert field in errors_of(response)
    assert not Subscription.objects.exists()


def test_a_property_type_the_project_does_not_sell_is_the_services_refusal(web, visit):
    visit.project.has_villa = False
    visit.project.save()
    response = web.post(SUBSCRIPTION_URL, subscription_post(visit, property_type="villa"))
    assert "does not sell this property type" in str(errors_of(response)["property_type"])
    assert not Subscription.objects.exists()


def test_a_credit_against_a_standing_attribution_lands_on_the_credit_field(web, visit, m2):
    visit.customer.owner_locked_until = local_today() + timedelta(days=30)
    visit.customer.save()
    response = web.post(SUBSCRIPTION_URL, subscription_post(visit, credit=f"m:{m2.staff.pk}"))
    assert "attributed to" in str(errors_of(response)["credit"])
    assert not Subscription.objects.exists()


def test_a_customer_link_prefills_the_customer(web, visit):
    page = web.get(f"{SUBSCRIPTION_URL}?customer={visit.customer_id}")
    initial = page.context["form"].initial
    assert (initial["customer_name"], initial["customer_phone"]) == (
        visit.customer.name,
        visit.customer_phone,
    )
    saved = web.post(
        f"{SUBSCRIPTION_URL}?customer={visit.customer_id}", subscription_post(visit, credit="")
    )
    assert saved.url == f"{reverse('sales:visit-history')}?customer={visit.customer_id}"
    assert Subscription.objects.get().marketer_id == visit.marketer_id  # by attribution


def test_next_goes_back_to_our_pages_only(web, visit):
    ours = web.post(f"{SUBSCRIPTION_URL}?next=/sales/visits/today/", subscription_post(visit))
    assert ours.url == "/sales/visits/today/"
    theirs = web.post(
        f"{SUBSCRIPTION_URL}?next=https://evil.example/", subscription_post(visit, unit="9-9")
    )
    assert theirs.url == reverse("sales:visit-history")


@pytest.mark.parametrize("query", ["visit=999999", "visit=abc", "customer=999999", "signing=1x"])
def test_an_unknown_starting_point_is_404(web, visit, query):
    assert web.get(f"{SUBSCRIPTION_URL}?{query}").status_code == 404


# --- 签约 ---------------------------------------------------------------------------------------


def signing_post(visit, **overrides) -> dict:
    data = {
        "project": visit.project_id,
        "customer_name": visit.customer_name,
        "customer_phone": visit.customer_phone,
        "subscription": "",
        "unit": "3-1502",
        "property_type": "high_rise",
        "area": "98.5",
        "amount": "1,200,000",
        "signed_on": local_today().isoformat(),
        "credit": "",
    }
    data.update(overrides)
    return data


def test_a_signing_from_a_visit_converts_its_subscription(web, office, visit):
    subscription = subscription_record(
        actor=office,
        project=visit.project,
        customer_name=visit.customer_name,
        customer_phone=visit.customer_phone,
        unit="3-1502",
        property_type="high_rise",
        amount=Decimal("50000"),
        subscribed_on=local_today(),
    )
    url = f"{SIGNING_URL}?visit={visit.pk}"
    initial = web.get(url).context["form"].initial
    assert (initial["subscription"], initial["unit"]) == (subscription.pk, "3-1502")

    response = web.post(url, signing_post(visit, subscription=subscription.pk))
    assert response.status_code == 302
    row = Signing.objects.get()
    assert (row.unit, row.area, row.amount, row.signed_on, row.status) == (
        "3-1502",
        Decimal("98.50"),
        Decimal("1200000.00"),
        local_today(),
        SigningStatus.SIGNED,
    )
    assert (row.subscription_id, row.marketer_id) == (subscription.pk, visit.marketer_id)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.SIGNED


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("area", "0"),
        ("area", "-1"),
        ("unit", ""),
        ("signed_on", "2999-01-01"),
        ("customer_name", ""),
    ],
)
def test_bad_signing_input_is_a_field_error_and_stores_nothing(web, visit, field, value):
    response = web.post(SIGNING_URL, signing_post(visit, **{field: value}))
    assert field in errors_of(response)
    assert not Signing.objects.exists()


def test_a_unit_signed_already_is_refused_on_the_unit(web, office, visit):
    signed(office, visit)
    response = web.post(SIGNING_URL, signing_post(visit, customer_phone=next_phone()))
    assert "already signed" in str(errors_of(response)["unit"])
    assert Signing.objects.count() == 1


def test_another_customers_subscription_is_not_offered(web, office, visit, project):
    other = subscription_record(
        actor=office,
        project=project,
        customer_name="别人",
        customer_phone=next_phone(),
        unit="8-8",
        property_type="high_rise",
        amount=Decimal("1000"),
        subscribed_on=local_today(),
    )
    response = web.post(
        f"{SIGNING_URL}?visit={visit.pk}", signing_post(visit, subscription=other.pk)
    )
    assert "subscription" in errors_of(response)
    assert not Signing.objects.exists()


# --- 退房 ---------------------------------------------------------------------------------------


def test_a_cancellation_stores_the_date_and_reason(web, office, visit):
    signing = signed(office, visit)
    url = f"{reverse('sales:signing-cancel', args=[signing.pk])}?visit={visit.pk}"
    assert web.get(url).status_code == 200
    response = web.post(url, {"cancelled_on": local_today().isoformat(), "reason": "贷款未批"})
    assert response.url == reverse("sales:visit-detail", args=[visit.pk])
    signing.refresh_from_db()
    assert (signing.status, signing.cancelled_on, signing.cancel_reason) == (
        SigningStatus.CANCELLED,
        local_today(),
        "贷款未批",
    )


@pytest.mark.parametrize("days", [-4, 1])  # before the signing (3 days ago); in the future
def test_a_cancellation_date_outside_the_signing_is_refused(web, office, visit, days):
    signing = signed(office, visit, days_ago=3)
    on = local_today() + timedelta(days=days)
    response = web.post(
        reverse("sales:signing-cancel", args=[signing.pk]), {"cancelled_on": on.isoformat()}
    )
    assert "cancelled_on" in errors_of(response)
    signing.refresh_from_db()
    assert (signing.status, signing.cancelled_on) == (SigningStatus.SIGNED, None)


def test_cancelling_twice_is_refused_above_the_form(web, office, visit):
    signing = signed(office, visit)
    signing_cancel(actor=office, signing=signing, cancelled_on=local_today())
    response = web.post(
        reverse("sales:signing-cancel", args=[signing.pk]),
        {"cancelled_on": local_today().isoformat()},
    )
    assert "already cancelled" in " ".join(response.context["form"].non_field_errors())


# --- 回款 ---------------------------------------------------------------------------------------


def payment_post(signing, **overrides) -> dict:
    data = {
        "project": signing.project_id,
        "unit": signing.unit,
        "kind": "down_payment",
        "amount": "360,000",
        "paid_on": local_today().isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def test_a_payment_is_stored_against_the_units_signing(web, office, visit):
    signing = signed(office, visit)
    url = f"{PAYMENT_URL}?visit={visit.pk}"
    initial = web.get(url).context["form"].initial
    assert (initial["project"], initial["unit"]) == (signing.project_id, "3-1502")
    response = web.post(url, payment_post(signing))
    assert response.status_code == 302
    row = Payment.objects.get()
    assert (row.signing_id, row.kind, row.amount, row.paid_on) == (
        signing.pk,
        "down_payment",
        Decimal("360000.00"),
        local_today(),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "-1"),
        ("unit", "no-such-unit"),
        ("unit", ""),
        ("paid_on", "2999-01-01"),
    ],
)
def test_bad_payment_input_is_a_field_error_and_stores_nothing(web, office, visit, field, value):
    signing = signed(office, visit)
    response = web.post(PAYMENT_URL, payment_post(signing, **{field: value}))
    assert field in errors_of(response)
    assert not Payment.objects.exists()


def test_a_payment_against_a_cancelled_signing_is_refused_on_the_unit(web, office, visit):
    signing = signed(office, visit)
    signing_cancel(actor=office, signing=signing, cancelled_on=local_today())
    response = web.post(PAYMENT_URL, payment_post(signing))
    assert "cancelled" in str(errors_of(response)["unit"])
    assert not Payment.objects.exists()


# --- 按揭 ---------------------------------------------------------------------------------------


def mortgage_post(signing, **overrides) -> dict:
    data = {
        "project": signing.project_id,
        "unit": signing.unit,
        "bank": "建设银行",
        "amount": "800,000",
        "status": "applied",
        "applied_on": local_today().isoformat(),
        "disbursed_on": "",
    }
    data.update(overrides)
    return data


def test_a_mortgage_is_stored_against_the_named_signing(web, office, visit):
    signing = signed(office, visit)
    url = f"{MORTGAGE_URL}?signing={signing.pk}"
    assert web.get(url).context["form"].initial["unit"] == "3-1502"
    assert web.post(url, mortgage_post(signing)).status_code == 302
    row = Mortgage.objects.get()
    assert (row.signing_id, row.bank, row.amount, row.status, row.applied_on) == (
        signing.pk,
        "建设银行",
        Decimal("800000.00"),
        MortgageStatus.APPLIED,
        local_today(),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "1,200,000.01"),  # over the signing amount
        ("bank", ""),
        ("applied_on", "2999-01-01"),
        ("unit", "no-such-unit"),
    ],
)
def test_bad_mortgage_input_is_a_field_error_and_stores_nothing(web, office, visit, field, value):
    signing = signed(office, visit)
    response = web.post(MORTGAGE_URL, mortgage_post(signing, **{field: value}))
    assert field in errors_of(response)
    assert not Mortgage.objects.exists()


def test_disbursed_without_its_date_is_refused(web, office, visit):
    signing = signed(office, visit)
    response = web.post(MORTGAGE_URL, mortgage_post(signing, status="disbursed"))
    assert "disbursed_on" in errors_of(response)
    assert not Mortgage.objects.exists()


def _mortgage(office, signing) -> Mortgage:
    return mortgage_record(
        actor=office,
        signing=signing,
        bank="建设银行",
        amount=Decimal("800000"),
        applied_on=local_today() - timedelta(days=2),
    )


def test_a_mortgage_moves_to_disbursed_with_its_date(web, office, visit):
    mortgage = _mortgage(office, signed(office, visit))
    url = reverse("sales:mortgage-edit", args=[mortgage.pk])
    page = web.get(url)
    assert page.context["form"].initial["status"] == MortgageStatus.APPLIED
    response = web.post(
        url,
        {
            "bank": "建设银行",
            "amount": "800000",
            "status": "disbursed",
            "applied_on": mortgage.applied_on.isoformat(),
            "disbursed_on": local_today().isoformat(),
        },
    )
    assert response.status_code == 302
    mortgage.refresh_from_db()
    assert (mortgage.status, mortgage.disbursed_on) == (MortgageStatus.DISBURSED, local_today())


def test_a_disbursement_before_the_application_is_refused_and_nothing_changes(web, office, visit):
    mortgage = _mortgage(office, signed(office, visit))
    response = web.post(
        reverse("sales:mortgage-edit", args=[mortgage.pk]),
        {
            "bank": "建设银行",
            "amount": "800000",
            "status": "disbursed",
            "applied_on": mortgage.applied_on.isoformat(),
            "disbursed_on": (mortgage.applied_on - timedelta(days=1)).isoformat(),
        },
    )
    assert "disbursed_on" in errors_of(response)
    mortgage.refresh_from_db()
    assert (mortgage.status, mortgage.disbursed_on) == (MortgageStatus.APPLIED, None)


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PARTNER, Role.MARKETER, Role.CONSULTANT, Role.SUPERVISOR])
def test_only_the_office_reaches_the_deal_pages(make_login, office, visit, role):
    signing = signed(office, visit)
    mortgage = _mortgage(office, signing)
    browser = Client()
    kwargs = {"partner": PartnerFactory()} if role == Role.PARTNER else {}
    browser.force_login(make_login(role, **kwargs))
    urls = [
        f"{SUBSCRIPTION_URL}?visit={visit.pk}",
        f"{SIGNING_URL}?customer={visit.customer_id}",
        reverse("sales:signing-cancel", args=[signing.pk]),
        f"{PAYMENT_URL}?signing={signing.pk}",
        MORTGAGE_URL,
        reverse("sales:mortgage-edit", args=[mortgage.pk]),
    ]
    for url in urls:
        assert browser.get(url).status_code in (403, 404), url
        assert browser.post(url, mortgage_post(signing)).status_code in (403, 404), url
    assert Mortgage.objects.count() == 1
    signing.refresh_from_db()
    assert signing.status == SigningStatus.SIGNED


def test_the_manager_records_deals_too(client, make_login, visit):
    client.force_login(make_login(Role.MANAGER))
    assert client.get(f"{SIGNING_URL}?visit={visit.pk}").status_code == 200


def test_todays_rows_link_to_the_visits_deals(web, visit):
    html = web.get("/sales/visits/today/").content.decode()
    assert f"{SUBSCRIPTION_URL}?visit={visit.pk}" in html
    assert f"{SIGNING_URL}?visit={visit.pk}" in html
    assert reverse("sales:visit-detail", args=[visit.pk]) in html

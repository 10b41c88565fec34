"""The partner's customer card says the protection that applies to it now: the deal protection
after a visit (not the registration's 30 days), and "attributed elsewhere" — never 他人成交, never
whom — when a manager's override or a walk-in took the customer without a deal."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.periods import local_today
from common.roles import Role
from sales.models import Customer
from sales.services.customers import registration_create
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer

pytestmark = pytest.mark.django_db

PHONE = "13811112222"


@pytest.fixture
def project(db):
    return ProjectFactory(name="金隅大成", code="jydc")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="甲方渠道")


@pytest.fixture
def user(make_login, partner):
    return make_login(Role.PARTNER, partner=partner)


@pytest.fixture
def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def office(make_login):
    return make_login(Role.SECRETARY)


def register(user, project):
    return registration_create(
        actor=user,
        project=project,
        customer_name="王先生",
        customer_phone=PHONE,
        registered_at=timezone.now() - timedelta(days=2),
    )


def visit(office, project, **channel):
    return visit_record(
        actor=office,
        project=project,
        customer_name="王先生",
        customer_phone=PHONE,
        visited_at=timezone.now() - timedelta(days=1),
        property_type="high_rise",
        status="confirmed",
        **channel,
    )


def card(browser):
    """The one customer row, and the list's HTML (not the filter form's words)."""
    response = browser.get(reverse("portal:customers"))
    assert response.status_code == 200
    (row,) = response.context["page"]
    body = response.content.decode()
    return row, body.split('data-testid="customer-list"', 1)[1]


def test_after_a_visit_the_card_shows_the_deal_protection_not_the_registrations(
    browser, user, partner, office, project
):
    registration = register(user, project)
    visit(office, project, partner=partner)
    deal_until = Customer.objects.get().owner_locked_until
    assert deal_until > registration.protected_until  # 90 days from the visit, not 30
    row, body = card(browser)
    assert row.stage == "visited"
    assert 'data-testid="deal-protected-until"' in body
    assert f"Deal protection until {deal_until.isoformat()}" in body
    assert registration.protected_until.isoformat() not in body


def test_before_a_visit_the_card_shows_the_registration_protection(browser, user, project):
    registration = register(user, project)
    _row, body = card(browser)
    assert f"Protected until {registration.protected_until.isoformat()}" in body
    assert 'data-testid="deal-protected-until"' not in body


def test_an_override_away_without_a_signing_is_attributed_elsewhere_not_a_lost_deal(
    browser, user, partner, office, manager_user, project
):
    register(user, project)
    visit(office, project, partner=partner)
    seller = marketer(TeamFactory(project=project), name="张行销")
    customer_attribution_override(
        actor=manager_user, customer=Customer.objects.get(), marketer=seller, reason="经核实"
    )
    row, body = card(browser)
    assert row.stage == "elsewhere"
    assert 'data-testid="badge-elsewhere"' in body
    assert 'data-testid="badge-lost"' not in body and "他人成交" not in body
    for secret in ("张行销", "经核实"):
        assert secret not in body
    assert 'data-testid="deal-protected-until"' not in body
    elsewhere = browser.get(reverse("portal:customers"), {"stage": "elsewhere"})
    assert elsewhere.context["page"].paginator.count == 1
    assert (
        browser.get(reverse("portal:customers"), {"stage": "lost"}).context["page"].paginator.count
        == 0
    )


def test_a_walk_in_after_the_registration_ended_is_attributed_elsewhere(
    browser, user, office, project
):
    registration = register(user, project)
    registration.registered_at = timezone.now() - timedelta(days=40)
    registration.protected_until = local_today() - timedelta(days=11)
    registration.status = "expired"
    registration.save(update_fields=["registered_at", "protected_until", "status"])
    visit(office, project)  # nobody brought them: a walk-in, the office's now
    row, body = card(browser)
    assert row.stage == "elsewhere"
    assert "sales office" not in body.lower() and "他人成交" not in body


@pytest.fixture
def manager_user(make_login):
    return make_login(Role.MANAGER)

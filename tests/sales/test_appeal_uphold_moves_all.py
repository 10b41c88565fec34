"""Upholding an appeal against a customer another partner holds through its running
registration moves the customer whole: that registration ends (overridden) and its protection
no longer shows, the pending visit credits the winner, the winner lists the customer (its
portal too), the loser reads only that it was lost, and the audit names whom it was from."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.roles import Role
from sales.choices import RegistrationStatus
from sales.models import Appeal, AttributionOverride, Visit
from sales.services.customers import registration_create
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory
from tests.helpers import login_create
from tests.sales.appeal_world import png

pytestmark = pytest.mark.django_db

PHONE = "13900002222"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    project = ProjectFactory(name="金隅大成")
    manager = login_create(Role.MANAGER)
    secretary = login_create(Role.SECRETARY)
    holder, winner = PartnerFactory(name="我爱我家示例"), PartnerFactory(name="链家示例代理")
    holder_user = login_create(Role.PARTNER, partner=holder)
    winner_user = login_create(Role.PARTNER, partner=winner)
    registration = registration_create(
        actor=holder_user, project=project, customer_name="钱客户", customer_phone=PHONE
    )
    visit = visit_record(
        actor=secretary,
        project=project,
        customer_name="钱客户",
        customer_phone=PHONE,
        visited_at=timezone.now(),
        property_type="high_rise",
        partner=holder,
        status="pending",
    )
    return {
        "project": project,
        "manager": manager,
        "holder": holder,
        "holder_user": holder_user,
        "winner": winner,
        "winner_user": winner_user,
        "registration": registration,
        "visit": visit,
    }


def api(client_as, user, role):
    client = client_as(role, user=user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def filed(client_as, world) -> Appeal:
    partner = api(client_as, world["winner_user"], Role.PARTNER)
    body = {
        "project": world["project"].pk,
        "customer_phone": PHONE,
        "reason": "我们先带客户看过样板间",
        "subject": "refused",
        "evidence": [png()],
    }
    response = partner.post("/api/v1/appeals/", body, format="multipart")
    assert response.status_code == 201, response.content
    return Appeal.objects.get()


def only_row(response) -> dict:
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert len(rows) == 1, rows
    return rows[0]


def test_upholding_without_a_note_is_a_field_error_and_moves_nothing(client_as, world):
    appeal = filed(client_as, world)
    manager = api(client_as, world["manager"], Role.MANAGER)
    refused = manager.post(f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": " "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["note"] == ["Say why the appeal is upheld."]
    appeal.refresh_from_db()
    assert appeal.status == "open" and not AttributionOverride.objects.exists()


def test_upholding_against_a_registration_held_customer_moves_it_whole(client_as, world):
    appeal = filed(client_as, world)
    manager = api(client_as, world["manager"], Role.MANAGER)
    before = only_row(manager.get("/api/v1/customers/"))
    assert (before["owner"], before["protection"]) == (world["holder"].pk, "registration")

    upheld = manager.post(
        f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": "证据充分"}, format="json"
    )
    assert upheld.status_code == 200, upheld.content

    registration = world["registration"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.OVERRIDDEN  # kept, no longer protecting
    visit = Visit.objects.get(pk=world["visit"].pk)
    assert (visit.partner_id, visit.brought_partner_id) == (world["winner"].pk, world["holder"].pk)
    override = AttributionOverride.objects.get()
    assert override.before["partner"] == world["holder"].pk
    assert override.before["registrations_ended"] == [registration.pk]
    assert override.after["partner"] == world["winner"].pk

    office = only_row(manager.get("/api/v1/customers/"))
    assert (office["owner_type"], office["owner"]) == ("partner", world["winner"].pk)
    assert office["protection"] != "registration"

    winner = only_row(api(client_as, world["winner_user"], Role.PARTNER).get("/api/v1/customers/"))
    assert (winner["owner"], winner["phone"]) == (world["winner"].pk, "139****2222")
    loser = api(client_as, world["holder_user"], Role.PARTNER).get("/api/v1/customers/")
    assert loser.json()["results"] == []


def test_the_winner_finds_the_customer_in_its_portal_and_the_loser_reads_only_elsewhere(
    client_as, world
):
    appeal = filed(client_as, world)
    manager = api(client_as, world["manager"], Role.MANAGER)
    manager.post(f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": "证据充分"}, format="json")

    winner = Client(HTTP_ACCEPT_LANGUAGE="en")
    winner.force_login(world["winner_user"])
    page = winner.get(reverse("portal:customers"), {"q": "2222"}).content.decode()
    assert 'data-testid="assigned-row"' in page and "钱客户" in page and "139****2222" in page
    assert PHONE not in page and "我爱我家示例" not in page

    loser = Client(HTTP_ACCEPT_LANGUAGE="en")
    loser.force_login(world["holder_user"])
    page = loser.get(reverse("portal:customers")).content.decode()
    # No deal was closed: not 他人成交 but "no longer yours", and its protection is gone.
    assert 'data-stage="elsewhere"' in page and 'data-testid="protected-until"' not in page
    assert "链家示例代理" not in page


def test_the_decision_screen_keeps_the_displaced_partner_as_the_other_side(client_as, world):
    appeal = filed(client_as, world)
    manager = api(client_as, world["manager"], Role.MANAGER)
    manager.post(f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": "证据充分"}, format="json")
    office = Client(HTTP_ACCEPT_LANGUAGE="en")
    office.force_login(world["manager"])
    page = office.get(reverse("sales:appeal-detail", args=[appeal.pk]))
    assert page.status_code == 200
    sides = page.context["sides"]
    assert sides.against_name == "我爱我家示例"
    assert any(event.record == world["registration"] for event in sides.owner)


def test_a_marketer_an_override_gave_the_customer_lists_it_on_their_pages(world):
    from sales.services.overrides import customer_attribution_override

    marketer = login_create(Role.MARKETER, name="孙行销")
    customer = world["registration"].customer
    customer_attribution_override(
        actor=world["manager"], customer=customer, marketer=marketer.staff, reason="经理指定"
    )
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(marketer)
    page = browser.get(reverse("marketer:customers")).content.decode()
    assert 'data-testid="assigned-row"' in page and "钱客户" in page and PHONE in page
    world["registration"].refresh_from_db()
    assert world["registration"].status == RegistrationStatus.OVERRIDDEN

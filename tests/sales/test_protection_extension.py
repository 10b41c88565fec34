"""Protection extension: a manager extends one registration's protection once, with a reason,
audited; everyone else is refused and nothing changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from sales.models import ProtectionExtension, Registration
from sales.services.customers import registration_create
from sales.services.protection import registration_protection_extend
from sales.services.visits import visit_record
from tests.helpers import earlier_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_user(make_login):
    return make_login(Role.PARTNER)


@pytest.fixture
def registration(partner_user, project):
    return registration_create(
        actor=partner_user, project=project, customer_name="张伟", customer_phone="13811112222"
    )


def extend_url(registration) -> str:
    return f"/api/v1/registrations/{registration.pk}/extend/"


def test_a_manager_extends_a_protection_once_and_it_is_audited(client_as, manager, registration):
    api = client_as(Role.MANAGER, user=manager)
    before = registration.protected_until
    response = api.post(extend_url(registration), {"days": 15, "reason": "客户出差"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["protected_until"] == (before + timedelta(days=15)).isoformat()
    registration.refresh_from_db()
    assert registration.protected_until == before + timedelta(days=15)
    extension = ProtectionExtension.objects.get()
    assert (extension.days, extension.reason, extension.actor) == (15, "客户出差", manager)
    assert (extension.protected_until_before, extension.protected_until_after) == (
        before,
        before + timedelta(days=15),
    )
    entry = AuditEntry.objects.get(action="registration.protection_extended")
    assert (entry.actor, entry.object_id, entry.summary) == (manager, registration.pk, "客户出差")
    assert entry.changes["protected_until"]["after"] == registration.protected_until.isoformat()

    again = api.post(extend_url(registration), {"days": 5, "reason": "再延"}, format="json")
    assert again.status_code == 400
    assert "once" in str(again.json()).lower() or "一次" in str(again.json())
    registration.refresh_from_db()
    assert registration.protected_until == before + timedelta(days=15)
    assert ProtectionExtension.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 0, "reason": "x"}, "days"),
        ({"days": 366, "reason": "x"}, "days"),
        ({"days": "ten", "reason": "x"}, "days"),
        ({"reason": "x"}, "days"),
        ({"days": 10}, "reason"),
        ({"days": 10, "reason": "   "}, "reason"),
    ],
)
def test_bad_extension_input_is_a_field_400_and_changes_nothing(
    client_as, registration, body, field
):
    before = registration.protected_until
    response = client_as(Role.MANAGER).post(extend_url(registration), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    registration.refresh_from_db()
    assert registration.protected_until == before
    assert not ProtectionExtension.objects.exists()


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.SUPERVISOR, Role.MARKETER, Role.PARTNER])
def test_only_a_manager_may_extend(client_as, registration, partner_user, role):
    user = partner_user if role == Role.PARTNER else None
    api = client_as(role, **({"user": user} if user else {}))
    response = api.post(extend_url(registration), {"days": 10, "reason": "x"}, format="json")
    assert response.status_code in (403, 404)
    assert not ProtectionExtension.objects.exists()


def test_the_service_refuses_every_role_but_the_manager(office, registration):
    with pytest.raises(ValidationError):
        registration_protection_extend(actor=office, registration=registration, days=10, reason="x")


def test_an_ended_or_visited_protection_cannot_be_extended(
    client_as, office, manager, project, partner_user, registration, english
):
    Registration.objects.filter(pk=registration.pk).update(
        protected_until=local_today() - timedelta(days=1)
    )
    registration.refresh_from_db()
    with pytest.raises(ValidationError) as ended:
        registration_protection_extend(
            actor=manager, registration=registration, days=10, reason="x"
        )
    assert "ended" in ended.value.message_dict["non_field_errors"][0]

    other = registration_create(
        actor=partner_user,
        project=project,
        customer_name="李",
        customer_phone="13900001111",
        registered_at=timezone.now() - timedelta(hours=1),
    )
    visit_record(
        actor=office,
        project=project,
        customer_name="李",
        customer_phone="13900001111",
        visited_at=earlier_today(minutes=5),
        property_type="high_rise",
        status="confirmed",
        partner=partner_user.partner_member.partner,
    )
    other.refresh_from_db()
    with pytest.raises(ValidationError) as visited:
        registration_protection_extend(actor=manager, registration=other, days=10, reason="x")
    assert "running protection" in visited.value.message_dict["non_field_errors"][0]


def test_an_extended_protection_refuses_a_rival_registration_until_its_new_end(
    manager, project, registration, m1, english
):
    registration_protection_extend(actor=manager, registration=registration, days=20, reason="x")
    registration.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        registration_create(
            actor=m1,
            project=project,
            customer_name="张伟",
            customer_phone="13811112222",
            registered_at=timezone.now() + timedelta(days=35),
        )
    assert registration.protected_until.isoformat() in exc.value.message_dict["customer_phone"][0]

"""Customers' phones: partners only ever see them masked; the office's reads of full phones
leave an audit trail."""

import pytest

from common.audit import PHONE_VIEWED, phone_view_customer_ids
from common.models import AuditEntry
from common.roles import Role
from sales.models import Customer, Visit
from sales.services.customers import registration_create
from tests.api_base import list_query_count
from tests.helpers import MARKETER_PHONE, PARTNER_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_of_module, db):
    """The company once for the module: these tests only read it."""
    return world_of_module


PHONE_ENDPOINTS = ["registrations", "visits", "signings"]


@pytest.mark.parametrize("resource", PHONE_ENDPOINTS)
def test_partner_users_see_customer_phones_masked(world, client_as, resource):
    api = client_as(Role.PARTNER, user=world.users[Role.PARTNER])
    listed = api.get(f"/api/v1/{resource}/")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert rows, "the partner's own customer is listed"
    assert {row["customer_phone"] for row in rows} == {"139****5678"}
    detail = api.get(f"/api/v1/{resource}/{rows[0]['id']}/")
    assert detail.json()["customer_phone"] == "139****5678"
    assert PARTNER_PHONE not in detail.content.decode()
    assert MARKETER_PHONE not in listed.content.decode()


def test_no_partner_response_carries_a_full_phone(world, client_as):
    api = client_as(Role.PARTNER, user=world.users[Role.PARTNER])
    lists = [*PHONE_ENDPOINTS, "subscriptions", "payments", "mortgages"]
    for url in [f"/api/v1/{r}/" for r in lists]:
        body = api.get(url).content.decode()
        assert PARTNER_PHONE not in body, url
        assert MARKETER_PHONE not in body, url


def _phone_views(user):
    return AuditEntry.objects.filter(actor=user, action=PHONE_VIEWED).order_by("id")


def _customers_viewed(user) -> list[int]:
    return [pk for entry in _phone_views(user) for pk in phone_view_customer_ids(entry)]


@pytest.mark.parametrize("resource", PHONE_ENDPOINTS)
def test_manager_reading_full_phones_is_audited(world, client_as, resource):
    manager = world.users[Role.MANAGER]
    api = client_as(Role.MANAGER, user=manager)
    listed = api.get(f"/api/v1/{resource}/")
    phones = {row["customer_phone"] for row in listed.json()["results"]}
    assert PARTNER_PHONE in phones  # the office gets the full number...
    customers = set(Customer.objects.filter(phone__in=phones).values_list("pk", flat=True))
    # ...and one entry for the response names the manager and each customer whose number it got.
    assert _phone_views(manager).count() == 1
    assert set(_customers_viewed(manager)) == customers
    entry = _phone_views(manager).first()
    assert entry.content_type.model_class() is Customer
    assert resource.rstrip("s") in entry.summary

    before = _phone_views(manager).count()
    row = listed.json()["results"][0]
    api.get(f"/api/v1/{resource}/{row['id']}/")
    assert _phone_views(manager).count() == before + 1


def test_the_office_editing_a_visit_is_audited_like_reading_it(world, client_as):
    secretary = world.users[Role.SECRETARY]
    visit = Visit.objects.get(partner=world.partner)
    response = client_as(Role.SECRETARY, user=secretary).patch(
        f"/api/v1/visits/{visit.pk}/", {"note": "带父母来"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["customer_phone"] == PARTNER_PHONE
    assert _customers_viewed(secretary) == [visit.customer_id]


def test_partner_and_marketer_reads_are_not_audited_as_office_access(world, client_as):
    for role in (Role.PARTNER, Role.MARKETER):
        user = world.users[role]
        assert client_as(role, user=user).get("/api/v1/registrations/").status_code == 200
        assert not _phone_views(user).exists()


def test_audited_list_keeps_a_constant_query_count(world, client_as):
    api = client_as(Role.MANAGER, user=world.users[Role.MANAGER])
    api.get("/api/v1/registrations/")  # warms what a process caches (the table's row estimate)
    few = list_query_count(api, "/api/v1/registrations/")
    for n in range(15):
        registration_create(
            actor=world.users[Role.SECRETARY],
            project=world.project,
            customer_name="新客户",
            customer_phone=f"1360000{n:04d}",
            marketer=world.marketer,
        )
    many = list_query_count(api, "/api/v1/registrations/")
    assert many == few
    served = [len(phone_view_customer_ids(e)) for e in _phone_views(world.users[Role.MANAGER])]
    assert served == [2, 2, 17]  # the warm-up, then the two counted

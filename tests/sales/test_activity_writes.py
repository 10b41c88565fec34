"""Writes to sales activity over the API go only through the services: no raw edits, no
unscoped ids, normalised phones, and a database refusal is a 400 with nothing half-written."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import DataError

from common.exceptions import api_exception_handler
from common.periods import SHANGHAI
from common.roles import Role
from sales.choices import PhoneMode
from sales.models import Customer, Registration, Signing, Visit
from sales.services import visits as visit_services
from sales.services.deals import signing_record
from sales.services.visits import visit_record
from tests.factories.org import ProjectFactory, marketer

pytestmark = pytest.mark.django_db

MISSING = 987654321
WHEN = datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)
VISIT = {
    "customer_name": "孙女士",
    "customer_phone": "13712345678",
    "visited_at": "2026-11-02T10:30:00+08:00",
    "property_type": "high_rise",
}


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def pending_visit(office, project):
    return visit_record(
        actor=office,
        project=project,
        customer_name="孙女士",
        customer_phone="13712345678",
        visited_at=WHEN,
        property_type="high_rise",
        marketer=marketer(),
    )


def _signing(office, project, *, unit="1-101", phone="13600001111", **channel):
    return signing_record(
        actor=office,
        project=project,
        customer_name="周先生",
        customer_phone=phone,
        unit=unit,
        property_type="high_rise",
        area=Decimal("100"),
        amount=Decimal("1000000"),
        signed_on=date(2026, 11, 3),
        **(channel or {"marketer": marketer()}),
    )


# --- 2. masked phones are stored normalised -----------------------------------------------------
@pytest.mark.parametrize("phone", ["138-****-5678", "138 **** 5678", " 138****5678 "])
@pytest.mark.parametrize("resource", ["registrations", "visits", "signings"])
def test_a_masked_phone_with_separators_is_stored_normalised(client_as, resource, phone):
    project = ProjectFactory(phone_mode=PhoneMode.MASKED)
    m = marketer()
    bodies = {
        "registrations": {"customer_name": "钱先生"},
        "visits": {**VISIT, "customer_name": "钱先生"},
        "signings": {
            "customer_name": "钱先生",
            "unit": "3-1502",
            "property_type": "high_rise",
            "area": "98.50",
            "amount": "1200000.00",
            "signed_on": "2026-11-03",
        },
    }
    body = {**bodies[resource], "project": project.pk, "marketer": m.pk, "customer_phone": phone}
    response = client_as(Role.SECRETARY).post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["customer_phone"] == "138****5678"
    model = {"registrations": Registration, "visits": Visit, "signings": Signing}[resource]
    assert model.objects.get().customer_phone == "138****5678"
    assert Customer.objects.get().phone_key == "1385678"


# --- 3. a database refusal is a 400 in the one error shape, with nothing half-written -------
def test_a_data_error_is_a_400_in_the_one_error_shape():
    response = api_exception_handler(DataError("value too long for type character varying(11)"), {})
    assert response.status_code == 400
    assert set(response.data) == {"detail", "code", "errors"}
    assert response.data["errors"]["non_field_errors"]
    assert "varying" not in str(response.data)


def test_a_data_error_inside_a_service_rolls_back_what_it_wrote(client_as, project, monkeypatch):
    def overflow(*, customer):  # the database refuses a write after the visit row exists
        Visit.objects.filter(customer=customer).update(customer_phone="1" * 20)

    monkeypatch.setattr(visit_services, "customer_refresh", overflow)
    response = client_as(Role.SECRETARY).post(
        "/api/v1/visits/",
        {**VISIT, "project": project.pk, "marketer": marketer().pk},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"detail", "code", "errors"}
    assert not Visit.objects.exists()
    assert not Customer.objects.exists()

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
from sales.models import Customer, Mortgage, Registration, Signing, Visit
from sales.services import visits as visit_services
from sales.services.customers import registration_create
from sales.services.deals import mortgage_record, payment_record, signing_record
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, consultant, marketer

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


# --- 1. a visit is edited only through the service --------------------------------------------
def test_office_patches_only_the_consultant_group_size_and_note(client_as, office, pending_visit):
    receiver = consultant()
    response = client_as(Role.SECRETARY, user=office).patch(
        f"/api/v1/visits/{pending_visit.pk}/",
        {"consultant": receiver.pk, "group_size": 3, "note": " 带父母来 "},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["consultant"], response.json()["status"]) == (receiver.pk, "pending")
    pending_visit.refresh_from_db()
    assert (pending_visit.consultant, pending_visit.group_size, pending_visit.note) == (
        receiver,
        3,
        "带父母来",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "confirmed"},
        {"status": "rejected"},
        {"valid": True},
        {"marketer": "other"},
        {"partner": "other"},
        {"project": "other"},
        {"customer_phone": "138123456789012"},
        {"customer_name": "别人"},
        {"visited_at": "2026-11-01T10:00:00+08:00"},
        {"property_type": "villa"},
        {"registration": None},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_patching_any_other_visit_field_is_a_field_level_400_that_changes_nothing(
    client_as, office, pending_visit, changes
):
    others = {
        "marketer": marketer().pk,
        "partner": PartnerFactory().pk,
        "project": ProjectFactory(has_villa=True).pk,
    }
    field = next(iter(changes))
    body = {field: others.get(field, changes[field]), "note": "改一下"}
    before = Visit.objects.values().get(pk=pending_visit.pk)
    owner_before = Customer.objects.values("owner_marketer", "owner_partner").get(
        pk=pending_visit.customer_id
    )
    response = client_as(Role.SECRETARY, user=office).patch(
        f"/api/v1/visits/{pending_visit.pk}/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert Visit.objects.values().get(pk=pending_visit.pk) == before
    assert (
        Customer.objects.values("owner_marketer", "owner_partner").get(pk=pending_visit.customer_id)
        == owner_before
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [({"consultant": "marketer"}, "consultant"), ({"group_size": 0}, "group_size")],
)
def test_a_bad_visit_edit_is_a_field_level_400(client_as, office, pending_visit, body, field):
    if body.get("consultant") == "marketer":
        body = {"consultant": pending_visit.marketer_id}
    response = client_as(Role.SECRETARY, user=office).patch(
        f"/api/v1/visits/{pending_visit.pk}/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_the_visit_edit_service_refuses_a_channel_login(make_login, pending_visit):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        visit_services.visit_update(actor=make_login(Role.MARKETER), visit=pending_visit, note="x")


@pytest.mark.parametrize(
    "resource",
    ["registrations", "visits", "subscriptions", "signings", "payments", "mortgages"],
)
def test_activity_has_no_put_or_delete_and_only_visits_and_mortgages_patch(
    client_as, office, project, resource
):
    signing = _signing(office, project)
    rows = {
        "registrations": lambda: registration_create(
            actor=office,
            project=project,
            customer_name="吴女士",
            customer_phone="13512345678",
            marketer=marketer(),
        ),
        "visits": lambda: visit_record(
            actor=office,
            project=project,
            customer_name="吴女士",
            customer_phone="13512345679",
            visited_at=WHEN,
            property_type="high_rise",
            marketer=marketer(),
        ),
        "subscriptions": lambda: signing.customer.subscriptions.create(
            project=project,
            unit="2-202",
            property_type="high_rise",
            amount=Decimal("1"),
            subscribed_on=date(2026, 11, 1),
        ),
        "signings": lambda: signing,
        "payments": lambda: payment_record(
            actor=office, signing=signing, kind="deposit", amount=Decimal("1"), paid_on=WHEN.date()
        ),
        "mortgages": lambda: mortgage_record(
            actor=office, signing=signing, bank="建行", amount=Decimal("1"), applied_on=WHEN.date()
        ),
    }
    url = f"/api/v1/{resource}/{rows[resource]().pk}/"
    client = client_as(Role.MANAGER)
    assert client.put(url, {}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    patched = client.patch(url, {}, format="json").status_code
    assert patched == (200 if resource in ("visits", "mortgages") else 405)


def test_an_attribution_override_is_never_edited(client_as, office, project):
    from sales.services.overrides import customer_attribution_override

    signing, manager = _signing(office, project), client_as(Role.MANAGER)
    override = customer_attribution_override(
        actor=manager.user, customer=signing.customer, marketer=marketer(), reason="经理核实"
    )
    url = f"/api/v1/attribution-overrides/{override.pk}/"
    for method in (manager.put, manager.patch, manager.delete):
        assert method(url, {"reason": "改"}, format="json").status_code == 405


def test_a_mortgage_cannot_be_moved_to_another_signing(client_as, office, project):
    signing, other = _signing(office, project), _signing(office, project, unit="1-102")
    mortgage = mortgage_record(
        actor=office, signing=signing, bank="建行", amount=Decimal("500000"), applied_on=WHEN.date()
    )
    response = client_as(Role.SECRETARY, user=office).patch(
        f"/api/v1/mortgages/{mortgage.pk}/", {"signing": other.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "signing" in response.json()["errors"]
    assert Mortgage.objects.get(pk=mortgage.pk).signing == signing


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


# --- 5. the credited channel is looked up only among the caller's rows ----------------------
def test_a_partner_naming_another_partner_is_answered_like_naming_a_missing_one(
    client_as, make_login, project
):
    """A partner is always credited itself: naming itself passes, naming any other partner or
    any marketer is refused — another's id exactly like one that does not exist."""
    mine, theirs = PartnerFactory(), PartnerFactory()
    client = client_as(Role.PARTNER, user=make_login(Role.PARTNER, partner=mine))
    body = {"project": project.pk, "customer_name": "新客", "customer_phone": "13811112220"}
    refusals = []
    for named in ({"partner": theirs.pk}, {"partner": MISSING}):
        response = client.post("/api/v1/registrations/", {**body, **named}, format="json")
        assert response.status_code == 400 and "partner" in response.json()["errors"]
        refusals.append(response.content)
    assert refusals[0] == refusals[1]
    named_marketer = client.post(
        "/api/v1/registrations/", {**body, "marketer": marketer().pk}, format="json"
    )
    assert named_marketer.status_code == 400 and "marketer" in named_marketer.json()["errors"]
    assert not Registration.objects.exists()
    own = client.post(
        "/api/v1/registrations/", {**body, "partner": mine.pk, "marketer": None}, format="json"
    )
    assert own.status_code == 201, own.content
    assert (own.json()["partner"], own.json()["marketer"]) == (mine.pk, None)


def test_a_marketer_is_always_credited_itself(client_as, make_login, project):
    me = make_login(Role.MARKETER, team=TeamFactory(project=project))
    client = client_as(Role.MARKETER, user=me)
    body = {"project": project.pk, "customer_name": "新客", "customer_phone": "13811113330"}
    for named in ({"marketer": marketer().pk}, {"marketer": MISSING}, {"partner": MISSING}):
        response = client.post("/api/v1/registrations/", {**body, **named}, format="json")
        assert response.status_code == 400, response.content
        assert set(response.json()["errors"]) == set(named)
    assert not Registration.objects.exists()
    for n, named in enumerate(({}, {"marketer": me.staff.pk, "partner": None})):
        response = client.post(
            "/api/v1/registrations/",
            {**body, "customer_phone": f"1381111333{n + 1}", **named},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert (response.json()["marketer"], response.json()["partner"]) == (me.staff.pk, None)


@pytest.mark.parametrize("field", ["marketer", "partner"])
def test_the_office_naming_an_unknown_channel_gets_a_field_level_400(client_as, project, field):
    response = client_as(Role.SECRETARY).post(
        "/api/v1/visits/", {**VISIT, "project": project.pk, field: MISSING}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Visit.objects.exists()


def test_a_payment_on_an_unknown_signing_is_a_field_level_400(client_as, project):
    response = client_as(Role.SECRETARY).post(
        "/api/v1/payments/",
        {"signing": MISSING, "kind": "deposit", "amount": "1.00", "paid_on": "2026-11-03"},
        format="json",
    )
    assert response.status_code == 400
    assert "signing" in response.json()["errors"]


# --- 6. a supervisor reads the daily report of their own teams' projects only --------------
@pytest.mark.parametrize("url", ["/api/v1/daily-reports/", "/api/v1/daily-reports/export/"])
def test_a_supervisor_reads_only_their_teams_projects_daily_report(
    client_as, make_login, office, project, url
):
    supervisor = make_login(Role.SUPERVISOR)
    theirs = TeamFactory(supervisor=supervisor.staff).project
    _signing(office, project)  # activity at a project the supervisor does not run
    client = client_as(Role.SUPERVISOR, user=supervisor)
    assert client.get(url, {"project": theirs.pk, "date": "2026-11-03"}).status_code == 200
    other = client.get(url, {"project": project.pk, "date": "2026-11-03"})
    missing = client.get(url, {"project": MISSING, "date": "2026-11-03"})
    assert other.status_code == 400, other.content
    assert "project" in other.json()["errors"]
    assert other.json()["errors"]["project"] == [
        message.replace(str(MISSING), str(project.pk))
        for message in missing.json()["errors"]["project"]
    ]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SECRETARY])
def test_the_office_reads_every_projects_daily_report(client_as, project, role):
    response = client_as(role).get(
        "/api/v1/daily-reports/", {"project": project.pk, "date": "2026-11-03"}
    )
    assert response.status_code == 200
    assert response.json()["project"] == project.pk

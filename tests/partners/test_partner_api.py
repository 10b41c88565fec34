"""/api/v1/partners/: each role's rights and rows, validation, filters, query counts."""

import pytest
from django.contrib.auth import get_user_model

from common.models import AuditEntry
from common.roles import Role
from partners.choices import ContractStatus, PartnerStatus
from partners.models import Partner
from tests.api_base import PartnerScopedEndpointCase
from tests.factories.org import PartnerFactory
from tests.factories.partners import PartnerContractFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = [r.value for r in Role]
URL = "/api/v1/partners/"


@pytest.fixture
def partners():
    return {
        status: PartnerFactory(status=status, name=f"伙伴-{status}") for status in PartnerStatus
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR])
def test_managers_and_supervisors_see_every_partner(client_as, role, partners):
    assert _ids(client_as(role).get(URL)) == {p.pk for p in partners.values()}


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MARKETER, Role.CONSULTANT])
def test_other_staff_see_only_active_partners_to_pick_from(client_as, role, partners):
    client = client_as(role)
    assert _ids(client.get(URL)) == {partners[PartnerStatus.ACTIVE].pk}
    prospect = partners[PartnerStatus.PROSPECT]
    assert client.get(f"{URL}{prospect.pk}/").status_code == 404


def test_a_partner_user_sees_only_its_own_partner(client_as, partners):
    mine = PartnerFactory()
    client = client_as(Role.PARTNER, partner=mine)
    body = client.get(URL).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert client.get(f"{URL}{mine.pk}/").status_code == 200


def test_contract_fields_are_exactly_named(client_as):
    partner = PartnerFactory(contact_phone="13812341234", regions="天津")
    row = client_as(Role.MANAGER).get(f"{URL}{partner.pk}/").json()
    assert {
        "id",
        "name",
        "kind",
        "status",
        "credit_code",
        "credit_rating",
        "tier",
        "regions",
        "contact_name",
        "contact_phone",
        "contact_email",
    } <= set(row)
    assert row["credit_code"] == partner.credit_code


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_managers_and_supervisors_create_partners(client_as, role):
    response = client_as(role).post(URL, {"name": "新渠道", "kind": "broker"}, format="json")
    assert response.status_code == (201 if role in (Role.MANAGER, Role.SUPERVISOR) else 403)
    assert Partner.objects.filter(name="新渠道").exists() == (response.status_code == 201)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_a_manager_deletes_a_partner(client_as, role):
    victim = PartnerFactory()
    response = client_as(role).delete(f"{URL}{victim.pk}/")
    if role == Role.MANAGER:
        assert response.status_code == 204
    else:
        assert response.status_code in (403, 404)
    assert Partner.objects.filter(pk=victim.pk).exists() == (role != Role.MANAGER)


def test_a_partner_with_logins_is_not_deleted_but_told_to_terminate(client_as, make_login):
    partner = PartnerFactory()
    make_login(Role.PARTNER, partner=partner)
    response = client_as(Role.MANAGER).delete(f"{URL}{partner.pk}/")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert not AuditEntry.objects.filter(action="partner.deleted").exists()


def test_phone_is_normalised_and_a_bad_one_is_a_field_error(client_as):
    client = client_as(Role.MANAGER)
    ok = client.post(
        URL, {"name": "甲", "kind": "agency", "contact_phone": "+86 138-1234-1234"}, format="json"
    )
    assert ok.status_code == 201
    assert ok.json()["contact_phone"] == "13812341234"
    bad = client.post(
        URL, {"name": "乙", "kind": "agency", "contact_phone": "12345"}, format="json"
    )
    assert bad.status_code == 400
    assert "contact_phone" in bad.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "bank"}, "kind"),
        ({"status": "sleeping"}, "status"),
        ({"credit_rating": "E"}, "credit_rating"),
        ({"name": ""}, "name"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_bad_input_is_a_field_level_400(client_as, body, field):
    response = client_as(Role.MANAGER).post(
        URL, {"name": "丙", "kind": "agency", **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Partner.objects.exists()


def test_a_credit_code_belongs_to_one_partner(client_as):
    existing = PartnerFactory()
    client = client_as(Role.MANAGER)
    response = client.post(
        URL,
        {"name": "重复", "kind": "agency", "credit_code": existing.credit_code.lower()},
        format="json",
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()["errors"]
    other = PartnerFactory()
    clash = client.patch(f"{URL}{other.pk}/", {"credit_code": existing.credit_code}, format="json")
    assert clash.status_code == 400


def test_status_change_is_audited_with_before_and_after(client_as):
    partner = PartnerFactory(status=PartnerStatus.ACTIVE)
    client = client_as(Role.SUPERVISOR)
    response = client.patch(f"{URL}{partner.pk}/", {"status": "suspended"}, format="json")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="partner.status_changed")
    assert entry.actor == client.user
    assert entry.target == partner
    assert entry.changes == {"status": {"before": "active", "after": "suspended"}}
    client.patch(f"{URL}{partner.pk}/", {"regions": "北京"}, format="json")
    assert AuditEntry.objects.filter(action="partner.updated").count() == 1


def test_terminating_a_partner_needs_its_contract_ended_and_locks_its_logins(client_as, make_login):
    partner = PartnerFactory()
    login = make_login(Role.PARTNER, partner=partner)
    contract = PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE)
    client = client_as(Role.MANAGER)
    refused = client.patch(f"{URL}{partner.pk}/", {"status": "terminated"}, format="json")
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]
    contract.status = ContractStatus.TERMINATED
    contract.save()
    ended = client.patch(f"{URL}{partner.pk}/", {"status": "terminated"}, format="json")
    assert ended.status_code == 200
    assert get_user_model().objects.get(pk=login.pk).is_active is False
    back = client.patch(f"{URL}{partner.pk}/", {"status": "active"}, format="json")
    assert back.status_code == 200
    assert get_user_model().objects.get(pk=login.pk).is_active is True


def test_filters(client_as):
    a = PartnerFactory(kind="agency", credit_rating="A", tier=1, name="海河代理", regions="天津")
    PartnerFactory(kind="broker", credit_rating="B", tier=2, name="个人经纪", regions="北京")
    client = client_as(Role.MANAGER)
    for query in ("kind=agency", "credit_rating=A", "tier=1", "q=海河", "status=active&q=天津"):
        assert _ids(client.get(f"{URL}?{query}")) == {a.pk}, query
    assert client.get(f"{URL}?kind=bank").status_code == 400


def test_invite_action_mails_a_one_time_link(
    client_as, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(Role.SUPERVISOR).post(
            f"{URL}{partner.pk}/invite/", {"email": "boss@agency.example"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert mailoutbox[0].to == ["boss@agency.example"]
    assert "/partners/invite/" in mailoutbox[0].body


class TestPartnerList(PartnerScopedEndpointCase):
    url = "partner-list"
    roles_allowed = frozenset(ALL_ROLES)
    query_roles = (Role.MANAGER, Role.SECRETARY, Role.PARTNER)

    def rows(self, n, user):
        PartnerFactory.create_batch(n)

    def foreign_row(self):
        return PartnerFactory().pk

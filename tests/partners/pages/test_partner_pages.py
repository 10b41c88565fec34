"""The partners list (kind, status, search; sort; export) and one partner's page with its
contracts, trainings, portal logins and invitations."""

import pytest
from django.urls import reverse

from common.roles import Role
from partners.choices import ContractStatus, PartnerStatus
from partners.models import PartnerInvite
from tests.api_base import list_query_count
from tests.factories.org import PartnerFactory
from tests.factories.partners import PartnerContractFactory, TrainingAttendanceFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partners:partner-list")


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row.record.name for row in response.context["listing"].table.paginated_rows]


def test_the_list_filters_by_kind_status_and_search(manager):
    PartnerFactory(name="津门代理", kind="agency")
    PartnerFactory(name="个人经纪王五", kind="broker", status=PartnerStatus.PROSPECT)
    PartnerFactory(name="京东平台", kind="ecommerce", status=PartnerStatus.SUSPENDED)
    assert names(manager.get(LIST)) == ["个人经纪王五", "京东平台", "津门代理"]
    assert names(manager.get(LIST, {"kind": "broker"})) == ["个人经纪王五"]
    assert names(manager.get(LIST, {"status": "suspended"})) == ["京东平台"]
    assert names(manager.get(LIST, {"q": "津门"})) == ["津门代理"]
    assert names(manager.get(LIST, {"kind": "nonsense"})) == []
    export = manager.get(LIST, {"kind": "agency", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_query_count_does_not_grow_with_rows(manager):
    PartnerFactory.create_batch(2)
    few = list_query_count(manager, LIST)
    PartnerFactory.create_batch(30)
    assert list_query_count(manager, LIST) == few


def test_a_supervisor_sees_every_partner_as_the_api_shows_them(browser_as, client_as):
    PartnerFactory.create_batch(3)
    PartnerFactory(status=PartnerStatus.TERMINATED)
    page = browser_as(Role.SUPERVISOR).get(LIST)
    api = client_as(Role.SUPERVISOR).get("/api/v1/partners/").json()
    assert page.context["listing"].table.paginator.count == api["count"] == 4


def test_the_partner_page_shows_contracts_trainings_and_logins(manager, make_login):
    partner = PartnerFactory(name="甲方渠道")
    contract = PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE, code="J-1")
    PartnerContractFactory(code="OTHER-1")  # another partner's
    attendance = TrainingAttendanceFactory(partner=partner, attended=True, score=91)
    login = make_login(Role.PARTNER, partner=partner, username="jiafang")
    response = manager.get(reverse("partners:partner-detail", args=[partner.pk]))
    assert response.status_code == 200
    assert [c.pk for c in response.context["contracts"]] == [contract.pk]
    assert [t.pk for t in response.context["trainings"]] == [attendance.pk]
    assert [m.user for m in response.context["members"]] == [login]
    html = response.content.decode()
    assert "J-1" in html and "OTHER-1" not in html and "jiafang" in html
    assert attendance.session.title in html


def test_a_new_invitation_is_sent_from_the_partner_page(
    manager, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(contact_email="boss@partner.example")
    url = reverse("partners:partner-detail", args=[partner.pk])
    assert manager.get(url).context["invite_form"]["email"].value() == "boss@partner.example"
    bad = manager.post(url, {"email": "not-an-address"})
    assert bad.status_code == 400 and "email" in bad.context["invite_form"].errors
    assert not PartnerInvite.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(url, {"email": "new@partner.example"}).status_code == 302
    invite = PartnerInvite.objects.get()
    assert (invite.partner, invite.email, invite.created_by) == (
        partner,
        "new@partner.example",
        manager.user,
    )
    assert mailoutbox[0].to == ["new@partner.example"]


def test_the_partner_page_query_count_does_not_grow_with_its_rows(manager):
    partner = PartnerFactory()
    url = reverse("partners:partner-detail", args=[partner.pk])

    def add(n):
        for _ in range(n):
            PartnerContractFactory(partner=partner)
            TrainingAttendanceFactory(partner=partner)

    add(2)
    few = list_query_count(manager, url)
    add(10)
    assert list_query_count(manager, url) == few

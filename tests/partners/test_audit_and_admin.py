"""The generic audit log, and every new admin page answering for a manager."""

import pytest
from django.test import Client

from common.models import AuditEntry
from common.services import audit_diff, audit_record, audit_snapshot
from tests.factories.org import PartnerFactory
from tests.factories.partners import (
    PartnerApplicationFactory,
    PartnerContractFactory,
    TrainingAttendanceFactory,
)

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_object_and_json_safe_changes(django_user_model):
    partner = PartnerFactory(tier=2)
    before = audit_snapshot(partner, ["tier", "created_at"])
    partner.tier = 1
    diff = audit_diff(before, audit_snapshot(partner, ["tier", "created_at"]))
    assert diff == {"tier": {"before": 2, "after": 1}}
    user = django_user_model.objects.create_user("auditor")
    entry = audit_record(actor=user, action="partner.updated", obj=partner, changes=diff)
    entry.refresh_from_db()
    assert (entry.actor, entry.target, entry.changes) == (user, partner, diff)


def test_an_anonymous_or_missing_actor_is_the_system():
    from django.contrib.auth.models import AnonymousUser

    partner = PartnerFactory()
    for actor in (None, AnonymousUser()):
        entry = audit_record(actor=actor, action="x", obj=partner, changes={})
        assert entry.actor is None


@pytest.fixture
def admin_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.com", "Secret-pass-123")
    )
    return client


def test_every_new_admin_page_answers(admin_client):
    partner = PartnerFactory()
    contract = PartnerContractFactory(partner=partner)
    application = PartnerApplicationFactory()
    attendance = TrainingAttendanceFactory(partner=partner)
    audit_record(actor=None, action="partner.updated", obj=partner, changes={})
    pages = [
        "/admin/common/auditentry/",
        f"/admin/common/auditentry/{AuditEntry.objects.get().pk}/change/",
        "/admin/partners/partnerapplication/?status=submitted",
        f"/admin/partners/partnerapplication/{application.pk}/change/",
        "/admin/partners/partnercontract/?q=x",
        f"/admin/partners/partnercontract/{contract.pk}/change/",
        "/admin/partners/partnercontract/add/",
        "/admin/partners/contractreminder/",
        "/admin/partners/partnerinvite/",
        "/admin/partners/trainingsession/",
        f"/admin/partners/trainingsession/{attendance.session_id}/change/",
        "/admin/partners/trainingattendance/",
        f"/admin/partners/partner/{partner.pk}/change/",
    ]
    for url in pages:
        assert admin_client.get(url).status_code == 200, url
    criteria = admin_client.get("/admin/partners/recruitmentcriteria/")
    assert criteria.status_code == 302
    assert admin_client.get(criteria["Location"]).status_code == 200


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client):
    partner = PartnerFactory()
    entry = audit_record(actor=None, action="x", obj=partner, changes={})
    assert admin_client.get("/admin/common/auditentry/add/").status_code == 403
    response = admin_client.post(f"/admin/common/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_partner_edits_in_the_admin_go_through_the_services(admin_client):
    partner = PartnerFactory()
    response = admin_client.post(
        f"/admin/partners/partner/{partner.pk}/change/",
        {
            "name": partner.name,
            "kind": partner.kind,
            "status": "suspended",
            "regions": "",
            "contact_name": "",
            "contact_phone": "+86 139 0000 1111",
            "contact_email": "",
            "credit_code": partner.credit_code.lower(),
            "credit_rating": "",
            "tier": 3,
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner.refresh_from_db()
    assert (partner.status, partner.contact_phone) == ("suspended", "13900001111")
    assert AuditEntry.objects.filter(action="partner.status_changed").exists()

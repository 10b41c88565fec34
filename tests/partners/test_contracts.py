"""渠道销售合同: clauses, draft → active → expired / terminated, PDF, renewal, reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from partners.choices import ContractStatus, PartnerStatus
from partners.models import ContractReminder, PartnerContract
from partners.selectors import partner_for_user
from partners.services import contract_expiry_reminders_run
from partners.tasks import contract_expiry_reminders
from tests.api_base import PartnerScopedEndpointCase
from tests.factories.org import PartnerFactory, UserFactory
from tests.factories.partners import PartnerContractFactory
from tests.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"


def clauses(partner, **overrides) -> dict:
    today = local_today()
    return {
        "partner": partner.pk,
        "code": "QD-2026-001",
        "scope": "代理销售本项目高层住宅，负责带客、协助签约",
        "fee_mode": "percent",
        "fee_value": "1.50",
        "fee_milestone": "down_payment",
        "sales_region": "天津市河西区",
        "target_customers": "首次置业家庭",
        "start_on": today.isoformat(),
        "end_on": (today + timedelta(days=364)).isoformat(),
        "termination_conditions": "连续三个月无成交可解除",
        "obligations": "不得虚假宣传",
        "supervision": "每月考核带访与成交",
        **overrides,
    }


@pytest.fixture
def manager(client_as):
    return client_as(Role.MANAGER)


def test_a_contract_is_drafted_with_every_clause(manager):
    partner = PartnerFactory()
    response = manager.post(URL, clauses(partner), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert (body["fee_mode"], body["fee_value"], body["fee_milestone"]) == (
        "percent",
        "1.50",
        "down_payment",
    )
    assert body["partner_name"] == partner.name
    assert body["has_signed_pdf"] is False and body["signed_pdf_url"] is None
    assert AuditEntry.objects.filter(action="contract.created").count() == 1


def test_the_milestone_defaults_to_signing(manager):
    body = clauses(PartnerFactory())
    del body["fee_milestone"]
    assert manager.post(URL, body, format="json").json()["fee_milestone"] == "signing"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_on": "2000-01-01"}, "end_on"),
        ({"fee_value": "0"}, "fee_value"),
        ({"fee_value": "120"}, "fee_value"),  # a rate above 100%
        ({"fee_mode": "bonus"}, "fee_mode"),
        ({"fee_milestone": "handover"}, "fee_milestone"),
        ({"start_on": "someday"}, "start_on"),
    ],
)
def test_bad_clauses_are_field_level_400s(manager, overrides, field):
    response = manager.post(URL, clauses(PartnerFactory(), **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not PartnerContract.objects.exists()


def test_a_per_unit_fee_may_be_above_100(manager):
    response = manager.post(
        URL, clauses(PartnerFactory(), fee_mode="per_unit", fee_value="3000.00"), format="json"
    )
    assert response.status_code == 201


def test_contract_numbers_are_unique(manager):
    partner = PartnerFactory()
    assert manager.post(URL, clauses(partner), format="json").status_code == 201
    again = manager.post(URL, clauses(partner), format="json")
    assert again.status_code == 400
    assert "code" in again.json()["errors"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_managers_and_supervisors_draft_contracts(client_as, role):
    response = client_as(role).post(URL, clauses(PartnerFactory()), format="json")
    assert response.status_code == (201 if role in (Role.MANAGER, Role.SUPERVISOR) else 403)


def test_activation_and_one_active_contract_per_partner(manager):
    partner = PartnerFactory(status=PartnerStatus.PROSPECT)
    first = manager.post(URL, clauses(partner), format="json").json()
    second = manager.post(URL, clauses(partner, code="QD-2"), format="json").json()
    activated = manager.post(f"{URL}{first['id']}/activate/")
    assert activated.status_code == 200
    assert activated.json()["status"] == "active"
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.ACTIVE  # the first contract makes it a partner
    refused = manager.post(f"{URL}{second['id']}/activate/")
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]
    assert manager.post(f"{URL}{first['id']}/activate/").status_code == 400  # not a draft


def test_the_database_allows_one_active_contract_per_partner():
    partner = PartnerFactory()
    PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE)
    PartnerContractFactory(partner=partner, status=ContractStatus.EXPIRED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE)


def test_an_active_contracts_clauses_are_fixed_but_a_pdf_can_be_attached(manager):
    contract = PartnerContractFactory(status=ContractStatus.ACTIVE)
    changed = manager.patch(f"{URL}{contract.pk}/", {"fee_value": "2000.00"}, format="json")
    assert changed.status_code == 400
    assert "fee_value" in changed.json()["errors"]
    pdf = SimpleUploadedFile("合同.pdf", PDF_BYTES, content_type="application/pdf")
    attached = manager.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": pdf}, format="multipart")
    assert attached.status_code == 200, attached.content
    assert attached.json()["has_signed_pdf"] is True
    download = manager.get(attached.json()["signed_pdf_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    contract.refresh_from_db()
    assert contract.signed_pdf.name.startswith(f"contracts/{contract.partner_id}/")
    assert AuditEntry.objects.filter(action="contract.pdf_attached").exists()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"PK\x03\x04 this is a zip, not a pdf", "application/pdf"),  # lying content type
        (b"<html>%PDF-</html>", "application/pdf"),
        (PDF_BYTES, "text/plain"),  # PDF bytes, declared as something else
        (PDF_BYTES, "application/octet-stream"),
    ],
)
def test_anything_but_a_pdf_is_refused(manager, content, content_type):
    contract = PartnerContractFactory()
    upload = SimpleUploadedFile("contract.pdf", content, content_type=content_type)
    response = manager.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": upload}, format="multipart")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["signed_pdf"]
    contract.refresh_from_db()
    assert not contract.signed_pdf


def test_a_pdf_over_10_mb_is_refused_and_10_mb_is_accepted(manager):
    limit = django_settings.PARTNER_CONTRACT_PDF_MAX_BYTES
    assert limit == 10 * 1024 * 1024
    contract = PartnerContractFactory()
    big = SimpleUploadedFile(
        "big.pdf", PDF_BYTES + b"0" * (limit + 1 - len(PDF_BYTES)), content_type="application/pdf"
    )
    response = manager.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": big}, format="multipart")
    assert response.status_code == 400
    assert "signed_pdf" in response.json()["errors"]
    exact = SimpleUploadedFile(
        "ok.pdf", PDF_BYTES + b"0" * (limit - len(PDF_BYTES)), content_type="application/pdf"
    )
    response = manager.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": exact}, format="multipart")
    assert response.status_code == 200


def test_the_pdf_is_attached_only_as_a_multipart_upload_by_those_who_run_contracts(
    manager, client_as
):
    contract = PartnerContractFactory()
    pdf = SimpleUploadedFile("合同.pdf", PDF_BYTES, content_type="application/pdf")
    # JSON bodies cannot carry the file, and the contract's own PATCH takes no file.
    as_json = manager.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": "x"}, format="json")
    assert as_json.status_code == 415
    patched = manager.patch(f"{URL}{contract.pk}/", {"signed_pdf": pdf}, format="multipart")
    assert patched.status_code == 415
    other = client_as(Role.PARTNER)
    upload = SimpleUploadedFile("合同.pdf", PDF_BYTES, content_type="application/pdf")
    refused = other.put(f"{URL}{contract.pk}/pdf/", {"signed_pdf": upload}, format="multipart")
    assert refused.status_code == 404  # another partner's contract: as if there were none
    own = PartnerContractFactory(partner=partner_for_user(other.user), status=ContractStatus.ACTIVE)
    upload = SimpleUploadedFile("合同.pdf", PDF_BYTES, content_type="application/pdf")
    mine = other.put(f"{URL}{own.pk}/pdf/", {"signed_pdf": upload}, format="multipart")
    assert mine.status_code == 403  # a partner reads its contract; the office attaches it
    contract.refresh_from_db()
    own.refresh_from_db()
    assert not contract.signed_pdf and not own.signed_pdf


def test_no_pdf_means_404_on_download(manager):
    contract = PartnerContractFactory()
    assert manager.get(f"{URL}{contract.pk}/pdf/").status_code == 404


def test_termination_needs_a_reason_and_is_audited(manager):
    contract = PartnerContractFactory(status=ContractStatus.ACTIVE)
    url = f"{URL}{contract.pk}/terminate/"
    assert "reason" in manager.post(url, {}, format="json").json()["errors"]
    response = manager.post(url, {"reason": "连续三个月无成交"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["terminated_on"], body["termination_reason"]) == (
        "terminated",
        local_today().isoformat(),
        "连续三个月无成交",
    )
    entry = AuditEntry.objects.get(action="contract.terminated")
    assert entry.changes["status"] == {"before": "active", "after": "terminated"}
    assert manager.post(url, {"reason": "again"}, format="json").status_code == 400


def test_a_draft_can_be_deleted_a_signed_contract_cannot(manager):
    draft = PartnerContractFactory()
    active = PartnerContractFactory(status=ContractStatus.ACTIVE)
    assert manager.delete(f"{URL}{draft.pk}/").status_code == 204
    assert manager.delete(f"{URL}{active.pk}/").status_code == 400
    assert PartnerContract.objects.filter(pk=active.pk).exists()


def test_renewal_drafts_the_next_term_with_the_same_clauses(manager):
    today = local_today()
    contract = PartnerContractFactory(
        status=ContractStatus.ACTIVE,
        start_on=today - timedelta(days=300),
        end_on=today + timedelta(days=64),
        fee_mode="percent",
        fee_value=Decimal("2.00"),
        obligations="按月报备",
    )
    response = manager.post(f"{URL}{contract.pk}/renew/", {}, format="json")
    assert response.status_code == 201, response.content
    renewal = response.json()
    assert renewal["status"] == "draft"
    assert renewal["previous"] == contract.pk
    assert renewal["start_on"] == (contract.end_on + timedelta(days=1)).isoformat()
    assert renewal["end_on"] == (today + timedelta(days=65 + 364)).isoformat()
    assert (renewal["fee_mode"], renewal["fee_value"], renewal["obligations"]) == (
        "percent",
        "2.00",
        "按月报备",
    )
    assert manager.post(f"{URL}{contract.pk}/renew/", {}, format="json").status_code == 400
    draft = PartnerContractFactory()
    assert manager.post(f"{URL}{draft.pk}/renew/", {}, format="json").status_code == 400


def test_filters(manager):
    a = PartnerContractFactory(
        status=ContractStatus.ACTIVE, code="QD-A", fee_mode="percent", fee_value=Decimal("2.00")
    )
    PartnerContractFactory(fee_mode="per_unit")
    for query in ("status=active", f"partner={a.partner_id}", "q=QD-A", "fee_mode=percent"):
        rows = manager.get(f"{URL}?{query}").json()["results"]
        assert [row["id"] for row in rows] == [a.pk], query
    assert manager.get(f"{URL}?status=lost").status_code == 400


class TestContractList(PartnerScopedEndpointCase):
    url = "contract-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.PARTNER})
    query_roles = (Role.MANAGER, Role.PARTNER)

    def rows(self, n, user):
        """Expired contracts with their PDF, of the reader's partner (or some partner)."""
        partner = partner_for_user(user) or PartnerFactory()
        for _ in range(n):
            contract = PartnerContractFactory(partner=partner, status=ContractStatus.EXPIRED)
            contract.signed_pdf.save("x.pdf", ContentFile(PDF_BYTES))

    def foreign_row(self):
        return PartnerContractFactory().pk


# --- the daily job ----------------------------------------------------------------------------
@pytest.fixture
def managers_mailbox(db):
    from common.access import user_role_set

    boss = UserFactory(username="boss", email="boss@company.example")
    user_role_set(boss, Role.MANAGER)
    return boss


def _ending_in(days: int, **fields) -> PartnerContract:
    partner = PartnerFactory(contact_email="contact@partner.example")
    return PartnerContractFactory(
        partner=partner,
        status=ContractStatus.ACTIVE,
        end_on=local_today() + timedelta(days=days),
        **fields,
    )


def test_reminders_fire_once_per_threshold_however_often_the_job_runs(managers_mailbox, mailoutbox):
    today = local_today()
    contract = _ending_in(30)
    _ending_in(31)  # not yet due
    assert contract_expiry_reminders_run(today=today)["reminded"] == 1
    assert contract_expiry_reminders_run(today=today)["reminded"] == 0
    assert contract_expiry_reminders_run(today=today + timedelta(days=1))["reminded"] == 1  # the 31
    (mail, _other) = mailoutbox
    assert mail.to == ["contact@partner.example"]
    assert mail.bcc == ["boss@company.example"]
    assert contract.partner.name in mail.subject
    reminder = ContractReminder.objects.get(contract=contract)
    assert (reminder.threshold, reminder.recipients) == (
        30,
        ["contact@partner.example", "boss@company.example"],
    )

    mailoutbox.clear()
    week_before = contract.end_on - timedelta(days=7)
    for _ in range(2):
        contract_expiry_reminders_run(today=week_before)
    thresholds = contract.reminders.order_by("threshold").values_list("threshold", flat=True)
    assert list(thresholds) == [7, 30]
    assert len(mailoutbox) == 1  # the 31-day contract is 8 days out: nothing new for it
    assert ContractReminder.objects.count() == 3


def test_a_contract_activated_late_gets_only_the_nearest_reminder(mailoutbox):
    contract = _ending_in(5)
    contract_expiry_reminders_run(today=local_today())
    assert list(contract.reminders.values_list("threshold", flat=True)) == [7]
    assert len(mailoutbox) == 1


def test_a_failing_mail_is_retried_by_the_next_run(monkeypatch, mailoutbox):
    from partners.services import contracts as contract_services

    contract = _ending_in(7)

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(contract_services, "send_templated_mail", broken)
    assert contract_expiry_reminders_run(today=local_today())["reminded"] == 0
    assert not contract.reminders.exists()
    monkeypatch.undo()
    assert contract_expiry_reminders_run(today=local_today())["reminded"] == 1


def test_ended_contracts_expire_and_a_signed_renewal_takes_over(mailoutbox):
    today = local_today()
    old = _ending_in(-1, start_on=today - timedelta(days=365))
    renewal = PartnerContractFactory(
        partner=old.partner, previous=old, start_on=today, end_on=today + timedelta(days=364)
    )
    renewal.signed_pdf.save("signed.pdf", ContentFile(PDF_BYTES))
    unsigned_old = _ending_in(-3, start_on=today - timedelta(days=365))
    unsigned = PartnerContractFactory(
        partner=unsigned_old.partner, previous=unsigned_old, start_on=today - timedelta(days=2)
    )
    result = contract_expiry_reminders_run(today=today)
    assert result["expired"] == 2
    statuses = dict(PartnerContract.objects.values_list("pk", "status"))
    assert statuses[old.pk] == statuses[unsigned_old.pk] == ContractStatus.EXPIRED
    assert statuses[renewal.pk] == ContractStatus.ACTIVE
    assert statuses[unsigned.pk] == ContractStatus.DRAFT  # nobody signed it
    expired = AuditEntry.objects.filter(action="contract.expired")
    assert expired.count() == 2 and not expired.exclude(actor=None).exists()
    assert contract_expiry_reminders_run(today=today)["expired"] == 0


def test_the_task_runs_the_service_and_is_scheduled_daily_at_0730():
    contract = _ending_in(30)
    result = contract_expiry_reminders.apply(kwargs={"today": local_today().isoformat()}).get()
    assert result == {"expired": 0, "reminded": 1, "skipped": 0}
    assert contract.reminders.count() == 1
    entry = django_settings.CELERY_BEAT_SCHEDULE["partner-contract-expiry-reminders"]
    assert entry["task"] == "partners.tasks.contract_expiry_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=30)
    assert django_settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_resending_an_active_contracts_unchanged_clauses_is_not_a_change(manager):
    contract = PartnerContractFactory(status=ContractStatus.ACTIVE, fee_value=Decimal("1000"))
    same = {
        "fee_value": "1000.00",
        "end_on": contract.end_on.isoformat(),
        "scope": " 代理销售住宅 ",
    }
    response = manager.patch(f"{URL}{contract.pk}/", same, format="json")
    assert response.status_code == 200, response.content

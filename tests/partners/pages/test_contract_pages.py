"""Contracts on portal pages: the list (by partner, status, expiring within N days), drafting
and editing with the signed PDF, activation, termination and renewal through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.models import AuditEntry
from common.periods import local_today
from partners.choices import ContractStatus, PartnerStatus
from partners.models import PartnerContract
from tests.api_base import list_query_count
from tests.factories.org import PartnerFactory
from tests.factories.partners import PartnerContractFactory
from tests.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

CREATE = reverse("partners:contract-create")
LIST = reverse("partners:contract-list")


def pdf(name="signed.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def clauses(partner=None, **overrides) -> dict:
    today = local_today()
    data = {
        "code": "QD-2026-009",
        "fee_mode": "per_unit",
        "fee_value": "1200.00",
        "fee_milestone": "signing",
        "scope": "代理销售高层住宅",
        "sales_region": "河西区",
        "target_customers": "首置家庭",
        "start_on": today.isoformat(),
        "end_on": (today + timedelta(days=364)).isoformat(),
        "termination_conditions": "连续三月无成交",
        "obligations": "不得虚假宣传",
        "supervision": "月度考核",
        "fee_notes": "",
    }
    if partner is not None:
        data["partner"] = partner.pk
    return {**data, **overrides}


def detail(contract) -> str:
    return reverse("partners:contract-detail", args=[contract.pk])


def test_drafting_with_a_pdf_stores_what_the_service_stores(manager):
    partner = PartnerFactory(status=PartnerStatus.PROSPECT)
    response = manager.post(CREATE, {**clauses(partner), "signed_pdf": pdf()})
    assert response.status_code == 302, response.context and response.context["form"].errors
    contract = PartnerContract.objects.get()
    assert response["Location"] == detail(contract)
    assert (contract.partner, contract.status, contract.code) == (
        partner,
        ContractStatus.DRAFT,
        "QD-2026-009",
    )
    assert contract.fee_value == Decimal("1200.00")
    assert contract.scope == "代理销售高层住宅"
    assert contract.created_by == manager.user
    assert contract.signed_pdf.name.startswith(f"contracts/{partner.pk}/")
    assert contract.signed_pdf.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="contract.created").count() == 1
    page = manager.get(detail(contract)).content.decode()
    assert "CNY 1,200.00 per signed unit" in page
    download = manager.get(reverse("partners:contract-pdf", args=[contract.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_partner_is_preselected_from_the_link(manager):
    partner = PartnerFactory()
    form = manager.get(f"{CREATE}?partner={partner.pk}").context["form"]
    assert str(form["partner"].value()) == str(partner.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_on": (local_today() - timedelta(days=1)).isoformat()}, "end_on"),
        ({"fee_value": "0"}, "fee_value"),
        ({"fee_mode": "percent", "fee_value": "120"}, "fee_value"),
        ({"fee_value": "abc"}, "fee_value"),
        ({"start_on": "2026-02-30"}, "start_on"),
        ({"fee_mode": ""}, "fee_mode"),
        ({"partner": "987654"}, "partner"),
    ],
)
def test_bad_clauses_are_field_errors_and_store_nothing(manager, overrides, field):
    response = manager.post(CREATE, {**clauses(PartnerFactory()), **overrides})
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not PartnerContract.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        pdf("contract.docx", b"PK\x03\x04 word", "application/vnd.openxmlformats"),
        pdf("fake.pdf", b"not a pdf at all", "application/pdf"),  # named and typed, not a PDF
        pdf("empty.pdf", b"", "application/pdf"),
    ],
    ids=["word", "fake", "empty"],
)
def test_a_file_that_is_not_a_pdf_is_a_field_error(manager, upload):
    response = manager.post(CREATE, {**clauses(PartnerFactory()), "signed_pdf": upload})
    assert response.status_code == 400
    assert "signed_pdf" in response.context["form"].errors
    assert not PartnerContract.objects.exists()


def test_an_oversized_pdf_is_a_field_error(manager, settings):
    settings.PARTNER_CONTRACT_PDF_MAX_BYTES = 50
    response = manager.post(CREATE, {**clauses(PartnerFactory()), "signed_pdf": pdf()})
    assert response.status_code == 400
    assert "limit" in " ".join(response.context["form"].errors["signed_pdf"])
    assert not PartnerContract.objects.exists()


def test_a_terminated_partner_is_not_offered_and_gets_no_contract(manager):
    gone = PartnerFactory(status=PartnerStatus.TERMINATED)
    form = manager.get(CREATE).context["form"]
    assert gone not in form.fields["partner"].queryset
    response = manager.post(CREATE, clauses(gone))
    assert response.status_code == 400 and "partner" in response.context["form"].errors
    assert not PartnerContract.objects.exists()


def test_a_draft_is_edited_and_an_active_one_only_takes_its_pdf(manager):
    contract = PartnerContractFactory(code="D-1")
    edit = reverse("partners:contract-edit", args=[contract.pk])
    assert manager.get(edit).status_code == 200
    response = manager.post(edit, clauses(code="D-1", scope="新范围", fee_value="900"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.scope, contract.fee_value) == ("新范围", Decimal("900.00"))
    bad = manager.post(edit, clauses(code="D-1", end_on="2000-01-01"))
    assert bad.status_code == 400 and "end_on" in bad.context["form"].errors
    contract.refresh_from_db()
    assert contract.end_on != local_today().replace(year=2000)

    active = PartnerContractFactory(status=ContractStatus.ACTIVE)
    edit_active = reverse("partners:contract-edit", args=[active.pk])
    assert "scope" not in manager.get(edit_active).context["form"].fields
    missing = manager.post(edit_active, {})
    assert missing.status_code == 400 and "signed_pdf" in missing.context["form"].errors
    wrong = manager.post(edit_active, {"signed_pdf": pdf("a.txt", b"hello", "text/plain")})
    assert wrong.status_code == 400 and "signed_pdf" in wrong.context["form"].errors
    active.refresh_from_db()
    assert not active.signed_pdf
    assert manager.post(edit_active, {"signed_pdf": pdf()}).status_code == 302
    active.refresh_from_db()
    assert active.signed_pdf.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="contract.pdf_attached").count() == 1
    terminated = PartnerContractFactory(status=ContractStatus.TERMINATED)
    closed = reverse("partners:contract-edit", args=[terminated.pk])
    assert manager.get(closed).status_code == 404


def test_activation_makes_a_prospect_active_and_a_second_one_is_refused(manager):
    partner = PartnerFactory(status=PartnerStatus.PROSPECT)
    first, second = PartnerContractFactory.create_batch(2, partner=partner)
    activate = reverse("partners:contract-activate", args=[first.pk])
    assert manager.post(activate).status_code == 302
    first.refresh_from_db()
    partner.refresh_from_db()
    assert (first.status, partner.status) == (ContractStatus.ACTIVE, PartnerStatus.ACTIVE)
    refused = manager.post(reverse("partners:contract-activate", args=[second.pk]))
    assert refused.status_code == 400
    assert "already has an active contract" in refused.content.decode()
    second.refresh_from_db()
    assert second.status == ContractStatus.DRAFT
    again = manager.post(activate)
    assert again.status_code == 400 and "Only a draft can be activated" in again.content.decode()


def test_termination_needs_a_reason_and_a_date_not_before_the_start(manager):
    contract = PartnerContractFactory(status=ContractStatus.ACTIVE)
    terminate = reverse("partners:contract-terminate", args=[contract.pk])
    missing = manager.post(terminate, {"reason": "  "})
    assert missing.status_code == 400 and "reason" in missing.context["terminate_form"].errors
    early = (contract.start_on - timedelta(days=1)).isoformat()
    before = manager.post(terminate, {"reason": "违约", "terminated_on": early})
    assert before.status_code == 400
    assert "terminated_on" in before.context["terminate_form"].errors
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    today = local_today()
    done = manager.post(terminate, {"reason": "严重违约", "terminated_on": today.isoformat()})
    assert done.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on, contract.termination_reason) == (
        ContractStatus.TERMINATED,
        today,
        "严重违约",
    )
    twice = manager.post(terminate, {"reason": "再次"})
    assert twice.status_code == 400
    assert "Only an active contract can be terminated" in twice.content.decode()


def test_renewal_drafts_the_next_contract_and_only_once(manager):
    contract = PartnerContractFactory(status=ContractStatus.ACTIVE, code="R-1")
    renew = reverse("partners:contract-renew", args=[contract.pk])
    response = manager.post(renew, {})
    renewal = PartnerContract.objects.get(previous=contract)
    assert response.status_code == 302 and response["Location"] == detail(renewal)
    assert renewal.status == ContractStatus.DRAFT
    assert renewal.start_on == contract.end_on + timedelta(days=1)
    assert renewal.scope == contract.scope
    again = manager.post(renew, {})
    assert again.status_code == 400 and "already has a renewal" in again.content.decode()
    bad_dates = PartnerContractFactory(status=ContractStatus.ACTIVE)
    url = reverse("partners:contract-renew", args=[bad_dates.pk])
    bad = manager.post(url, {"start_on": "2031-01-01", "end_on": "2030-01-01"})
    assert bad.status_code == 400 and "end_on" in bad.context["renew_form"].errors
    assert not PartnerContract.objects.filter(previous=bad_dates).exists()


def test_the_list_filters_by_partner_status_and_expiry(manager):
    today = local_today()
    mine = PartnerFactory(name="甲方")
    soon = PartnerContractFactory(
        partner=mine, status=ContractStatus.ACTIVE, end_on=today + timedelta(days=10)
    )
    later = PartnerContractFactory(status=ContractStatus.ACTIVE, end_on=today + timedelta(days=90))
    draft = PartnerContractFactory(partner=mine, end_on=today + timedelta(days=5))

    def rows(**query):
        response = manager.get(LIST, query)
        assert response.status_code == 200
        return {row.record.pk for row in response.context["listing"].table.paginated_rows}

    assert rows() == {soon.pk, later.pk, draft.pk}
    assert rows(partner=mine.pk) == {soon.pk, draft.pk}
    assert rows(status="draft") == {draft.pk}
    assert rows(expires_within=30) == {soon.pk}  # active ones only
    assert rows(expires_within=120) == {soon.pk, later.pk}
    bad = manager.get(LIST, {"expires_within": "-3"})
    assert "expires_within" in bad.context["listing"].filterset.errors
    assert rows(expires_within="-3") == set()
    export = manager.get(LIST, {"partner": mine.pk, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_filters_expiring_contracts_alike(client_as):
    today = local_today()
    soon = PartnerContractFactory(status=ContractStatus.ACTIVE, end_on=today + timedelta(days=3))
    PartnerContractFactory(status=ContractStatus.ACTIVE, end_on=today + timedelta(days=60))
    body = client_as("manager").get("/api/v1/contracts/", {"expires_within": 7}).json()
    assert [row["id"] for row in body["results"]] == [soon.pk]


def test_the_list_query_count_does_not_grow_with_rows(manager):
    def add(n):
        for _ in range(n):
            contract = PartnerContractFactory(status=ContractStatus.ACTIVE)
            contract.signed_pdf.save("x.pdf", ContentFile(PDF_BYTES))

    add(2)
    few = list_query_count(manager, LIST)
    add(20)
    assert list_query_count(manager, LIST) == few
    assert list_query_count(manager, f"{LIST}?expires_within=400&sort=partner") <= few + 1

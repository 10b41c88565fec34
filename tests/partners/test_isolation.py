"""A partner user never reaches another partner's data: not by list, detail, filter, search,
count, write or error message. Objects that exist but are not theirs answer 404."""

import pytest
from django.core.files.base import ContentFile

from common.roles import Role
from partners.choices import ContractStatus
from partners.models import Partner, PartnerApplication, PartnerContract, TrainingAttendance
from tests.factories.org import PartnerFactory
from tests.factories.partners import (
    PartnerApplicationFactory,
    PartnerContractFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
)
from tests.partners.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client_as):
    a, b = PartnerFactory(name="甲方渠道"), PartnerFactory(name="乙方渠道")
    contract_a = PartnerContractFactory(partner=a, status=ContractStatus.ACTIVE)
    PartnerContractFactory(partner=a, status=ContractStatus.DRAFT)  # A's draft: internal
    contract_b = PartnerContractFactory(partner=b, status=ContractStatus.ACTIVE, code="B-001")
    contract_b.signed_pdf.save("b.pdf", ContentFile(PDF_BYTES))
    only_b = TrainingSessionFactory(title="乙方专场")
    TrainingAttendanceFactory(session=only_b, partner=b, attended=True, score=90)
    shared = TrainingSessionFactory(title="联合培训")
    TrainingAttendanceFactory(session=shared, partner=a)
    TrainingAttendanceFactory(session=shared, partner=b, attended=True, score=77)
    application = PartnerApplicationFactory(company_name="乙方渠道")
    return {
        "client": client_as(Role.PARTNER, partner=a),
        "a": a,
        "b": b,
        "contract_a": contract_a,
        "contract_b": contract_b,
        "only_b": only_b,
        "shared": shared,
        "application": application,
    }


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_partner_list_detail_filter_and_writes(world):
    client, a, b = world["client"], world["a"], world["b"]
    body = client.get("/api/v1/partners/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == a.pk
    assert client.get(f"/api/v1/partners/{b.pk}/").status_code == 404
    assert client.get("/api/v1/partners/?q=乙方").json()["count"] == 0
    assert client.get(f"/api/v1/partners/?q={b.credit_code}").json()["count"] == 0
    assert (
        client.patch(f"/api/v1/partners/{b.pk}/", {"name": "X"}, format="json").status_code == 404
    )
    assert (
        client.put(
            f"/api/v1/partners/{b.pk}/", {"name": "X", "kind": "agency"}, format="json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/partners/{b.pk}/").status_code == 404
    invite = client.post(f"/api/v1/partners/{b.pk}/invite/", {"email": "x@example.com"})
    assert invite.status_code == 404
    # Their own partner is readable but not writable: a plain refusal, nothing else.
    assert (
        client.patch(f"/api/v1/partners/{a.pk}/", {"name": "X"}, format="json").status_code == 403
    )
    assert client.post("/api/v1/partners/", {"name": "X", "kind": "agency"}).status_code == 403
    assert Partner.objects.filter(name="X").count() == 0
    b.refresh_from_db()
    assert b.name == "乙方渠道"


def test_a_missing_id_and_another_partners_id_answer_alike(world):
    client = world["client"]
    theirs = {
        "partners": world["b"].pk,
        "contracts": world["contract_b"].pk,
        "trainings": world["only_b"].pk,
        "partner-applications": world["application"].pk,
    }
    for resource, pk in theirs.items():
        existing = client.get(f"/api/v1/{resource}/{pk}/")
        missing = client.get(f"/api/v1/{resource}/987654/")
        assert existing.status_code == missing.status_code == 404, resource
        assert existing.json() == missing.json()


def test_contracts(world):
    client, b, contract_b = world["client"], world["b"], world["contract_b"]
    rows = _rows(client.get("/api/v1/contracts/"))
    assert [row["id"] for row in rows] == [world["contract_a"].pk]  # no drafts, no B
    for query in (f"partner={b.pk}", "q=B-001", "q=乙方", "status=active&partner=" + str(b.pk)):
        assert client.get(f"/api/v1/contracts/?{query}").json()["count"] == 0, query
    assert (
        client.get(f"/api/v1/contracts/?partner={b.pk}").json()
        == client.get("/api/v1/contracts/?partner=987654").json()
    )
    base = f"/api/v1/contracts/{contract_b.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}pdf/").status_code == 404
    assert client.patch(base, {"scope": "X"}, format="json").status_code == 404
    assert client.delete(base).status_code == 404
    for action in ("activate", "terminate", "renew"):
        assert client.post(f"{base}{action}/", {"reason": "x"}).status_code == 404, action
    contract_b.refresh_from_db()
    assert (contract_b.status, contract_b.scope) == (ContractStatus.ACTIVE, "代理销售住宅")
    assert PartnerContract.objects.filter(partner=b).count() == 1


def test_a_partner_reads_its_own_contract_and_pdf_but_changes_nothing(world):
    client, contract_a = world["client"], world["contract_a"]
    contract_a.signed_pdf.save("a.pdf", ContentFile(PDF_BYTES))
    base = f"/api/v1/contracts/{contract_a.pk}/"
    assert client.get(base).json()["has_signed_pdf"] is True
    download = client.get(f"{base}pdf/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.post(f"{base}terminate/", {"reason": "x"}).status_code == 403
    assert client.patch(base, {"scope": "X"}, format="json").status_code == 403


def test_trainings(world):
    client, a, b = world["client"], world["a"], world["b"]
    rows = _rows(client.get("/api/v1/trainings/"))
    assert [row["id"] for row in rows] == [world["shared"].pk]
    (shared,) = rows
    assert [(row["partner"], row["attended"], row["score"]) for row in shared["attendances"]] == [
        (a.pk, False, None)
    ]
    assert client.get(f"/api/v1/trainings/{world['only_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/trainings/?partner={b.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/trainings/?partner={a.pk}").json()["count"] == 1
    assert client.get("/api/v1/trainings/?q=乙方专场").json()["count"] == 0
    only_b = f"/api/v1/trainings/{world['only_b'].pk}/"
    record = {"partner": b.pk, "attended": False}
    assert client.post(f"{only_b}attendance/", record, format="json").status_code == 404
    assert client.delete(only_b).status_code == 404
    shared_url = f"/api/v1/trainings/{world['shared'].pk}/"
    assert client.post(f"{shared_url}attendance/", record, format="json").status_code == 403
    assert client.post(f"{shared_url}invite/", {"partners": [a.pk]}).status_code == 403
    assert TrainingAttendance.objects.get(session=world["only_b"], partner=b).score == 90


def test_applications(world):
    client, application = world["client"], world["application"]
    assert client.get("/api/v1/partner-applications/").status_code == 403
    base = f"/api/v1/partner-applications/{application.pk}/"
    assert client.get(base).status_code == 404
    scores = {"score_region": 5, "score_track_record": 5, "score_reputation": 5}
    assert client.post(f"{base}screen/", scores, format="json").status_code == 404
    assert client.post(f"{base}approve/", {}, format="json").status_code == 404
    assert client.post(f"{base}reject/", {"reason": "x"}, format="json").status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not PartnerApplication.objects.exclude(status="submitted").exists()


def test_the_pipeline_board_is_closed_to_partner_users(world):
    from django.test import Client

    browser = Client()
    browser.force_login(world["client"].user)
    assert browser.get("/partners/applications/").status_code == 403

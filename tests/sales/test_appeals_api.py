"""Appeals (申诉) over the API: a partner files one with evidence, a supervisor comments, a
manager decides once; the attribution moves (audited) only when upheld; the appellant reads the
decision and never the other channel's identity; evidence is sniffed, limited and private."""

from pathlib import Path

import pytest
from django.urls import reverse

from common.models import AuditEntry
from common.roles import Role
from sales.models import Appeal, AppealEvidence, AttributionOverride
from sales.services.customers import registration_create
from tests.api_base import assert_constant_list_queries
from tests.sales.appeal_world import (
    HOLDER_PHONE,
    JPEG_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    appeal_world,
    pdf,
    png,
    upload,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/appeals/"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):
    return appeal_world()


def api_for(client_as, user, role):
    client = client_as(role, user=user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def file_appeal(client, world, **extra):
    body = {
        "project": world.project.pk,
        "customer_phone": HOLDER_PHONE,
        "reason": "我们先带客户看过样板间，有聊天记录",
        "subject": "refused",
        "evidence": [png(), pdf()],
        **extra,
    }
    return client.post(URL, body, format="multipart")


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_a_partners_appeal_is_commented_upheld_and_moves_the_attribution_audited(client_as, world):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    refused = partner.post(
        "/api/v1/registrations/",
        {"project": world.project.pk, "customer_name": "赵客户", "customer_phone": HOLDER_PHONE},
        format="json",
    )
    assert refused.status_code == 400  # 撞单: the partner appeals

    filed = file_appeal(partner, world)
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["status"] == "open" and body["partner"] == world.partner.pk
    assert body["customer_phone"] == "139****1111"
    assert [e["content_type"] for e in body["evidence"]] == ["image/png", "application/pdf"]
    assert "comments" not in body and "customer" not in body
    appeal = Appeal.objects.get()
    assert (appeal.customer, appeal.appellant, appeal.subject) == (
        world.customer,
        world.partner_user,
        "refused",
    )

    supervisor = api_for(client_as, world.supervisor, Role.SUPERVISOR)
    commented = supervisor.post(
        f"{URL}{appeal.pk}/comment/", {"text": "带看记录属实"}, format="json"
    )
    assert commented.status_code == 201, commented.content
    assert [c["text"] for c in commented.json()["comments"]] == ["带看记录属实"]
    assert supervisor.post(f"{URL}{appeal.pk}/uphold/", {}, format="json").status_code == 403

    manager = api_for(client_as, world.manager, Role.MANAGER)
    upheld = manager.post(f"{URL}{appeal.pk}/uphold/", {"note": "证据充分"}, format="json")
    assert upheld.status_code == 200, upheld.content
    assert upheld.json()["status"] == "upheld"
    world.customer.refresh_from_db()
    assert (world.customer.owner_partner, world.customer.owner_marketer) == (world.partner, None)
    override = AttributionOverride.objects.get(customer=world.customer)
    assert override.actor == world.manager
    assert override.before["marketer"] == world.holder.staff.pk
    assert override.after["partner"] == world.partner.pk
    assert f"#{appeal.pk}" in override.reason and "证据充分" in override.reason
    appeal.refresh_from_db()
    assert appeal.override == override and appeal.decided_by == world.manager
    assert AuditEntry.objects.filter(action="appeal.upheld", object_id=appeal.pk).exists()

    seen = partner.get(f"{URL}{appeal.pk}/")
    assert seen.status_code == 200
    assert (seen.json()["status"], seen.json()["decision_note"]) == ("upheld", "证据充分")
    assert seen.json()["decided_at"]
    text = seen.content.decode()
    assert "王行销" not in text and "带看记录属实" not in text and HOLDER_PHONE not in text

    again = manager.post(f"{URL}{appeal.pk}/reject/", {"note": "再议"}, format="json")
    assert again.status_code == 400
    assert "already decided" in again.json()["detail"]
    twice = manager.post(f"{URL}{appeal.pk}/uphold/", {}, format="json")
    assert twice.status_code == 400
    assert AttributionOverride.objects.count() == 1
    late = supervisor.post(f"{URL}{appeal.pk}/comment/", {"text": "x"}, format="json")
    assert late.status_code == 400


def test_a_rejected_appeal_keeps_the_attribution_and_needs_a_note(client_as, world):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    appeal_id = file_appeal(partner, world).json()["id"]
    manager = api_for(client_as, world.manager, Role.MANAGER)
    no_note = manager.post(f"{URL}{appeal_id}/reject/", {"note": " "}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    rejected = manager.post(f"{URL}{appeal_id}/reject/", {"note": "报备在先"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    world.customer.refresh_from_db()
    assert world.customer.owner_marketer == world.holder.staff
    assert not AttributionOverride.objects.exists()
    assert partner.get(f"{URL}{appeal_id}/").json()["decision_note"] == "报备在先"


def test_the_customers_timeline_lists_the_appeal_and_a_partner_sees_only_its_own(client_as, world):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    appeal_id = file_appeal(partner, world).json()["id"]
    manager = api_for(client_as, world.manager, Role.MANAGER)
    manager.post(f"{URL}{appeal_id}/uphold/", {"note": "成立"}, format="json")
    timeline = manager.get(f"/api/v1/customers/{world.customer.pk}/timeline/").json()
    kinds = [event["kind"] for event in timeline]
    assert "appeal" in kinds and "appeal_decided" in kinds
    mine = partner.get(f"/api/v1/customers/{world.customer.pk}/timeline/")
    assert mine.status_code == 200  # upheld: now the partner's customer
    assert [e["kind"] for e in mine.json()].count("appeal") == 1
    assert "王行销" not in mine.content.decode()


def test_a_marketer_files_for_himself_and_an_owner_cannot_appeal_his_own(client_as, world):
    other = api_for(client_as, _marketer(world), Role.MARKETER)
    filed = file_appeal(other, world, evidence=[upload("a.jpg", JPEG_BYTES, "image/jpeg")])
    assert filed.status_code == 201, filed.content
    assert filed.json()["marketer"] == other.user.staff.pk
    assert filed.json()["customer_phone"] == HOLDER_PHONE
    again = file_appeal(other, world)
    assert again.status_code == 400 and "open appeal" in again.json()["detail"]
    holder = api_for(client_as, world.holder, Role.MARKETER)
    own = file_appeal(holder, world)
    assert own.status_code == 400 and "already attributed to you" in own.json()["detail"]


def _marketer(world):
    from tests.helpers import login_create

    return login_create(Role.MARKETER, team=world.team, name="李行销")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("notes.txt", b"just some text", "text/plain", "is not an image"),
        ("notes.png", b"just some text, named .png", "image/png", "is not an image"),
        ("contract.png", b"%PDF-1.4\n%%EOF\n", "image/png", "does not match its content"),
        ("photo.pdf", PNG_BYTES, "application/pdf", "does not match its content"),
        ("noext", WEBP_BYTES, "image/webp", "does not match its content"),
        ("empty.png", b"", "image/png", "is empty"),
    ],
)
def test_evidence_of_the_wrong_type_or_renamed_is_refused_and_nothing_is_stored(
    client_as, world, private_media, name, content, content_type, message
):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    response = file_appeal(partner, world, evidence=[png(), upload(name, content, content_type)])
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]["evidence"]
    assert any(message in error for error in errors), errors
    assert not Appeal.objects.exists() and not AppealEvidence.objects.exists()
    assert stored_files(private_media) == []


def test_an_appeal_that_fails_after_its_files_were_written_leaves_no_files(
    client_as, world, private_media, monkeypatch
):
    """The files are written before the appeal's transaction ends: when it fails after them,
    they go too, not left in storage with no row pointing at them."""
    import sales.services.appeals

    def fail(**kwargs):
        raise RuntimeError("the notice could not be written")

    monkeypatch.setattr(sales.services.appeals, "appeal_filed_notify", fail)
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    with pytest.raises(RuntimeError):
        file_appeal(partner, world)
    assert stored_files(private_media) == []


def test_evidence_over_5_mb_too_many_files_or_none_is_refused(client_as, world, private_media):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    big = upload("big.png", PNG_BYTES + b"\x00" * (5 * 1024 * 1024))
    too_big = file_appeal(partner, world, evidence=[big])
    assert too_big.status_code == 400
    assert "limit is 5 MB" in too_big.json()["errors"]["evidence"][0]
    many = file_appeal(partner, world, evidence=[png(f"{n}.png") for n in range(10)])
    assert many.status_code == 400 and "at most 9" in many.json()["errors"]["evidence"][0]
    none = file_appeal(partner, world, evidence=[])
    assert none.status_code == 400 and "evidence" in none.json()["errors"]
    assert not Appeal.objects.exists() and stored_files(private_media) == []


def test_bad_input_answers_field_level_400s(client_as, world):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    cases = {
        "customer_phone": {"customer_phone": "12345"},
        "reason": {"reason": "   "},
        "project": {"project": 987654},
        "visit": {"visit": 987654, "customer_phone": ""},
        "registration": {"registration": "x"},
    }
    for field, extra in cases.items():
        response = file_appeal(partner, world, **extra)
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["errors"], (field, response.json())
    unknown = file_appeal(partner, world, customer_phone="13700000000")
    assert unknown.status_code == 400 and "customer_phone" in unknown.json()["errors"]
    assert not Appeal.objects.exists()


def test_evidence_is_stored_privately_and_served_only_to_the_appellant_and_the_office(
    client_as, world, private_media
):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    body = file_appeal(partner, world).json()
    evidence = AppealEvidence.objects.get(pk=body["evidence"][0]["id"])
    assert evidence.file.name.startswith(f"appeals/{body['id']}/")
    assert evidence.file.name.endswith(".png") and "chat" not in evidence.file.name
    assert (private_media / evidence.file.name).read_bytes() == PNG_BYTES
    url = body["evidence"][0]["url"]
    assert url == reverse("appeal-evidence-detail", args=[evidence.pk])
    for role, user in (
        (Role.PARTNER, world.partner_user),
        (Role.MANAGER, world.manager),
        (Role.SUPERVISOR, world.supervisor),
    ):
        response = api_for(client_as, user, role).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG_BYTES
    for role, user in (
        (Role.PARTNER, world.other_partner_user),
        (Role.MARKETER, world.holder),
        (Role.SECRETARY, world.secretary),
    ):
        response = api_for(client_as, user, role).get(url)
        assert response.status_code in (403, 404), role
        assert b"PNG" not in response.content
    stranger = api_for(client_as, world.other_partner_user, Role.PARTNER)
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{URL}{body['id']}/").status_code == 404
    assert stranger.get(URL).json()["count"] == 0


def test_a_supervisor_of_another_project_sees_no_appeal(client_as, world):
    from tests.helpers import login_create

    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    appeal_id = file_appeal(partner, world).json()["id"]
    elsewhere = login_create(Role.SUPERVISOR)
    client = api_for(client_as, elsewhere, Role.SUPERVISOR)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{appeal_id}/").status_code == 404
    assert (
        client.post(f"{URL}{appeal_id}/comment/", {"text": "x"}, format="json").status_code == 404
    )


def test_filters_find_by_status_project_channel_kind_and_search(client_as, world):
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    file_appeal(partner, world)
    manager = api_for(client_as, world.manager, Role.MANAGER)

    def count(**params):
        response = manager.get(URL, params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count(status="open") == 1 and count(status="upheld") == 0
    assert count(project=world.project.pk) == 1 and count(project=987654) == 0
    assert count(channel_kind="partner") == 1 and count(channel_kind="marketer") == 0
    assert count(q="1111") == 1 and count(q="甲方") == 1 and count(q="赵客户") == 1
    assert count(q="nothing-like-it") == 0
    assert manager.get(URL, {"status": "nope"}).status_code == 400
    # A channel's search never reaches the customer's name (it may not hold the customer).
    assert partner.get(URL, {"q": "赵客户"}).json()["count"] == 0


def test_roles_that_do_not_handle_appeals_are_refused(client_as, world):
    for role in (Role.SECRETARY, Role.CONSULTANT):
        assert client_as(role).get(URL).status_code == 403
    manager = api_for(client_as, world.manager, Role.MANAGER)
    assert file_appeal(manager, world).status_code == 403


def test_the_appeal_list_makes_a_constant_number_of_queries(client_as, world):
    manager = api_for(client_as, world.manager, Role.MANAGER)
    partner = api_for(client_as, world.partner_user, Role.PARTNER)
    made = []

    def add_rows(n):
        from sales.services.appeals import appeal_comment
        from tests.helpers import login_create

        for _ in range(n):
            user = login_create(Role.MARKETER, team=world.team)
            client = api_for(client_as, user, Role.MARKETER)
            appeal_id = file_appeal(client, world).json()["id"]
            appeal_comment(
                actor=world.supervisor, appeal=Appeal.objects.get(pk=appeal_id), text="看过"
            )
            made.append(appeal_id)

    assert_constant_list_queries(manager, URL, add_rows)
    phones = iter(f"1390000{n:04d}" for n in range(2000, 2100))

    def add_partner_rows(n):
        for _ in range(n):
            phone = next(phones)
            registration_create(
                actor=world.holder, project=world.project, customer_name="客", customer_phone=phone
            )
            assert file_appeal(partner, world, customer_phone=phone).status_code == 201

    assert_constant_list_queries(partner, URL, add_partner_rows)
    assert partner.get(URL).json()["count"] == 22


def test_another_marketers_appeal_and_its_evidence_answer_404(client_as, world):
    mine = api_for(client_as, _marketer(world), Role.MARKETER)
    body = file_appeal(mine, world).json()
    other = api_for(client_as, world.holder, Role.MARKETER)
    for url in (f"{URL}{body['id']}/", body["evidence"][0]["url"]):
        assert other.get(url).status_code == 404, url
    assert other.get(f"{URL}{body['id']}/").json() == other.get(f"{URL}987654/").json()
    assert other.get(URL).json()["count"] == 0
    assert "李行销" not in other.get(URL).content.decode()

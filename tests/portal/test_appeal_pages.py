"""Appeal (申诉) pages: a channel files from a refused registration or a record it sees and
follows its appeals; the office's queue filters and the decision screen decides once; nobody
reads another channel's appeal, evidence or identity."""

import re

import pytest
from django.urls import reverse

from common.roles import Role
from sales.models import Appeal, AppealEvidence, AttributionOverride
from sales.services.appeals import appeal_file
from tests.helpers import browser_for, login_create
from tests.sales.appeal_world import HOLDER_PHONE, appeal_world, pdf, png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return appeal_world()


def _file(world, user=None, **extra):
    return appeal_file(
        actor=user or world.partner_user,
        project=world.project,
        customer_phone=HOLDER_PHONE,
        reason="先带看",
        evidence=[png()],
        **extra,
    )


def test_a_refused_registration_offers_an_appeal_prefilled_and_the_partner_files_it(world):
    browser = browser_for(world.partner_user)
    refused = browser.post(
        reverse("portal:register"),
        {"project": world.project.pk, "customer_name": "赵客户", "phone": HOLDER_PHONE},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-testid="appeal-offer-link"' in page and "王行销" not in page
    link = re.search(r'href="([^"]*appeals/new/[^"]*)"', page).group(1).replace("&amp;", "&")
    form = browser.get(link)
    assert form.status_code == 200
    assert form.context["form"].initial["customer_phone"] == HOLDER_PHONE
    assert form.context["form"].initial["subject"] == "refused"
    filed = browser.post(
        link,
        {
            "project": world.project.pk,
            "customer_phone": HOLDER_PHONE,
            "subject": "refused",
            "reason": "我们三天前带看过",
            "evidence": [png(), pdf()],
        },
    )
    appeal = Appeal.objects.get()
    assert filed.status_code == 302
    assert filed["Location"] == reverse("portal:appeal-detail", args=[appeal.pk])
    assert (appeal.partner, appeal.subject, appeal.evidence.count()) == (
        world.partner,
        "refused",
        2,
    )
    listed = browser.get(reverse("portal:appeals")).content.decode()
    assert "139****1111" in listed and HOLDER_PHONE not in listed and "王行销" not in listed
    detail = browser.get(reverse("portal:appeal-detail", args=[appeal.pk])).content.decode()
    assert "我们三天前带看过" in detail and "Waiting for a channel manager" in detail
    evidence = appeal.evidence.first()
    download = browser.get(reverse("portal:appeal-evidence", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_a_renamed_file_on_the_page_is_a_field_error_and_nothing_is_stored(world):
    browser = browser_for(world.partner_user)
    response = browser.post(
        reverse("portal:appeal-new"),
        {
            "project": world.project.pk,
            "customer_phone": HOLDER_PHONE,
            "reason": "x",
            "evidence": [upload("photo.png", b"%PDF-1.4\n", "image/png")],
        },
    )
    assert response.status_code == 400
    assert "does not match its content" in response.context["form"].errors["evidence"][0]
    assert not Appeal.objects.exists() and not AppealEvidence.objects.exists()


def test_a_marketer_appeals_a_visit_credited_elsewhere_from_its_page(world, client_as):
    from django.utils import timezone

    from sales.services.visits import visit_record

    other = login_create(Role.MARKETER, team=world.team, name="李行销")
    visit = visit_record(
        actor=world.secretary,
        project=world.project,
        customer_name="赵客户",
        customer_phone=HOLDER_PHONE,
        visited_at=timezone.now(),
        property_type="high_rise",
        marketer=other.staff,
        status="confirmed",
    )
    browser = browser_for(other)
    page = browser.get(reverse("marketer:visit", args=[visit.pk])).content.decode()
    assert f"appeals/new/?visit={visit.pk}" in page
    filed = browser.post(
        f"{reverse('marketer:appeal-new')}?visit={visit.pk}",
        {"visit": visit.pk, "subject": "visit", "reason": "我带来的", "evidence": [png()]},
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert (appeal.visit, appeal.marketer, appeal.customer) == (
        visit,
        other.staff,
        world.customer,
    )
    mine = browser.get(reverse("marketer:appeals"))
    assert mine.context["page"].paginator.count == 1
    # The holder, another marketer, reads nothing of it.
    holder = browser_for(world.holder)
    assert holder.get(reverse("marketer:appeal-detail", args=[appeal.pk])).status_code == 404
    evidence = appeal.evidence.get()
    assert holder.get(reverse("marketer:appeal-evidence", args=[evidence.pk])).status_code == 404
    assert holder.get(reverse("marketer:appeals")).context["page"].paginator.count == 0


def test_another_partner_gets_404_on_the_appeal_and_its_evidence(world):
    appeal = _file(world)
    evidence = appeal.evidence.get()
    stranger = browser_for(world.other_partner_user)
    for name, pk in (("portal:appeal-detail", appeal.pk), ("portal:appeal-evidence", evidence.pk)):
        mine, missing = (stranger.get(reverse(name, args=[value])) for value in (pk, 987654))
        assert mine.status_code == missing.status_code == 404
        assert "甲方" not in mine.content.decode()
    assert stranger.get(reverse("portal:appeals")).context["page"].paginator.count == 0


def test_the_queue_filters_and_searches_and_channels_cannot_open_it(world):
    _file(world)
    other = login_create(Role.MARKETER, team=world.team, name="李行销")
    _file(world, user=other)
    manager = browser_for(world.manager)
    queue = reverse("sales:appeal-queue")

    def rows(**params):
        response = manager.get(queue, params)
        assert response.status_code == 200
        return response.context["listing"].rows.count()

    assert rows() == 2 and rows(channel_kind="partner") == 1 and rows(channel_kind="marketer") == 1
    assert rows(status="open") == 2 and rows(status="rejected") == 0
    assert rows(q="李行销") == 1 and rows(q="赵客户") == 2 and rows(project=world.project.pk) == 2
    assert "甲方渠道 (partner)" in manager.get(queue).content.decode()
    for user in (world.partner_user, world.holder, world.secretary):
        assert browser_for(user).get(queue).status_code == 403


def test_the_decision_screen_shows_both_sides_and_a_manager_upholds_once(world):
    appeal = _file(world)
    supervisor = browser_for(world.supervisor)
    page = supervisor.get(reverse("sales:appeal-detail", args=[appeal.pk]))
    assert page.status_code == 200
    assert [e.kind for e in [i["event"] for i in page.context["owner_events"]]][:2] == [
        "registration",
        "visit",
    ]
    assert [i["event"].kind for i in page.context["appellant_events"]] == ["appeal"]
    assert 'data-testid="uphold-submit"' not in page.content.decode()  # supervisors comment
    commented = supervisor.post(reverse("sales:appeal-comment", args=[appeal.pk]), {"text": "属实"})
    assert commented.status_code == 302
    assert supervisor.post(reverse("sales:appeal-uphold", args=[appeal.pk])).status_code == 403

    manager = browser_for(world.manager)
    shown = manager.get(reverse("sales:appeal-detail", args=[appeal.pk])).content.decode()
    assert "属实" in shown and "王行销" in shown and 'data-testid="uphold-submit"' in shown
    no_note = manager.post(reverse("sales:appeal-reject", args=[appeal.pk]), {"note": ""})
    assert no_note.status_code == 400
    assert no_note.context["decision_form"].errors["note"]
    upheld = manager.post(reverse("sales:appeal-uphold", args=[appeal.pk]), {"note": "成立"})
    assert upheld.status_code == 302
    world.customer.refresh_from_db()
    assert world.customer.owner_partner == world.partner
    again = manager.post(reverse("sales:appeal-reject", args=[appeal.pk]), {"note": "再议"})
    assert again.status_code == 400 and "already decided" in again.content.decode()
    assert AttributionOverride.objects.count() == 1
    seen = browser_for(world.partner_user).get(reverse("portal:appeal-detail", args=[appeal.pk]))
    text = seen.content.decode()
    assert "成立" in text and "now attributed to you" in text
    assert "属实" not in text and "王行销" not in text


def test_the_menus_name_the_appeal_pages_for_whom_may_open_them(world):
    for user, page, testid in (
        (world.partner_user, "portal:dashboard", "nav-portal-appeals"),
        (world.holder, "marketer:home", "nav-marketer-appeals"),
        (world.manager, "sales:appeal-queue", "nav-appeals"),
        (world.supervisor, "sales:appeal-queue", "nav-appeals"),
    ):
        response = browser_for(user).get(reverse(page))
        assert f'data-testid="{testid}"' in response.content.decode(), testid
    office = browser_for(world.secretary).get(reverse("sales:visits-today")).content.decode()
    assert 'data-testid="nav-appeals"' not in office


def test_the_queue_page_makes_a_constant_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = browser_for(world.manager)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(reverse("sales:appeal-queue")).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            _file(world, user=login_create(Role.MARKETER, team=world.team))

    add(2)
    few = queries()
    add(10)
    assert queries() == few

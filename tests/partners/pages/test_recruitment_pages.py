"""Recruitment decisions on portal pages: the board links to an application's page, which
screens on the three weighted criteria, approves (partner + invitation) and rejects with a
reason — all through the services, whose refusals show on the page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from common.models import AuditEntry
from common.roles import Role
from partners.choices import ApplicationStatus, PartnerStatus
from partners.models import Partner, PartnerApplication, PartnerInvite, RecruitmentCriteria
from partners.selectors import recruitment_criteria_get
from partners.services import screening_result
from tests.factories.partners import PartnerApplicationFactory

pytestmark = pytest.mark.django_db

SCORES = {"score_region": "4", "score_track_record": "3", "score_reputation": "5"}


def url(name: str, application) -> str:
    return reverse(f"partners:{name}", args=[application.pk])


def test_the_board_links_each_card_to_its_portal_page_not_the_admin(manager):
    application = PartnerApplicationFactory()
    html = manager.get(reverse("partners:application-board")).content.decode()
    assert url("application-detail", application) in html
    assert "/admin/" not in html.split('data-testid="board"')[1]
    page = manager.get(url("application-detail", application))
    assert page.status_code == 200
    assert application.company_name in page.content.decode()
    assert 'data-testid="screen-form"' in page.content.decode()


def test_screening_stores_what_the_service_computes_and_shows_it(manager):
    criteria = recruitment_criteria_get()
    criteria.region_weight, criteria.track_record_weight = Decimal("50"), Decimal("20")
    criteria.save()
    application = PartnerApplicationFactory()
    response = manager.post(url("application-screen", application), {**SCORES, "notes": " 实地 "})
    assert response.status_code == 302
    application.refresh_from_db()
    expected, passed = screening_result(criteria=criteria, region=4, track_record=3, reputation=5)
    assert (application.weighted_score, application.is_passed) == (expected, passed)
    assert expected == Decimal("4.10")  # (4×50 + 3×20 + 5×30) / 100
    assert application.status == ApplicationStatus.SCREENING
    assert application.screening_notes == "实地"
    assert application.reviewer == manager.user
    page = manager.get(url("application-detail", application)).content.decode()
    assert "4.10" in page and 'data-testid="screening-passed"' in page
    assert 'data-testid="approve-form"' in page
    reviewer = manager.user
    assert f"Screened by {reviewer.staff.name} on" in page  # the name, not the login name
    assert f"Screened by {reviewer.get_username()}" not in page


def test_a_failed_screening_is_shown_and_cannot_be_approved(manager):
    application = PartnerApplicationFactory()
    manager.post(
        url("application-screen", application),
        {"score_region": "1", "score_track_record": "5", "score_reputation": "5"},
    )
    application.refresh_from_db()
    assert application.is_passed is False  # 1 is below the minimum score on one criterion
    page = manager.get(url("application-detail", application)).content.decode()
    assert 'data-testid="screening-failed"' in page
    assert 'data-testid="approve-form"' not in page
    refused = manager.post(url("application-approve", application), {})
    assert refused.status_code == 400
    assert "did not pass screening" in refused.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [
        {"score_region": "4", "score_track_record": "3"},  # one criterion missing
        {**SCORES, "score_reputation": "6"},
        {**SCORES, "score_region": "x"},
    ],
)
def test_bad_scores_are_field_errors_and_store_nothing(manager, scores):
    application = PartnerApplicationFactory()
    response = manager.post(url("application-screen", application), scores)
    assert response.status_code == 400
    form = response.context["screen_form"]
    assert set(form.errors) & {"score_region", "score_reputation"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.weighted_score is None
    assert not AuditEntry.objects.filter(action="application.screened").exists()


def test_approval_creates_the_partner_and_the_invitation_and_shows_them(
    manager, mailoutbox, django_capture_on_commit_callbacks
):
    application = PartnerApplicationFactory(company_name="津门代理")
    manager.post(url("application-screen", application), SCORES)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            url("application-approve", application),
            {"credit_rating": "B", "tier": "2", "reason": "区域互补"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    partner = application.partner
    assert application.status == ApplicationStatus.APPROVED
    assert application.reason == "区域互补"
    assert (partner.name, partner.status, partner.credit_rating, partner.tier) == (
        "津门代理",
        PartnerStatus.ACTIVE,
        "B",
        2,
    )
    invite = PartnerInvite.objects.get(partner=partner)
    assert invite.email == application.contact_email
    assert [mail.to for mail in mailoutbox] == [[application.contact_email]]
    page = manager.get(url("application-detail", application)).content.decode()
    assert 'data-testid="invite-result"' in page and invite.email in page
    assert reverse("partners:partner-detail", args=[partner.pk]) in page
    assert f"{reverse('partners:contract-create')}?partner={partner.pk}" in page


def test_approving_twice_or_rejecting_a_decided_one_is_the_services_error(manager):
    application = PartnerApplicationFactory()
    manager.post(url("application-screen", application), SCORES)
    manager.post(url("application-approve", application), {})
    again = manager.post(url("application-approve", application), {})
    assert again.status_code == 400
    assert "already decided" in again.content.decode()
    rejected = manager.post(url("application-reject", application), {"reason": "重复"})
    assert rejected.status_code == 400
    assert "already decided" in rejected.content.decode()
    screened = manager.post(url("application-screen", application), SCORES)
    assert screened.status_code == 400
    assert "already decided" in screened.content.decode()
    assert Partner.objects.count() == 1
    application.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.APPROVED, "")


def test_an_unscreened_application_cannot_be_approved(manager):
    application = PartnerApplicationFactory()
    response = manager.post(url("application-approve", application), {})
    assert response.status_code == 400
    assert "screen it first" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_bad_tier_is_a_field_error(manager):
    application = PartnerApplicationFactory()
    manager.post(url("application-screen", application), SCORES)
    response = manager.post(url("application-approve", application), {"tier": "12"})
    assert response.status_code == 400
    assert "tier" in response.context["approve_form"].errors
    assert not Partner.objects.exists()


def test_rejection_stores_the_reason_and_mails_it(
    manager, mailoutbox, django_capture_on_commit_callbacks
):
    application = PartnerApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("application-reject", application), {"reason": "区域重叠"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.REJECTED, "区域重叠")
    assert application.reviewer == manager.user
    assert "区域重叠" in mailoutbox[0].body
    page = manager.get(url("application-detail", application)).content.decode()
    assert 'data-testid="reject-reason"' in page and "区域重叠" in page
    assert 'data-testid="screen-form"' not in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejection_without_a_reason_is_a_field_error_and_stores_nothing(
    manager, mailoutbox, reason
):
    application = PartnerApplicationFactory()
    response = manager.post(url("application-reject", application), {"reason": reason})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"] == [
        "Give the reason for the rejection."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert mailoutbox == []


def test_the_page_reads_in_chinese_by_default(make_login):
    from django.test import Client

    browser = Client()
    browser.force_login(make_login(Role.SUPERVISOR))
    application = PartnerApplicationFactory()
    page = browser.get(url("application-detail", application)).content.decode()
    assert "区域和销售能力" in page
    assert RecruitmentCriteria.objects.count() == 1
    assert PartnerApplication.objects.count() == 1

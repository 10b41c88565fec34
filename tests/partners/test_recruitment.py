"""渠道招募: public form → screening → approved (partner + one-time invite) / rejected."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from common.models import AuditEntry
from common.roles import Role
from partners.choices import ApplicationStatus, PartnerStatus
from partners.models import Partner, PartnerApplication, PartnerInvite, RecruitmentCriteria
from partners.selectors import recruitment_criteria_get
from partners.services import INVITE_PROBLEM_MESSAGES, screening_result
from tests.api_base import EndpointCase
from tests.factories.org import PartnerFactory
from tests.factories.partners import PartnerApplicationFactory
from tests.helpers import PASSWORD, shown_seconds_ago

pytestmark = pytest.mark.django_db

APPLY = "/partners/apply/"
GOOD_CODE = "91350100M000100Y43"


def form_data(**overrides) -> dict:
    return {
        "company_name": "津门置业代理有限公司",
        "kind": "agency",
        "regions": "天津 河西区, 南开区",
        "contact_name": "李经理",
        "contact_phone": "138 1234 1234",
        "contact_email": "li@jinmen.example",
        "credit_code": GOOD_CODE.lower(),
        "capability": "二十人团队，三年代理六个楼盘，年销售 300 套。",
        "agree": "on",
        "website": "",
        "started": shown_seconds_ago(60),
        **overrides,
    }


def _errors(response) -> str:
    return response.content.decode()


# --- the public form --------------------------------------------------------------------------
def test_the_form_is_public_and_speaks_both_languages():
    assert Client().get(APPLY).status_code == 200
    english = Client().get(APPLY, HTTP_ACCEPT_LANGUAGE="en")
    assert "Become a partner" in english.content.decode()
    assert 'name="website"' in english.content.decode()  # the honeypot is in the page


def test_a_submitted_form_stores_a_normalised_application():
    response = Client().post(APPLY, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/partners/apply/done/"
    application = PartnerApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.credit_code == GOOD_CODE
    assert application.contact_phone == "13812341234"
    assert application.language == "en"
    assert application.submitted_ip == "127.0.0.1"
    assert Client().get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"credit_code": ""}, "credit_code"),  # companies must give one
        ({"contact_phone": "010-1234567"}, "contact_phone"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"agree": ""}, "agree"),
        ({"capability": ""}, "capability"),
    ],
)
def test_bad_fields_are_shown_on_the_form_and_nothing_is_stored(overrides, field):
    response = Client().post(APPLY, form_data(**overrides))
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in _errors(response) or field == "agree"
    assert response.context["form"].errors[field]
    assert not PartnerApplication.objects.exists()


def test_a_broker_may_apply_without_a_credit_code():
    response = Client().post(APPLY, form_data(kind="broker", credit_code=""))
    assert response.status_code == 302
    assert PartnerApplication.objects.get().credit_code == ""


def test_the_honeypot_refuses_quietly_and_stores_nothing():
    response = Client().post(APPLY, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in _errors(response)
    assert not PartnerApplication.objects.exists()


def test_a_form_sent_faster_than_a_human_can_fill_it_is_refused(settings):
    settings.PARTNER_APPLICATION_MIN_FILL_SECONDS = 5
    response = Client().post(APPLY, form_data(started=shown_seconds_ago(1)))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not PartnerApplication.objects.exists()


# Ids of their own: the stale token differs in every process that collects it (xdist workers
# must collect the same test names).
@pytest.mark.parametrize(
    "started",
    ["", "forged:token", shown_seconds_ago(3 * 24 * 3600)],
    ids=["missing", "forged", "stale"],
)
def test_a_missing_forged_or_stale_timestamp_is_refused_with_a_fresh_one(started):
    response = Client().post(APPLY, form_data(started=started))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    fresh = response.context["form"].data["started"]
    assert fresh and fresh != started
    assert not PartnerApplication.objects.exists()


def test_more_than_the_limit_per_hour_from_one_ip_is_a_form_error(settings):
    settings.PARTNER_APPLICATION_RATE_LIMIT = 2
    client = Client()
    for n in range(2):
        response = client.post(APPLY, form_data(kind="broker", credit_code="", company_name=f"{n}"))
        assert response.status_code == 302
    refused = client.post(APPLY, form_data(kind="broker", credit_code="", company_name="third"))
    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors()
    assert PartnerApplication.objects.count() == 2
    other_ip = Client(REMOTE_ADDR="10.1.2.3").post(
        APPLY, form_data(kind="broker", credit_code="", company_name="elsewhere")
    )
    assert other_ip.status_code == 302


def test_one_open_application_per_credit_code_and_none_for_an_existing_partner():
    assert Client().post(APPLY, form_data()).status_code == 302
    again = Client().post(APPLY, form_data(company_name="同一家"))
    assert again.status_code == 200
    assert again.context["form"].errors["credit_code"]
    partner = PartnerFactory()
    taken = Client().post(APPLY, form_data(credit_code=partner.credit_code))
    assert taken.context["form"].errors["credit_code"]
    assert PartnerApplication.objects.count() == 1


# --- screening --------------------------------------------------------------------------------
def test_weighted_score_uses_the_managers_weights_and_pass_mark():
    criteria = RecruitmentCriteria(
        region_weight=Decimal("40"),
        track_record_weight=Decimal("30"),
        reputation_weight=Decimal("30"),
        pass_mark=Decimal("3.50"),
        minimum_score=2,
    )
    assert screening_result(criteria=criteria, region=5, track_record=3, reputation=2) == (
        Decimal("3.50"),
        True,
    )
    assert screening_result(criteria=criteria, region=4, track_record=3, reputation=3) == (
        Decimal("3.40"),
        False,
    )
    # One criterion under the minimum fails however good the rest is (一票否决).
    assert screening_result(criteria=criteria, region=5, track_record=5, reputation=1)[1] is False


def test_the_criteria_are_one_row_with_the_seeds_defaults():
    criteria = recruitment_criteria_get()
    assert recruitment_criteria_get().pk == criteria.pk
    assert RecruitmentCriteria.objects.count() == 1
    assert criteria.region_weight + criteria.track_record_weight + criteria.reputation_weight > 0


def _screen(client, application, region=5, track=4, reputation=4):
    return client.post(
        f"/api/v1/partner-applications/{application.pk}/screen/",
        {"score_region": region, "score_track_record": track, "score_reputation": reputation},
        format="json",
    )


def test_happy_path_apply_screen_approve_invite_login_once(
    client_as, mailoutbox, django_capture_on_commit_callbacks
):
    assert Client().post(APPLY, form_data()).status_code == 302
    application = PartnerApplication.objects.get()
    recruiter = client_as(Role.SUPERVISOR)

    screened = _screen(recruiter, application)
    assert screened.status_code == 200, screened.content
    body = screened.json()
    assert (body["status"], body["is_passed"], body["weighted_score"]) == (
        "screening",
        True,
        "4.40",
    )

    with django_capture_on_commit_callbacks(execute=True):
        approved = recruiter.post(
            f"/api/v1/partner-applications/{application.pk}/approve/",
            {"credit_rating": "A"},
            format="json",
        )
    assert approved.status_code == 200, approved.content
    partner = Partner.objects.get(pk=approved.json()["partner"])
    assert (partner.name, partner.status, partner.credit_code, partner.credit_rating) == (
        "津门置业代理有限公司",
        PartnerStatus.ACTIVE,
        GOOD_CODE,
        "A",
    )
    (mail,) = mailoutbox
    assert mail.to == ["li@jinmen.example"]
    link = re.search(r"https?://\S+/partners/invite/(\S+)/", mail.body)
    assert link, mail.body
    path = f"/partners/invite/{link.group(1)}/"
    assert PartnerInvite.objects.get().token_hash != link.group(1)  # only the hash is stored

    browser = Client()
    assert browser.get(path).status_code == 200
    done = browser.post(
        path, {"username": "jinmen", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert done.status_code == 302
    # Through the login page, as the partner will (axes checks every login against a request).
    signed_in = Client().post("/accounts/login/", {"username": "jinmen", "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.content
    assert partner.members.get().user.username == "jinmen"

    again = Client().get(path)
    assert again.status_code == 410
    assert again.context["message"] == INVITE_PROBLEM_MESSAGES["used"]
    reuse = Client().post(
        path, {"username": "intruder", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert reuse.status_code == 410
    assert partner.members.count() == 1
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "application.screened",
        "application.approved",
        "partner.created",
        "invite.sent",
        "invite.accepted",
    }


def test_invite_form_errors_keep_the_link_usable(client_as, make_login):
    from partners.services import partner_invite_create

    make_login(Role.MARKETER, username="taken")
    _invite, token = partner_invite_create(
        actor=None, partner=PartnerFactory(), email="x@example.com"
    )
    path = f"/partners/invite/{token}/"
    clash = Client().post(
        path, {"username": "TAKEN", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert clash.status_code == 200
    assert clash.context["form"].errors["username"]
    weak = Client().post(path, {"username": "new", "password": "123", "password_confirm": "123"})
    assert weak.context["form"].errors["password"]
    differ = Client().post(path, {"username": "new", "password": PASSWORD, "password_confirm": "x"})
    assert differ.context["form"].errors["password_confirm"]
    assert Client().get(path).status_code == 200


def test_an_expired_or_unknown_invite_is_refused():
    from partners.services import partner_invite_create

    invite, token = partner_invite_create(
        actor=None, partner=PartnerFactory(), email="x@example.com"
    )
    PartnerInvite.objects.filter(pk=invite.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(f"/partners/invite/{token}/").status_code == 410
    assert Client().get("/partners/invite/not-a-token/").status_code == 404


def test_a_failed_screening_cannot_be_approved(client_as):
    application = PartnerApplicationFactory()
    client = client_as(Role.MANAGER)
    approve = f"/api/v1/partner-applications/{application.pk}/approve/"
    early = client.post(approve, {}, format="json")
    assert early.status_code == 400
    assert "status" in early.json()["errors"]
    failed = _screen(client, application, region=2, track=2, reputation=2)
    assert failed.json()["is_passed"] is False
    refused = client.post(approve, {}, format="json")
    assert refused.status_code == 400
    assert not Partner.objects.exists()


def test_scores_outside_one_to_five_are_field_errors(client_as):
    application = PartnerApplicationFactory()
    response = _screen(client_as(Role.MANAGER), application, region=6, reputation=0)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"score_region", "score_reputation"}


def test_rejection_needs_a_reason_and_mails_it(
    client_as, mailoutbox, django_capture_on_commit_callbacks
):
    application = PartnerApplicationFactory(language="en")
    client = client_as(Role.MANAGER)
    url = f"/api/v1/partner-applications/{application.pk}/reject/"
    assert "reason" in client.post(url, {"reason": " "}, format="json").json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "区域与现有渠道重叠"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert "区域与现有渠道重叠" in mailoutbox[0].body
    assert mailoutbox[0].to == [application.contact_email]
    assert client.post(url, {"reason": "again"}, format="json").status_code == 400
    entry = AuditEntry.objects.get(action="application.rejected")
    assert entry.summary == "区域与现有渠道重叠"


class TestApplicationList(EndpointCase):
    """Only recruiters list applications; the list's query count is constant."""

    url = "partner-application-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR})

    @pytest.fixture(autouse=True)
    def _an_application(self, db):
        PartnerApplicationFactory()

    def rows(self, n, user):
        PartnerApplicationFactory.create_batch(n)


def test_applications_filter(client_as):
    a = PartnerApplicationFactory(kind="broker", company_name="个人经纪张三")
    PartnerApplicationFactory()
    client = client_as(Role.MANAGER)
    for query in ("kind=broker", "q=张三", "status=submitted&q=经纪"):
        rows = client.get(f"/api/v1/partner-applications/?{query}").json()["results"]
        assert [row["id"] for row in rows] == [a.pk], query


# --- the pipeline board -----------------------------------------------------------------------
def test_the_board_shows_columns_by_status_to_recruiters_only(make_login):
    waiting = PartnerApplicationFactory(company_name="等待审核公司")
    PartnerApplicationFactory(company_name="已拒绝公司", status=ApplicationStatus.REJECTED)
    assert Client().get("/partners/applications/").status_code == 302  # to the login page
    marketer = Client()
    marketer.force_login(make_login(Role.MARKETER))
    assert marketer.get("/partners/applications/").status_code == 403
    supervisor = Client()
    supervisor.force_login(make_login(Role.SUPERVISOR))
    page = supervisor.get("/partners/applications/")
    assert page.status_code == 200
    columns = {column["status"]: column for column in page.context["columns"]}
    assert list(columns) == ["submitted", "screening", "approved", "rejected"]
    assert [card.pk for card in columns["submitted"]["cards"]] == [waiting.pk]
    assert columns["rejected"]["count"] == 1
    filtered = supervisor.get("/partners/applications/?q=拒绝")
    assert filtered.context["columns"][0]["count"] == 0
    assert filtered.context["columns"][3]["count"] == 1

"""Teams' and partners' group robots: https only (a field error otherwise), never shown back
in full (pages, admin), an empty URL on an edit keeps the stored one; who may set them; and
which events their messages carry (queued, in the default language)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.models import WebhookDelivery
from common.roles import Role
from common.webhooks import robot_url_masked
from partners.services import partner_robot_set
from sales.models import Staff
from sales.services.org import team_robot_set
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.helpers import browser_for, log_visit

pytestmark = pytest.mark.django_db

SECRET_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0f1e2d3c-secret-9a8b"


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.mark.parametrize(
    "url",
    [
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
        "ftp://example.com/hook",
        "javascript:alert(1)",
        "not a url",
    ],
)
def test_a_robot_url_must_be_https(manager, team, url):
    with pytest.raises(ValidationError) as refused:
        team_robot_set(actor=manager, team=team, kind="wecom", url=url)
    assert "robot_url" in refused.value.message_dict
    team.refresh_from_db()
    assert team.robot_url == ""


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("wecom", "https://10.0.0.5/cgi-bin/webhook/send?key=x"),  # the company's own network
        ("wecom", "https://oapi.dingtalk.com/robot/send?access_token=t"),  # the other kind's
        ("dingtalk", "https://qyapi.weixin.qq.com.evil.example/robot/send?access_token=t"),
    ],
)
def test_a_robot_url_goes_to_its_kinds_own_host(manager, team, kind, url):
    """The worker posts wherever the URL says: anywhere but the robot's host is refused, so
    a URL typed in a form cannot make it call into the company's network."""
    with pytest.raises(ValidationError) as refused:
        team_robot_set(actor=manager, team=team, kind=kind, url=url)
    assert "robot_url" in refused.value.message_dict
    team.refresh_from_db()
    assert team.robot_url == ""


def test_a_wrong_host_says_where_the_kinds_robots_are(manager, team, english):
    with pytest.raises(ValidationError) as refused:
        team_robot_set(actor=manager, team=team, kind="dingtalk", url="https://example.com/x")
    assert refused.value.message_dict["robot_url"] == [
        "This is not a DingTalk (钉钉) group robot address: it starts with "
        "https://oapi.dingtalk.com/ (copy it from the group's robot settings)."
    ]


def test_a_kind_without_a_url_is_a_field_error(manager, team):
    with pytest.raises(ValidationError) as refused:
        team_robot_set(actor=manager, team=team, kind="dingtalk", url="")
    assert "robot_url" in refused.value.message_dict


def test_the_url_is_masked_and_an_empty_one_on_edit_keeps_it(manager, team):
    team_robot_set(actor=manager, team=team, kind="wecom", url=SECRET_URL)
    assert robot_url_masked(SECRET_URL) == "https://qyapi.weixin.qq.com/…9a8b"
    web = browser_for(manager)
    page = web.get(reverse("sales:team-robot", args=[team.pk])).content.decode()
    assert "0f1e2d3c-secret" not in page
    assert "https://qyapi.weixin.qq.com/…9a8b" in page
    listing = web.get(reverse("sales:team-robots")).content.decode()
    assert "0f1e2d3c-secret" not in listing and "…9a8b" in listing
    admin = web.get(reverse("admin:sales_team_change", args=[team.pk])).content.decode()
    assert "0f1e2d3c-secret" not in admin

    saved = web.post(
        reverse("sales:team-robot", args=[team.pk]), {"robot_kind": "wecom", "robot_url": ""}
    )
    assert saved.status_code == 302
    team.refresh_from_db()
    assert (team.robot_kind, team.robot_url) == ("wecom", SECRET_URL)
    # The stored WeCom URL is no DingTalk robot's: switching the kind needs its URL.
    switched = web.post(
        reverse("sales:team-robot", args=[team.pk]), {"robot_kind": "dingtalk", "robot_url": ""}
    )
    assert switched.status_code == 400
    team.refresh_from_db()
    assert (team.robot_kind, team.robot_url) == ("wecom", SECRET_URL)

    refused = web.post(
        reverse("sales:team-robot", args=[team.pk]),
        {"robot_kind": "wecom", "robot_url": "http://example.com/x"},
    )
    assert refused.status_code == 400
    assert 'data-testid="error-robot_url"' in refused.content.decode()

    web.post(reverse("sales:team-robot", args=[team.pk]), {"robot_kind": "", "robot_url": ""})
    team.refresh_from_db()
    assert (team.robot_kind, team.robot_url) == ("", "")


def test_the_audit_keeps_the_url_masked(manager, team):
    from common.models import AuditEntry

    team_robot_set(actor=manager, team=team, kind="wecom", url=SECRET_URL)
    entry = AuditEntry.objects.get(action="team.robot_set")
    assert "secret" not in str(entry.changes)


def test_a_supervisor_sets_only_their_own_teams_robot(make_login):
    supervisor = make_login(Role.SUPERVISOR)
    own = TeamFactory(supervisor=Staff.objects.get(user=supervisor))
    other = TeamFactory()
    team_robot_set(actor=supervisor, team=own, kind="wecom", url=SECRET_URL)
    with pytest.raises(ValidationError):
        team_robot_set(actor=supervisor, team=other, kind="wecom", url=SECRET_URL)
    web = browser_for(supervisor)
    assert web.get(reverse("sales:team-robot", args=[other.pk])).status_code == 404
    assert web.get(reverse("sales:team-robot", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.MARKETER, Role.SECRETARY, Role.PARTNER, Role.CONSULTANT])
def test_other_roles_cannot_open_the_robot_pages(make_login, team, role):
    web = browser_for(make_login(role))
    assert web.get(reverse("sales:team-robots")).status_code == 403
    assert web.get(reverse("partners:partner-robot", args=[PartnerFactory().pk])).status_code == 403


def test_only_a_manager_sets_a_partners_robot(manager, make_login):
    partner = PartnerFactory()
    with pytest.raises(ValidationError):
        partner_robot_set(
            actor=make_login(Role.SUPERVISOR), partner=partner, kind="wecom", url=SECRET_URL
        )
    partner_robot_set(actor=manager, partner=partner, kind="wecom", url=SECRET_URL)
    page = browser_for(manager).get(reverse("partners:partner-robot", args=[partner.pk]))
    assert "…9a8b" in page.content.decode() and "secret" not in page.content.decode()
    admin = browser_for(manager).get(reverse("admin:partners_partner_change", args=[partner.pk]))
    assert "0f1e2d3c-secret" not in admin.content.decode()


def test_a_visit_queues_the_team_and_partner_robots_in_chinese(make_login, office):
    project = ProjectFactory()
    team = TeamFactory(project=project, robot_kind="wecom", robot_url=SECRET_URL)
    marketer_user = make_login(Role.MARKETER, team=team)
    log_visit(office, project, by=Staff.objects.get(user=marketer_user), name="王芳")
    partner = PartnerFactory(
        robot_kind="dingtalk", robot_url="https://oapi.dingtalk.com/robot/send?access_token=t"
    )
    log_visit(office, project, by=partner, name="赵磊")

    wecom = WebhookDelivery.objects.get(robot_kind="wecom")
    assert wecom.payload["msgtype"] == "markdown"
    assert "王芳" in wecom.payload["markdown"]["content"]
    assert "到访" in wecom.payload["markdown"]["content"]
    dingtalk = WebhookDelivery.objects.get(robot_kind="dingtalk")
    assert set(dingtalk.payload["markdown"]) == {"title", "text"}
    assert "赵磊" in dingtalk.payload["markdown"]["text"]
    assert all(d.status == "pending" and d.attempts == 0 for d in WebhookDelivery.objects.all())


def test_the_api_never_serves_a_robot_url(client_as, manager, team):
    """The contract's teams/ and partners/ carry no robot: configured on the pages only."""
    team_robot_set(actor=manager, team=team, kind="wecom", url=SECRET_URL)
    partner = PartnerFactory()
    partner_robot_set(actor=manager, partner=partner, kind="wecom", url=SECRET_URL)
    api = client_as(Role.MANAGER, user=manager)
    for url in (f"/api/v1/teams/{team.pk}/", f"/api/v1/partners/{partner.pk}/"):
        body = api.get(url)
        assert body.status_code == 200
        assert "0f1e2d3c-secret" not in body.content.decode()


def test_the_team_robots_xlsx_has_data_columns_only(manager, team):
    import io

    from openpyxl import load_workbook

    team_robot_set(actor=manager, team=team, kind="wecom", url=SECRET_URL)
    download = browser_for(manager).get(reverse("sales:team-robots"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert None not in rows[0] and len(rows[0]) == 3
    assert not any("<a" in str(cell) for row in rows for cell in row)
    assert "0f1e2d3c-secret" not in str(rows)

"""Campaigns (渠道营销活动): the effect against hand-counted data, frozen when closed, the
status flow, who sees which campaigns, the API and the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.periods import local_today
from common.roles import Role
from incentives.selectors.campaigns import campaign_effect
from incentives.services.campaigns import campaign_finish
from incentives.services.costs import cost_record
from sales.models import Campaign, Staff
from sales.services.campaigns import campaign_create, campaign_start
from sales.services.customers import registration_create
from sales.services.deals import signing_cancel, signing_record
from sales.services.visits import visit_reject
from tests.api_base import PartnerScopedEndpointCase
from tests.factories.marketing import CampaignFactory
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.helpers import log_visit, next_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def marketer(make_login, project):
    return Staff.objects.get(user=make_login(Role.MARKETER, team=TeamFactory(project=project)))


def _sign(office, project, marketer, phone, amount, unit):
    return signing_record(
        actor=office,
        project=project,
        customer_name="客户",
        customer_phone=phone,
        unit=unit,
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal(amount),
        signed_on=local_today(),
        marketer=marketer,
    )


@pytest.fixture
def counted(office, project, marketer):
    """A campaign with hand-counted activity:

    - registrations naming it: A and B (the marketer's), C (a partner's) → 3;
    - visits naming it: A, B valid; A again 2 hours later (a repeat: not valid); D rejected →
      confirmed 3, valid 2; a visit of E naming no campaign does not count at all;
    - signings: A 1,000,000.00 stands; B 800,000.00 cancelled (退房) → 1 signing, 1,000,000.00;
      E's 500,000.00 came from elsewhere;
    - spend: 3,000.00 + 1,500.50 linked to it → 4,500.50 (a 9,999.00 cost linked to nothing).
    """
    campaign = CampaignFactory(projects=[project], starts_on=local_today() - timedelta(days=3))
    a, b, c, d, e = (next_phone() for _ in range(5))
    for phone in (a, b):
        registration_create(
            actor=marketer.user,
            project=project,
            customer_name="客户",
            customer_phone=phone,
            campaign=campaign,
        )
    partner = PartnerFactory()
    registration_create(
        actor=office,
        project=project,
        customer_name="客户",
        customer_phone=c,
        partner=partner,
        campaign=campaign,
    )
    earlier = timezone.now() - timedelta(hours=5)
    log_visit(office, project, by=marketer, phone=a, when=earlier, campaign=campaign)
    log_visit(office, project, by=marketer, phone=b, when=earlier, campaign=campaign)
    repeat = log_visit(
        office, project, by=marketer, phone=a, when=earlier + timedelta(hours=2), campaign=campaign
    )
    rejected = log_visit(office, project, by=marketer, phone=d, campaign=campaign)
    visit_reject(actor=office, visit=rejected, reason="未到场")
    log_visit(office, project, by=marketer, phone=e)
    assert repeat.is_valid is False
    _sign(office, project, marketer, a, "1000000.00", "1-101")
    cancelled = _sign(office, project, marketer, b, "800000.00", "1-102")
    signing_cancel(actor=office, signing=cancelled, cancelled_on=local_today())
    _sign(office, project, marketer, e, "500000.00", "1-103")
    month = str(local_today())[:7]
    for amount in ("3000.00", "1500.50"):
        cost_record(
            actor=office,
            category="promotion",
            period=month,
            amount=Decimal(amount),
            project=project,
            campaign=campaign,
        )
    cost_record(actor=office, category="promotion", period=month, amount=Decimal("9999.00"))
    return campaign


EXPECTED = {
    "registrations": 3,
    "visits": 3,
    "valid_visits": 2,
    "signings": 1,
    "signed_amount": Decimal("1000000.00"),
    "spend": Decimal("4500.50"),
    "cost_per_valid_visit": Decimal("2250.25"),
    "cost_per_signing": Decimal("4500.50"),
    "roi": Decimal("222.20"),  # 1,000,000.00 ÷ 4,500.50 = 222.1975…
}


def test_the_effect_matches_the_hand_count(counted):
    assert campaign_effect(counted, today=local_today()) == EXPECTED


def test_closing_freezes_the_effect(counted, manager, office):
    campaign_finish(actor=manager, campaign=counted)
    counted.refresh_from_db()
    signing = counted.projects.get().signings.get(unit="1-101")
    signing_cancel(actor=office, signing=signing, cancelled_on=local_today())  # after closing
    assert counted.status == "closed"
    assert campaign_effect(counted, today=local_today()) == EXPECTED


@pytest.mark.usefixtures("english")
def test_a_closed_campaign_takes_no_more_costs_or_visits(counted, manager, office, marketer):
    campaign_finish(actor=manager, campaign=counted)
    with pytest.raises(ValidationError) as refused:
        cost_record(
            actor=office,
            category="promotion",
            period="2026-11",
            amount=Decimal("1"),
            campaign=counted,
        )
    assert "closed" in refused.value.message_dict["campaign"][0]
    with pytest.raises(ValidationError):
        log_visit(office, counted.projects.get(), by=marketer, campaign=counted)


@pytest.mark.usefixtures("english")
def test_the_status_runs_planned_running_closed_and_not_back(manager, project):
    today = local_today()
    campaign = campaign_create(
        actor=manager,
        name="国庆暖场",
        kind="event",
        projects=[project],
        starts_on=today,
        ends_on=today,
    )
    assert campaign.status == "planned"
    with pytest.raises(ValidationError):
        campaign_finish(actor=manager, campaign=campaign)  # a planned campaign cannot close
    assert campaign_start(actor=manager, campaign=campaign).status == "running"
    assert campaign_finish(actor=manager, campaign=campaign).status == "closed"
    with pytest.raises(ValidationError):
        campaign_start(actor=manager, campaign=campaign)


@pytest.mark.usefixtures("english")
def test_a_campaign_cannot_end_before_it_starts(manager, project):
    today = local_today()
    with pytest.raises(ValidationError) as refused:
        campaign_create(
            actor=manager,
            name="x",
            kind="event",
            projects=[project],
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert "ends_on" in refused.value.message_dict


# --- who sees which campaigns -----------------------------------------------------------------
@pytest.fixture
def supervised(make_login):
    """A supervisor running a team at one project; a campaign there and one elsewhere."""
    mine, other = ProjectFactory(), ProjectFactory()
    user = make_login(Role.SUPERVISOR)
    TeamFactory(project=mine, supervisor=Staff.objects.get(user=user))
    return user, CampaignFactory(projects=[mine]), CampaignFactory(projects=[other]), mine, other


def test_a_supervisor_sees_only_their_projects_campaigns(client_as, supervised):
    user, mine, other, _, _ = supervised
    client = client_as(Role.SUPERVISOR, user=user)
    listed = [row["id"] for row in client.get(reverse("campaign-list")).json()["results"]]
    assert listed == [mine.pk]
    assert client.get(reverse("campaign-detail", args=[other.pk])).status_code == 404


def test_a_supervisor_may_not_plan_a_campaign_at_another_project(client_as, supervised):
    user, _, _, mine, other = supervised
    today = str(local_today())
    body = {
        "name": "拓客",
        "kind": "outreach",
        "projects": [mine.pk, other.pk],
        "starts_on": today,
        "ends_on": today,
        "budget_amount": "100.00",
    }
    response = client_as(Role.SUPERVISOR, user=user).post(
        reverse("campaign-list"), body, format="json"
    )
    assert response.status_code == 400
    assert "projects" in response.json()["errors"] or "projects" in str(response.json())
    assert not Campaign.objects.filter(name="拓客").exists()


def test_a_partner_sees_no_campaign_not_even_its_own(client_as, make_login):
    partner = PartnerFactory()
    campaign = CampaignFactory(projects=[ProjectFactory()], partners=[partner])
    client = client_as(Role.PARTNER, user=make_login(Role.PARTNER, partner=partner))
    assert client.get(reverse("campaign-detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaign-list")).status_code == 403


class TestCampaignList(PartnerScopedEndpointCase):
    url = "campaign-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR})

    def rows(self, n, user):
        project = ProjectFactory()
        for campaign in CampaignFactory.create_batch(n, projects=[project, ProjectFactory()]):
            cost_record(
                actor=None,
                category="promotion",
                period="2026-11",
                amount=Decimal("10"),
                campaign=campaign,
            )

    def foreign_row(self):
        return CampaignFactory(projects=[ProjectFactory()]).pk


# --- the API -----------------------------------------------------------------------------------
def test_the_api_plans_starts_and_closes_a_campaign_with_its_effect(client_as, manager, project):
    client = client_as(Role.MANAGER, user=manager)
    today = str(local_today())
    created = client.post(
        reverse("campaign-list"),
        {
            "name": "双十一促销",
            "kind": "promotion",
            "projects": [project.pk],
            "starts_on": today,
            "ends_on": today,
            "budget_amount": "20000.00",
            "target_visits": 30,
            "target_signings": 3,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "planned"
    assert body["effect"]["spend"] == "0.00"
    assert body["effect"]["roi"] is None
    pk = body["id"]
    assert client.post(reverse("campaign-start", args=[pk])).json()["status"] == "running"
    closed = client.post(reverse("campaign-close", args=[pk])).json()
    assert closed["status"] == "closed"
    assert closed["effect"]["registrations"] == 0


def test_a_channel_cost_names_its_campaign_over_the_api(client_as, manager, project):
    campaign = CampaignFactory(projects=[project])
    response = client_as(Role.MANAGER, user=manager).post(
        reverse("channel-cost-list"),
        {
            "category": "promotion",
            "period": "2026-11",
            "project": project.pk,
            "campaign": campaign.pk,
            "amount": "1200.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["campaign"] == campaign.pk


# --- the pages ----------------------------------------------------------------------------------
def test_the_detail_page_shows_the_effect_and_the_chart(browser_as, manager, counted):
    page = browser_as(Role.MANAGER, user=manager).get(
        reverse("incentives:campaign-detail", args=[counted.pk])
    )
    assert page.status_code == 200
    assert page.context["effect"] == EXPECTED
    assert sum(page.context["chart"]["visits"]) == 3
    assert sum(page.context["chart"]["valid_visits"]) == 2
    assert b'id="campaign-data"' in page.content


def test_the_list_exports_xlsx(browser_as, manager, counted):
    response = browser_as(Role.MANAGER, user=manager).get(
        reverse("incentives:campaign-list"), {"export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_marketer_may_not_open_the_campaign_pages(browser_as):
    assert browser_as(Role.MARKETER).get(reverse("incentives:campaign-list")).status_code == 403


def test_the_page_form_plans_a_campaign(browser_as, manager, project):
    today = str(local_today())
    response = browser_as(Role.MANAGER, user=manager).post(
        reverse("incentives:campaign-create"),
        {
            "name": "样板间开放",
            "kind": "event",
            "projects": [project.pk],
            "starts_on": today,
            "ends_on": today,
            "budget_amount": "5000",
            "target_visits": "10",
            "target_signings": "1",
        },
    )
    campaign = Campaign.objects.get(name="样板间开放")
    assert response.status_code == 302
    assert response["Location"] == reverse("incentives:campaign-detail", args=[campaign.pk])
    assert list(campaign.projects.all()) == [project]


def test_only_a_planned_campaign_nothing_names_can_be_deleted(client_as, manager, project, counted):
    client = client_as(Role.MANAGER, user=manager)
    planned = CampaignFactory(projects=[project], status="planned")
    assert client.delete(reverse("campaign-detail", args=[planned.pk])).status_code == 204
    assert not Campaign.objects.filter(pk=planned.pk).exists()
    refused = client.delete(reverse("campaign-detail", args=[counted.pk]))
    assert refused.status_code == 400
    assert Campaign.objects.filter(pk=counted.pk).exists()


def test_the_page_deletes_a_planned_campaign_once_confirmed(browser_as, manager, project):
    planned = CampaignFactory(projects=[project], name="双旦促销", status="planned")
    client = browser_as(Role.MANAGER, user=manager)
    url = reverse("incentives:campaign-move", args=[planned.pk, "delete"])
    asked = client.post(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert asked.status_code == 200
    assert 'data-testid="confirm-form"' in asked.content.decode()
    assert "无法撤销" in asked.content.decode()
    assert Campaign.objects.filter(pk=planned.pk).exists()
    response = client.post(url, {"confirmed": "1"})
    assert response["Location"] == reverse("incentives:campaign-list")
    assert not Campaign.objects.filter(pk=planned.pk).exists()


def test_a_campaign_over_its_budget_is_warned_on_its_page_and_marked_in_the_list(
    browser_as, project
):
    """双旦促销 spent 60,000.00 against a budget of 50,000.00: its page says so (by
    10,000.00) and its list row is marked; a campaign within budget is not."""
    over = CampaignFactory(name="双旦促销", budget_amount=Decimal("50000.00"), projects=[project])
    within = CampaignFactory(name="暖场", budget_amount=Decimal("50000.00"), projects=[project])
    for campaign, amount in ((over, "60000.00"), (within, "50000.00")):
        cost_record(
            actor=None,
            category="promotion",
            period="2026-11",
            amount=Decimal(amount),
            project=project,
            campaign=campaign,
        )
    client = browser_as(Role.MANAGER)
    lang = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    page = client.get(reverse("incentives:campaign-detail", args=[over.pk]), **lang).content
    text = page.decode()
    assert 'data-testid="over-budget"' in text
    assert "60,000.00" in text and "50,000.00" in text and "10,000.00" in text
    assert "超支 10,000.00 元" in text and "费用（元）" in text
    calm = client.get(reverse("incentives:campaign-detail", args=[within.pk]), **lang).content
    assert b'data-testid="over-budget"' not in calm
    listing = client.get(reverse("incentives:campaign-list"), **lang).content.decode()
    rows = {chunk.split('"', 1)[0]: chunk for chunk in listing.split('data-campaign="')[1:]}
    assert "over-budget" in rows[str(over.pk)] and "超预算" in rows[str(over.pk)]
    assert "over-budget" not in rows[str(within.pk)].split("</tr>")[0]


def test_closing_from_the_page_asks_first_and_freezes_only_once_confirmed(
    browser_as, manager, project
):
    running = CampaignFactory(projects=[project], name="双旦促销")
    client = browser_as(Role.MANAGER, user=manager)
    url = reverse("incentives:campaign-move", args=[running.pk, "close"])
    asked = client.post(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert asked.status_code == 200
    assert "双旦促销" in asked.content.decode() and "无法撤销" in asked.content.decode()
    running.refresh_from_db()
    assert (running.status, running.effect_snapshot) == ("running", None)
    done = client.post(url, {"confirmed": "1"})
    assert done["Location"] == reverse("incentives:campaign-detail", args=[running.pk])
    running.refresh_from_db()
    assert running.status == "closed" and running.effect_snapshot is not None

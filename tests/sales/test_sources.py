"""客户来源 on registrations and visits: the defaults, the office's corrections, the checks
against the campaign, and the breakdown by source."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.periods import local_today, month_of
from common.roles import Role
from sales.choices import CampaignStatus
from sales.models import Registration, Signing, Staff, Visit
from sales.selectors.sources import source_breakdown
from sales.services.customers import registration_create
from sales.services.visits import visit_record
from tests.factories.marketing import CampaignFactory
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.helpers import log_visit, next_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def marketer(make_login, project):
    user = make_login(Role.MARKETER, team=TeamFactory(project=project))
    return Staff.objects.get(user=user)


def _register(actor, project, **kw):
    return registration_create(
        actor=actor, project=project, customer_name="王先生", customer_phone=next_phone(), **kw
    )


def test_a_partners_registration_defaults_to_the_partner_source(make_login, project):
    partner_user = make_login(Role.PARTNER)
    registration = _register(partner_user, project)
    assert (registration.source, registration.campaign) == ("partner", None)


def test_a_marketers_registration_defaults_to_marketer_outreach(marketer, project):
    assert _register(marketer.user, project).source == "marketer_outreach"


def test_a_walk_in_visit_defaults_to_walk_in_and_a_brought_one_to_its_channel(
    office, project, marketer
):
    walk_in = visit_record(
        actor=office,
        project=project,
        customer_name="赵先生",
        customer_phone=next_phone(),
        visited_at=timezone.now(),
        property_type="high_rise",
        status="confirmed",
    )
    partner_visit = log_visit(office, project, by=PartnerFactory())
    assert walk_in.source == "walk_in"
    assert partner_visit.source == "partner"
    assert log_visit(office, project, by=marketer).source == "marketer_outreach"


def test_naming_a_campaign_makes_it_the_source(marketer, project):
    campaign = CampaignFactory(projects=[project])
    registration = _register(marketer.user, project, campaign=campaign)
    assert (registration.source, registration.campaign) == ("campaign", campaign)


def test_a_referral_is_kept_as_given(marketer, project):
    assert _register(marketer.user, project, source="referral").source == "referral"


@pytest.mark.usefixtures("english")
def test_a_campaign_of_another_project_or_closed_is_refused(marketer, project):
    elsewhere = CampaignFactory(projects=[ProjectFactory()])
    with pytest.raises(ValidationError) as refused:
        _register(marketer.user, project, campaign=elsewhere)
    assert "does not run at" in refused.value.message_dict["campaign"][0]
    closed = CampaignFactory(projects=[project], status=CampaignStatus.CLOSED, effect_snapshot={})
    with pytest.raises(ValidationError) as refused:
        _register(marketer.user, project, campaign=closed)
    assert "closed" in refused.value.message_dict["campaign"][0]


@pytest.mark.usefixtures("english")
def test_a_walk_in_source_on_a_brought_visit_is_refused(office, project, marketer):
    with pytest.raises(ValidationError) as refused:
        log_visit(office, project, by=marketer, source="walk_in")
    assert "walk-in" in refused.value.message_dict["source"][0]


def test_the_api_takes_source_and_campaign_and_shows_them(client_as, project, marketer):
    campaign = CampaignFactory(projects=[project])
    client = client_as(Role.MARKETER, user=marketer.user)
    response = client.post(
        reverse("registration-list"),
        {
            "project": project.pk,
            "customer_name": "钱女士",
            "customer_phone": next_phone(),
            "campaign": campaign.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["source"], response.json()["campaign"]) == ("campaign", campaign.pk)


def test_a_bad_source_is_a_field_error_not_a_500(client_as, project, marketer):
    client = client_as(Role.MARKETER, user=marketer.user)
    response = client.post(
        reverse("registration-list"),
        {
            "project": project.pk,
            "customer_name": "钱女士",
            "customer_phone": next_phone(),
            "source": "billboard",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "source" in str(response.json())


def test_the_office_corrects_a_source_and_a_marketer_may_not(client_as, office, project, marketer):
    registration = _register(marketer.user, project)
    campaign = CampaignFactory(projects=[project])
    url = reverse("registration-source", args=[registration.pk])
    body = {"source": "campaign", "campaign": campaign.pk}
    assert client_as(Role.MARKETER, user=marketer.user).post(url, body).status_code == 403
    response = client_as(Role.SECRETARY, user=office).post(url, body, format="json")
    assert response.status_code == 200, response.content
    registration.refresh_from_db()
    assert (registration.source, registration.campaign) == ("campaign", campaign)


def test_the_office_corrects_a_visits_source_by_patch(client_as, office, project, marketer):
    visit = log_visit(office, project, by=marketer)
    response = client_as(Role.SECRETARY, user=office).patch(
        reverse("visit-detail", args=[visit.pk]), {"source": "referral"}, format="json"
    )
    assert response.status_code == 200, response.content
    visit.refresh_from_db()
    assert visit.source == "referral"


def test_a_signing_counts_under_its_customers_first_visits_source(office, project, marketer):
    from sales.services.deals import signing_record

    campaign = CampaignFactory(projects=[project])
    phone = next_phone()
    log_visit(office, project, by=marketer, phone=phone, campaign=campaign)
    log_visit(office, project, by=marketer)  # a marketer_outreach visit, nothing signed
    signing_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone=phone,
        unit="1-1",
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal("1000000.00"),
        signed_on=local_today(),
        marketer=marketer,
    )
    rows = {
        row["source"]: row
        for row in source_breakdown(
            registrations=Registration.objects.all(),
            visits=Visit.objects.all(),
            signings=Signing.objects.all(),
        )
    }
    assert (rows["campaign"]["visits"], rows["campaign"]["signings"]) == (1, 1)
    assert rows["campaign"]["signed_amount"] == Decimal("1000000.00")
    assert (rows["marketer_outreach"]["visits"], rows["marketer_outreach"]["signings"]) == (1, 0)
    assert rows["partner"]["visits"] == 0


def test_the_dashboard_breaks_the_month_down_by_source(browser_as, office, project, marketer):
    log_visit(office, project, by=marketer)
    page = browser_as(Role.MANAGER).get(
        reverse("dashboard:index"), {"month": str(month_of(local_today()))}
    )
    assert page.status_code == 200
    assert page.context["data"]["sources"][1]["source"] == "marketer_outreach"
    assert page.context["data"]["sources"][1]["visits"] == 1
    assert b'data-testid="table-sources"' in page.content


def test_a_partners_form_offers_only_sources_that_can_be_its_own(make_login):
    from portal.channel.forms import RegisterCustomerForm

    form = RegisterCustomerForm(user=make_login(Role.PARTNER))
    offered = [value for value, _label in form.fields["source"].choices]
    assert offered == ["", "partner", "referral", "campaign", "online"]


def test_a_partner_picks_only_campaigns_it_takes_part_in(make_login):
    from portal.channel.forms import RegisterCustomerForm

    partner = PartnerFactory()
    mine = CampaignFactory(projects=[ProjectFactory()], partners=[partner])
    CampaignFactory(projects=[ProjectFactory()])
    form = RegisterCustomerForm(user=make_login(Role.PARTNER, partner=partner))
    assert list(form.fields["campaign"].queryset) == [mine]

"""The plan pages: list, readable detail, edit (a new version or a change in place) and
history — managers edit, supervisors read, others 403; a bad edit writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.roles import Role
from incentives.choices import CommissionMode
from incentives.models import CommissionRate, IncentivePlan
from incentives.plan_text import NUMBER_FIELDS
from incentives.services import plan_create_default, plan_versions
from tests.factories.org import ProjectFactory

# These tests are about plans of their own: the default plan the migrations install is removed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_default_plan")]

PLANS = "/incentives/plans/"


@pytest.fixture
def web(client, make_login):
    def sign_in(role, language="en"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        client.force_login(make_login(role))
        return client

    return sign_in


@pytest.fixture
def seeded(plan):
    """The seed's plan, with 协成's high-rise at 500 and garden houses at 0.5 %."""
    xiecheng = ProjectFactory(name="协成")
    plan.projects.add(xiecheng)
    CommissionRate.objects.create(
        plan=plan, project=xiecheng, property_type="high_rise", mode="per_unit", value=500
    )
    CommissionRate.objects.create(
        plan=plan, property_type="garden_house", mode=CommissionMode.PERCENT, value="0.5"
    )
    return plan


def _post_data(plan, **changes) -> dict:
    data = {name: str(getattr(plan, name)) for name in ("name", *NUMBER_FIELDS)}
    data["effective_from"] = "2027-01-01"
    data["projects"] = [p.pk for p in plan.projects.all()]
    rates = list(plan.commission_rates.all())
    data.update({"rates-TOTAL_FORMS": str(len(rates) + 1), "rates-INITIAL_FORMS": str(len(rates))})
    for n, rate in enumerate(rates):
        data[f"rates-{n}-project"] = rate.project_id or ""
        data[f"rates-{n}-property_type"] = rate.property_type
        data[f"rates-{n}-mode"] = rate.mode
        data[f"rates-{n}-value"] = str(rate.value)
    n = len(rates)
    data.update({f"rates-{n}-{key}": "" for key in ("project", "property_type", "mode", "value")})
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("role", "read", "edit"),
    [
        (Role.MANAGER, 200, 200),
        (Role.SUPERVISOR, 200, 403),
        (Role.SECRETARY, 403, 403),
        (Role.MARKETER, 403, 403),
        (Role.PARTNER, 403, 403),
    ],
)
def test_managers_edit_supervisors_read_others_are_refused(web, plan, role, read, edit):
    client = web(role)
    for url in (PLANS, f"{PLANS}{plan.pk}/", f"{PLANS}{plan.pk}/history/"):
        assert client.get(url).status_code == read, url
    assert client.get(f"{PLANS}{plan.pk}/edit/").status_code == edit
    posted = client.post(f"{PLANS}{plan.pk}/edit/", _post_data(plan)).status_code
    assert posted == (302 if edit == 200 else 403)


def test_the_list_shows_projects_status_and_every_other_project(web, plan):
    later = plan_create_default(name="默认方案", effective_from=date(2099, 1, 1), projects=[])
    body = web(Role.MANAGER).get(PLANS).content.decode()
    assert body.index(f'data-plan="{later.pk}"') < body.index(f'data-plan="{plan.pk}"')
    assert "锦绣华庭" in body and "Every other project" in body
    assert "In force" in body and "Future" in body
    assert 'data-testid="nav-plans"' in body


def test_the_list_query_count_does_not_grow_with_plans(web, plan):
    client = web(Role.MANAGER)
    client.get(PLANS)
    with CaptureQueriesContext(connection) as one:
        client.get(PLANS)
    for year in (2030, 2031, 2032):
        plan_create_default(
            name=f"P{year}", effective_from=date(year, 1, 1), projects=[ProjectFactory()]
        )
    with CaptureQueriesContext(connection) as four:
        assert client.get(PLANS).status_code == 200
    assert len(four) == len(one)


def test_the_detail_reads_the_seed_numbers_in_chinese(web, seeded):
    body = web(Role.SUPERVISOR, language="zh-hans").get(f"{PLANS}{seeded.pk}/").content.decode()
    for shown in (
        "500 / 300 / 200",
        "800 / 500 / 300",
        "1,500 / 1,000 / 500",
        "1,000,000",
        "5,000,000",
        "6,000",
        "2,500",
        "3,500",
        "0.5%",
    ):
        assert shown in body, shown
    assert "协成" in body and "≥ 10" in body and "≥ 20" in body


def test_the_detail_reads_each_rule_in_english(web, seeded):
    body = web(Role.MANAGER).get(f"{PLANS}{seeded.pk}/").content.decode()
    for shown in (
        "valid visits in the week ≥ 10 groups; ranks 1–3 get 500 / 300 / 200 yuan",
        "signed amount in the month ≥ 1,000,000 yuan; ranks 1–3 get 1,500 / 1,000 / 500 yuan",
        "High-rise (高层住宅) 1,000 yuan per unit",
        "协成 High-rise (高层住宅) 500 yuan per unit",
        "Garden house (洋房) 0.5% of the signed amount",
        "Regular (一般) 2,500 yuan",
        "4 days a month",
        "High-rise (高层住宅) 20 yuan per valid visit group, uncapped",
        "the highest eligible team gets 6,000 yuan",
        "200 yuan to the referrer",
        "3 consecutive months in the top 3",
    ):
        assert shown in body, shown


def test_an_edit_from_a_later_month_is_a_new_version_and_leaves_the_earlier(web, seeded):
    before = {name: getattr(seeded, name) for name in NUMBER_FIELDS}
    rates_before = sorted(seeded.commission_rates.values_list("property_type", "value"))
    client = web(Role.MANAGER)
    response = client.post(
        f"{PLANS}{seeded.pk}/edit/", _post_data(seeded, weekly_visit_prize_1="600")
    )
    assert response.status_code == 302
    new = IncentivePlan.objects.exclude(pk=seeded.pk).get()
    assert new.effective_from == date(2027, 1, 1)
    assert new.weekly_visit_prize_1 == Decimal("600")
    assert set(new.projects.all()) == set(seeded.projects.all())
    assert new.commission_rates.count() == 3
    seeded.refresh_from_db()
    assert {name: getattr(seeded, name) for name in NUMBER_FIELDS} == before
    assert sorted(seeded.commission_rates.values_list("property_type", "value")) == rates_before
    history = client.get(f"{PLANS}{new.pk}/history/").content.decode()
    assert "weekly award: 1st" in history and "500" in history and "600" in history


def test_an_edit_from_the_same_month_changes_the_plan_in_place(web, plan):
    data = _post_data(plan, effective_from="2026-01-01", referral_bonus="250")
    assert web(Role.MANAGER).post(f"{PLANS}{plan.pk}/edit/", data).status_code == 302
    plan.refresh_from_db()
    assert plan.referral_bonus == Decimal("250")
    assert IncentivePlan.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weekly_visit_prize_2": "900"}, "weekly_visit_prize_2"),
        ({"effective_from": "2027-01-15"}, "effective_from"),
        ({"effective_from": "2025-01-01"}, "effective_from"),
        ({"monthly_visit_threshold": "0"}, "monthly_visit_threshold"),
        ({"signing_prize_1": "abc"}, "signing_prize_1"),
    ],
)
def test_a_bad_edit_shows_field_errors_and_writes_nothing(web, plan, changes, field):
    rates = list(plan.commission_rates.values_list("pk", "value"))
    response = web(Role.MANAGER).post(f"{PLANS}{plan.pk}/edit/", _post_data(plan, **changes))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert IncentivePlan.objects.count() == 1
    assert list(plan.commission_rates.values_list("pk", "value")) == rates


def test_a_percent_over_100_is_refused_above_the_form(web, plan):
    data = _post_data(
        plan,
        **{"rates-1-property_type": "villa", "rates-1-mode": "percent", "rates-1-value": "150"},
    )
    response = web(Role.MANAGER).post(f"{PLANS}{plan.pk}/edit/", data)
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert IncentivePlan.objects.count() == 1


def test_home_shows_the_plans_tile_to_readers_only(web):
    assert 'data-testid="home-plans"' in web(Role.SUPERVISOR).get("/").content.decode()
    assert 'data-testid="home-plans"' not in web(Role.MARKETER).get("/").content.decode()


def test_plan_updates_refusal_shows_on_its_field_and_writes_nothing(web, plan, monkeypatch):
    """plan_update refuses to change a plan an approved statement used: the page shows why."""

    def refuse(**kwargs):
        raise ValidationError({"effective_from": ["An approved statement used this plan."]})

    monkeypatch.setattr(plan_versions, "plan_update", refuse)
    data = _post_data(plan, effective_from="2026-01-01", referral_bonus="250")
    response = web(Role.MANAGER).post(f"{PLANS}{plan.pk}/edit/", data)
    assert response.status_code == 400
    assert "An approved statement used this plan." in response.content.decode()
    plan.refresh_from_db()
    assert plan.referral_bonus == Decimal("200")


def test_a_plan_without_rates_says_signings_earn_nothing(web):
    bare = IncentivePlan.objects.create(name="空方案", effective_from=date(2026, 3, 1))
    body = web(Role.MANAGER).get(f"{PLANS}{bare.pk}/").content.decode()
    assert "none set: signings earn no commission" in body
    assert "Every other project" in body


def test_an_unknown_plan_is_404(web):
    assert web(Role.MANAGER).get(f"{PLANS}999999/").status_code == 404

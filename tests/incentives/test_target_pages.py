"""The target pages: managers and supervisors list targets with live attainment, set them,
change their value and split a quarter into months through the target services; bad input is
a field error that stores nothing; a supervisor works within their own teams; other roles are
refused; the list's queries stay constant and its export reads back as real cells."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from common.roles import Role
from incentives.models import Target
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, marketer

pytestmark = pytest.mark.django_db

LIST, NEW = "/incentives/targets/", "/incentives/targets/new/"


def edit_url(target):
    return f"/incentives/targets/{target.pk}/edit/"


def split_url(target):
    return f"/incentives/targets/{target.pk}/split/"


@pytest.fixture
def web(browser_as):
    """browser_as (tests/conftest.py): web(role) or web(role, user=...), reading English."""
    return browser_as


@pytest.fixture
def supervisor(make_login):
    user = make_login(Role.SUPERVISOR)
    user.team = TeamFactory(supervisor=user.staff, name="一组")
    return user


def target(subject_type="company", subject_id=None, **fields):
    values = {"metric": "signing_amount", "period": "2026-Q4", "value": Decimal("300.00")}
    values.update(fields)
    return Target.objects.create(subject_type=subject_type, subject_id=subject_id, **values)


def errors_of(response) -> set[str]:
    form = response.context["form"]
    return set(form.errors)


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.SUPERVISOR, 200),
        (Role.SECRETARY, 403),
        (Role.MARKETER, 403),
        (Role.CONSULTANT, 403),
        (Role.PARTNER, 403),
    ],
)
def test_managers_and_supervisors_work_on_targets_others_are_refused(web, role, status):
    company = target()
    client = web(role)
    for url in (LIST, NEW, edit_url(company), split_url(company), f"{LIST}?export=xlsx"):
        assert client.get(url).status_code == status, url
    posted = client.post(NEW, {"subject_type": "company", "metric": "registrations"})
    assert posted.status_code == (400 if status == 200 else status)  # no period, no value
    if status != 200:
        assert client.post(split_url(company), {"how": "even", "action": "save"}).status_code == 403
        assert not company.parts.exists()


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_menu_shows_targets_to_managers_and_supervisors_only(web):
    assert 'data-testid="nav-targets"' in web(Role.MANAGER).get("/").content.decode()
    assert 'data-testid="nav-targets"' not in web(Role.MARKETER).get("/").content.decode()


# --- create ---------------------------------------------------------------------------------


def test_a_manager_sets_a_company_quarter_target_and_goes_on_to_split_it(web):
    client = web(Role.MANAGER)
    response = client.post(
        NEW,
        {
            "subject_type": "company",
            "metric": "signing_amount",
            "period": "2026-q4",
            "value": "9000000.01",
        },
    )
    stored = Target.objects.get()
    assert response.status_code == 302
    assert response["Location"] == split_url(stored)
    assert (stored.subject_type, stored.subject_id, stored.metric) == (
        "company",
        None,
        "signing_amount",
    )
    assert (stored.period, stored.value, stored.parent) == ("2026-Q4", Decimal("9000000.01"), None)
    assert stored.created_by == client.user


def test_a_month_target_goes_back_to_the_list(web, team):
    person = marketer(team)
    response = web(Role.MANAGER).post(
        NEW,
        {
            "subject_type": "staff",
            "staff": person.pk,
            "metric": "valid_visits",
            "period": "2026-11",
            "value": "20",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    stored = Target.objects.get()
    assert (stored.subject_type, stored.subject_id, stored.value) == ("staff", person.pk, 20)


def test_a_supervisor_sets_a_target_for_their_own_team(web, supervisor):
    response = web(Role.SUPERVISOR, user=supervisor).post(
        NEW,
        {
            "subject_type": "team",
            "team": supervisor.team.pk,
            "metric": "signed_units",
            "period": "2026-11",
            "value": "5",
        },
    )
    assert response.status_code == 302
    stored = Target.objects.get()
    assert (stored.subject_type, stored.subject_id, stored.created_by) == (
        "team",
        supervisor.team.pk,
        supervisor,
    )


BASE = {
    "subject_type": "company",
    "metric": "signing_amount",
    "period": "2026-11",
    "value": "100.00",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "lots"}, "value"),
        ({"value": ""}, "value"),
        ({"period": "2026-13"}, "period"),
        ({"period": "next year"}, "period"),
        ({"metric": "valid_visits", "value": "10.5"}, "value"),
        ({"metric": "happiness"}, "metric"),
        ({"subject_type": ""}, "subject_type"),
        ({"subject_type": "team"}, "team"),
        ({"subject_type": "team", "team": "999999"}, "team"),
        ({"subject_type": "partner"}, "partner"),
    ],
)
def test_bad_targets_are_field_errors_and_store_nothing(web, change, field):
    response = web(Role.MANAGER).post(NEW, {**BASE, **change})
    assert response.status_code == 400
    assert field in errors_of(response)
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Target.objects.exists()


def test_a_second_target_for_the_same_subject_and_period_is_refused(web):
    target(period="2026-11", value=Decimal("5"))
    response = web(Role.MANAGER).post(NEW, BASE)
    assert response.status_code == 400
    assert "period" in errors_of(response)
    assert Target.objects.count() == 1


@pytest.mark.parametrize("subject", ["company", "partner", "other-team"])
def test_a_supervisor_cannot_set_company_partner_or_other_teams_targets(web, supervisor, subject):
    data = {"metric": "signed_units", "period": "2026-11", "value": "5"}
    if subject == "company":
        data["subject_type"] = "company"
    elif subject == "partner":
        data |= {"subject_type": "partner", "partner": PartnerFactory().pk}
    else:
        data |= {"subject_type": "team", "team": TeamFactory().pk}
    response = web(Role.SUPERVISOR, user=supervisor).post(NEW, data)
    assert response.status_code == 400
    assert errors_of(response) & {"subject_type", "team"}
    assert not Target.objects.exists()


# --- edit -----------------------------------------------------------------------------------


def test_a_manager_changes_a_targets_value(web):
    company = target()
    response = web(Role.MANAGER).post(edit_url(company), {"value": "450.50"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.value == Decimal("450.50")


@pytest.mark.parametrize(("value", "field"), [("-3", "value"), ("x", "value"), ("", "value")])
def test_a_bad_value_is_a_field_error_and_changes_nothing(web, value, field):
    company = target()
    response = web(Role.MANAGER).post(edit_url(company), {"value": value})
    assert response.status_code == 400
    assert field in errors_of(response)
    company.refresh_from_db()
    assert company.value == Decimal("300.00")


def test_a_supervisor_changing_a_company_target_gets_a_field_error(web, supervisor):
    company = target()
    client = web(Role.SUPERVISOR, user=supervisor)
    page = client.get(LIST).content.decode()
    assert f'data-target="{company.pk}"' in page  # they read it …
    assert edit_url(company) not in page  # … and are offered no change
    response = client.post(edit_url(company), {"value": "1"})
    assert response.status_code == 400
    assert "value" in errors_of(response)
    assert "your own teams" in response.content.decode()
    company.refresh_from_db()
    assert company.value == Decimal("300.00")


def test_a_supervisor_changes_their_teams_targets_and_never_sees_another_teams(web, supervisor):
    mine = target("team", supervisor.team.pk, metric="signed_units", value=Decimal("30"))
    theirs = target("team", TeamFactory().pk, metric="signed_units", value=Decimal("30"))
    client = web(Role.SUPERVISOR, user=supervisor)
    assert client.post(edit_url(mine), {"value": "33"}).status_code == 302
    for url in (edit_url(theirs), split_url(theirs)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"value": "1", "how": "even", "action": "save"}).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.value, theirs.value) == (33, 30)
    assert not theirs.parts.exists()


# --- split ----------------------------------------------------------------------------------


def test_the_preview_shows_the_months_and_stores_nothing(web):
    quarter = target(value=Decimal("100.00"))
    response = web(Role.MANAGER).post(split_url(quarter), {"how": "even", "action": "preview"})
    assert response.status_code == 200
    assert [row["period"] for row in response.context["preview"]] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert [row["value"] for row in response.context["preview"]] == ["33.34", "33.33", "33.33"]
    assert 'data-testid="no-parts"' in response.content.decode()
    assert not quarter.parts.exists()


def test_saving_a_split_stores_months_that_add_up_to_the_cent(web):
    quarter = target(value=Decimal("10000000.01"))
    client = web(Role.MANAGER)
    data = {"how": "weights", "weight_1": "1", "weight_2": "1", "weight_3": "2", "action": "save"}
    response = client.post(split_url(quarter), data)
    assert response.status_code == 302
    parts = list(quarter.parts.order_by("period"))
    assert [(p.period, p.value) for p in parts] == [
        ("2026-10", Decimal("2500000.00")),
        ("2026-11", Decimal("2500000.00")),
        ("2026-12", Decimal("5000000.01")),
    ]
    assert {(p.metric, p.subject_type, p.subject_id) for p in parts} == {
        ("signing_amount", "company", None)
    }
    shown = client.get(split_url(quarter))
    assert [row["value"] for row in shown.context["parts"]] == [
        "2,500,000.00",
        "2,500,000.00",
        "5,000,000.01",
    ]
    again = client.post(split_url(quarter), {"how": "days", "action": "save"})
    assert again.status_code == 302
    assert quarter.parts.count() == 3  # replaced, not added
    assert sum(p.value for p in quarter.parts.all()) == Decimal("10000000.01")


def test_counted_targets_split_in_whole_units_by_days(web):
    quarter = target(metric="valid_visits", period="2028-Q1", value=Decimal("100"))
    web(Role.MANAGER).post(split_url(quarter), {"how": "days", "action": "save"})
    assert [p.value for p in quarter.parts.order_by("period")] == [34, 32, 34]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"how": "weights", "weight_1": "1", "weight_2": "", "weight_3": "1"}, "weight_2"),
        ({"how": "weights", "weight_1": "0", "weight_2": "0", "weight_3": "0"}, "how"),
        ({"how": "weights", "weight_1": "-1", "weight_2": "2", "weight_3": "1"}, "how"),
        ({"how": "weights", "weight_1": "a", "weight_2": "2", "weight_3": "1"}, "weight_1"),
        ({"how": "sideways"}, "how"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "save"])
def test_bad_splits_are_field_errors_and_store_nothing(web, data, field, action):
    quarter = target()
    response = web(Role.MANAGER).post(split_url(quarter), {**data, "action": action})
    assert response.status_code == 400
    assert field in errors_of(response)
    assert response.context["preview"] is None
    assert not quarter.parts.exists()


def test_a_split_that_meets_existing_monthly_targets_is_refused(web):
    quarter = target()
    target(period="2026-11", value=Decimal("5"))
    response = web(Role.MANAGER).post(split_url(quarter), {"how": "even", "action": "save"})
    assert response.status_code == 400
    assert "2026-11" in " ".join(response.context["form"].errors["how"])
    assert not quarter.parts.exists()


def test_a_month_target_offers_no_split(web):
    month = target(period="2026-11")
    response = web(Role.MANAGER).get(split_url(month))
    assert 'data-testid="not-splittable"' in response.content.decode()
    web(Role.MANAGER).post(split_url(month), {"how": "even", "action": "save"})
    assert Target.objects.count() == 1


def test_a_supervisor_splitting_a_company_target_gets_a_field_error(web, supervisor):
    quarter = target()
    response = web(Role.SUPERVISOR, user=supervisor).post(
        split_url(quarter), {"how": "even", "action": "save"}
    )
    assert response.status_code == 400
    assert "how" in errors_of(response)
    assert not quarter.parts.exists()


def test_a_supervisor_splits_their_teams_quarter(web, supervisor):
    quarter = target("team", supervisor.team.pk, metric="signed_units", value=Decimal("30"))
    response = web(Role.SUPERVISOR, user=supervisor).post(
        split_url(quarter), {"how": "even", "action": "save"}
    )
    assert response.status_code == 302
    assert [p.value for p in quarter.parts.order_by("period")] == [10, 10, 10]


# --- the list -------------------------------------------------------------------------------


def rows_of(response) -> list[int]:
    return [row.record.pk for row in response.context["listing"].table.paginated_rows]


def test_the_list_shows_live_attainment(web, team):
    person = marketer(team)
    valid_visits(person, 15, date(2026, 10, 12))
    signing(person, "750000.00", date(2026, 10, 13))
    visits = target(
        "staff", person.pk, metric="valid_visits", period="2026-10", value=Decimal("20")
    )
    amount = target("team", team.pk, period="2026-10", value=Decimal("1000000"))
    response = web(Role.MANAGER).get(LIST)
    html = response.content.decode()
    table = response.context["listing"].table
    assert table.actuals == {visits.pk: 15, amount.pk: Decimal("750000.00")}
    assert "75.00%" in html
    assert "750,000.00" in html
    assert person.name in html and team.name in html


def test_the_list_filters_by_period_metric_subject_type_project_and_team(web):
    project = ProjectFactory()
    team = TeamFactory(project=project)
    person = marketer(team)
    quarter = target()
    october = target(period="2026-10", parent=quarter)
    team_target = target("team", team.pk, metric="registrations", period="2027-01")
    person_target = target("staff", person.pk, metric="valid_visits", period="2027-01")
    elsewhere = target("team", TeamFactory().pk, metric="registrations", period="2027-01")
    client = web(Role.MANAGER)
    assert set(rows_of(client.get(LIST, {"period": "2026-q4"}))) == {quarter.pk, october.pk}
    assert set(rows_of(client.get(LIST, {"period": "2026-10"}))) == {october.pk}
    assert set(rows_of(client.get(LIST, {"metric": "registrations"}))) == {
        team_target.pk,
        elsewhere.pk,
    }
    assert set(rows_of(client.get(LIST, {"subject_type": "staff"}))) == {person_target.pk}
    assert set(rows_of(client.get(LIST, {"team": team.pk}))) == {team_target.pk, person_target.pk}
    assert set(rows_of(client.get(LIST, {"project": project.pk}))) == {
        team_target.pk,
        person_target.pk,
    }
    bad = client.get(LIST, {"period": "2026-13"})
    assert rows_of(bad) == []
    assert "period" in bad.context["listing"].filterset.errors


def test_a_supervisor_lists_the_company_their_teams_and_their_people_only(web, supervisor):
    person = marketer(supervisor.team)
    other = TeamFactory()
    seen = {
        target().pk,
        target("team", supervisor.team.pk).pk,
        target("staff", person.pk).pk,
    }
    target("team", other.pk)
    target("staff", marketer(other).pk)
    client = web(Role.SUPERVISOR, user=supervisor)
    assert set(rows_of(client.get(LIST))) == seen
    refused = client.get(LIST, {"team": other.pk})  # not one of theirs: no rows, a field error
    assert rows_of(refused) == []
    assert "team" in refused.context["listing"].filterset.errors
    options = refused.context["listing"].filterset.form.fields["team"].queryset
    assert list(options) == [supervisor.team]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("subject_type", ["team", "staff", "partner"])
def test_the_list_takes_the_same_number_of_queries_for_3_or_30_rows(web, subject_type):
    make = {
        "team": lambda: TeamFactory().pk,
        "staff": lambda: marketer(TeamFactory()).pk,
        "partner": lambda: PartnerFactory().pk,
    }[subject_type]
    client = web(Role.MANAGER)
    for _ in range(3):
        target(subject_type, make(), period="2026-11")
    target(period="2026-11")  # and the company's
    few = _queries(client, LIST)
    for _ in range(27):
        target(subject_type, make(), period="2026-11")
    assert _queries(client, LIST) == few
    assert _queries(client, f"{LIST}?page=2") <= few  # no company row there: one group less
    assert _queries(client, f"{LIST}?metric=signing_amount&period=2026-Q4") == few


def test_the_export_is_every_filtered_target_as_real_cells(web, team):
    person = marketer(team)
    valid_visits(person, 15, date(2026, 10, 12))
    target("staff", person.pk, metric="valid_visits", period="2026-10", value=Decimal("20"))
    target(period="2026-10", value=Decimal("1234567.89"))
    target(period="2025-10", value=Decimal("1"))  # filtered out
    response = web(Role.MANAGER).get(LIST, {"period": "2026-10", "export": "xlsx", "sort": "value"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0] == (
        "Period",
        "Subject",
        "Metric",
        "Target",
        "Actual",
        "Attainment %",
        "Subject type",
        "Split from",
    )
    assert rows[1] == ("2026-10", person.name, "Valid visits", 20, 15, 75, "Staff member", None)
    assert rows[2][:7] == ("2026-10", "The company", "Signing amount", 1234567.89, 0, 0, "Company")
    assert len(rows) == 3


def test_the_list_opens_on_the_years_and_quarters_each_with_its_split_link(web, team):
    client = web(Role.MANAGER)
    weeks = [
        target("team", team.pk, period=f"2026-W{n:02d}", metric="valid_visits", value=10)
        for n in range(30, 52)
    ]
    quarter = target()
    year = target(period="2026", metric="valid_visits", value=100)
    month = target(period="2026-10", metric="valid_visits", value=10)
    page = client.get(LIST)
    shown = rows_of(page)
    assert shown[:3] == [year.pk, quarter.pk, month.pk] and weeks[-1].pk in shown
    body = page.content.decode()
    assert split_url(quarter) in body and split_url(year) in body
    assert split_url(month) not in body

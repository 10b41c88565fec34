"""The channel cost pages: a manager records and corrects costs through cost_record /
cost_update, a supervisor reads those of their teams' projects, other roles are refused; bad
input is a field error that stores nothing; the list totals what its filter shows in a
constant number of queries, and its export reads back as real cells."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from common.roles import Role
from incentives.models import ChannelCost
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory

pytestmark = pytest.mark.django_db

LIST, NEW = "/incentives/costs/", "/incentives/costs/new/"


def edit_url(cost):
    return f"/incentives/costs/{cost.pk}/edit/"


@pytest.fixture
def web(browser_as):
    """browser_as (tests/conftest.py): web(role) or web(role, user=...), reading English."""
    return browser_as


def cost(amount="100.00", period="2026-11", category="promotion", **fields):
    return ChannelCost.objects.create(
        amount=Decimal(amount), period=period, category=category, **fields
    )


@pytest.fixture
def supervisor(make_login):
    user = make_login(Role.SUPERVISOR)
    user.project = TeamFactory(supervisor=user.staff).project
    return user


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.MANAGER, 200, 200),
        (Role.SUPERVISOR, 200, 403),
        (Role.SECRETARY, 403, 403),
        (Role.MARKETER, 403, 403),
        (Role.CONSULTANT, 403, 403),
        (Role.PARTNER, 403, 403),
    ],
)
def test_managers_record_supervisors_read_others_are_refused(web, role, read, write):
    entry = cost()
    client = web(role)
    assert client.get(LIST).status_code == read
    assert client.get(f"{LIST}?export=xlsx").status_code == read
    assert client.get(NEW).status_code == write
    assert client.get(edit_url(entry)).status_code == write
    if write == 403:
        body = {"category": "training", "period": "2026-11", "amount": "5"}
        assert client.post(NEW, body).status_code == 403
        assert client.post(edit_url(entry), {**body, "amount": "1"}).status_code == 403
        entry.refresh_from_db()
        assert (ChannelCost.objects.count(), entry.amount) == (1, Decimal("100.00"))


def test_the_menu_shows_costs_to_managers_and_supervisors(web, supervisor):
    assert 'data-testid="nav-costs"' in web(Role.MANAGER).get("/").content.decode()
    page = web(Role.SUPERVISOR, user=supervisor).get(LIST).content.decode()
    assert 'data-testid="nav-costs"' in page
    assert 'data-testid="new-cost"' not in page  # they read, they do not record
    assert 'data-testid="nav-costs"' not in web(Role.SECRETARY).get("/").content.decode()


def test_a_manager_records_a_cost_as_the_service_stores_it(web):
    project, partner = ProjectFactory(), PartnerFactory()
    client = web(Role.MANAGER)
    response = client.post(
        NEW,
        {
            "category": "training",
            "period": " 2026-11 ",
            "amount": "12345.60",
            "project": project.pk,
            "partner": partner.pk,
            "note": "渠道培训场地",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    stored = ChannelCost.objects.get()
    assert (stored.category, stored.period, stored.amount) == (
        "training",
        "2026-11",
        Decimal("12345.60"),
    )
    assert (stored.project, stored.partner, stored.note, stored.created_by) == (
        project,
        partner,
        "渠道培训场地",
        client.user,
    )


def test_a_cost_without_project_counts_for_the_whole_company(web):
    response = web(Role.MANAGER).post(
        NEW, {"category": "management", "period": "2026-10", "amount": "8"}
    )
    assert response.status_code == 302
    stored = ChannelCost.objects.get()
    assert (stored.project, stored.partner, stored.amount) == (None, None, Decimal("8.00"))


BODY = {"category": "promotion", "period": "2026-11", "amount": "10.00"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"period": "2026-W40"}, "period"),
        ({"period": "2026-Q4"}, "period"),
        ({"period": "2026-13"}, "period"),
        ({"period": "bad"}, "period"),
        ({"period": ""}, "period"),
        ({"category": "party"}, "category"),
        ({"category": ""}, "category"),
        ({"project": "999999"}, "project"),
        ({"partner": "999999"}, "partner"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_bad_costs_are_field_errors_and_store_nothing(web, change, field):
    response = web(Role.MANAGER).post(NEW, {**BODY, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not ChannelCost.objects.exists()


def test_both_service_refusals_show_at_once(web):
    response = web(Role.MANAGER).post(NEW, {**BODY, "amount": "0", "period": "2026-W40"})
    assert {"amount", "period"} <= set(response.context["form"].errors)


def test_a_manager_corrects_a_cost(web):
    entry = cost(project=ProjectFactory())
    client = web(Role.MANAGER)
    form = client.get(edit_url(entry)).context["form"]
    assert form.initial["amount"] == Decimal("100.00")
    response = client.post(edit_url(entry), {**BODY, "amount": "250.50", "period": "2026-12"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.amount, entry.period, entry.project) == (Decimal("250.50"), "2026-12", None)


def test_a_bad_correction_changes_nothing(web):
    entry = cost()
    response = web(Role.MANAGER).post(edit_url(entry), {**BODY, "amount": "-1"})
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00")


def test_a_missing_cost_is_404(web):
    assert web(Role.MANAGER).get("/incentives/costs/999999/edit/").status_code == 404


def rows_of(response) -> list[int]:
    return [row.record.pk for row in response.context["listing"].table.paginated_rows]


def test_a_supervisor_reads_their_teams_projects_costs_only(web, supervisor):
    mine = cost(project=supervisor.project)
    cost(project=ProjectFactory())
    cost()  # the whole company's: a manager's figure
    client = web(Role.SUPERVISOR, user=supervisor)
    response = client.get(LIST)
    assert rows_of(response) == [mine.pk]
    assert response.context["listing"].table.total == Decimal("100.00")
    assert list(response.context["listing"].filterset.form.fields["project"].queryset) == [
        supervisor.project
    ]


def test_the_list_filters_and_totals_what_it_shows(web):
    project, partner = ProjectFactory(), PartnerFactory()
    a = cost("1000.10", project=project, partner=partner)
    b = cost("2000.20", category="training", project=project)
    c = cost("4000.40", period="2026-10")
    client = web(Role.MANAGER)
    everything = client.get(LIST)
    assert set(rows_of(everything)) == {a.pk, b.pk, c.pk}
    assert 'data-testid="cost-total">7,000.70<' in everything.content.decode()
    assert set(rows_of(client.get(LIST, {"period": "2026-11"}))) == {a.pk, b.pk}
    assert set(rows_of(client.get(LIST, {"period": "2026-q4"}))) == {a.pk, b.pk, c.pk}
    assert rows_of(client.get(LIST, {"period": "2026-Q3"})) == []
    assert set(rows_of(client.get(LIST, {"category": "training"}))) == {b.pk}
    assert set(rows_of(client.get(LIST, {"project": project.pk}))) == {a.pk, b.pk}
    filtered = client.get(LIST, {"partner": partner.pk})
    assert rows_of(filtered) == [a.pk]
    assert filtered.context["listing"].table.total == Decimal("1000.10")
    bad = client.get(LIST, {"period": "2026-13"})
    assert rows_of(bad) == []
    assert "period" in bad.context["listing"].filterset.errors
    assert bad.context["listing"].table.total == Decimal("0.00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_number_of_queries_for_3_or_30_rows(web):
    client = web(Role.MANAGER)
    for _ in range(3):
        cost(project=ProjectFactory(), partner=PartnerFactory())
    few = _queries(client, LIST)
    for _ in range(27):
        cost(project=ProjectFactory(), partner=PartnerFactory())
    assert _queries(client, LIST) == few
    assert _queries(client, f"{LIST}?page=2") == few
    assert _queries(client, f"{LIST}?category=promotion&period=2026-11") == few


def test_the_export_is_every_filtered_cost_as_real_cells(web):
    project, partner = ProjectFactory(name="锦绣华庭"), PartnerFactory(name="链家")
    cost("1234567.89", project=project, partner=partner, note="春季暖场")
    cost("10.00", category="training")
    cost("99.00", period="2026-10")  # filtered out
    response = web(Role.MANAGER).get(
        LIST, {"period": "2026-11", "export": "xlsx", "sort": "-amount"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == (
        "Month",
        "Category",
        "Project",
        "Partner",
        "Campaign",
        "Amount (CNY)",
        "Note",
    )
    assert rows[1] == ("2026-11", "Promotion", "锦绣华庭", "链家", None, 1234567.89, "春季暖场")
    assert rows[2] == ("2026-11", "Training", "The whole company", None, None, 10, None)
    assert len(rows) == 3
    assert sheet.cell(row=2, column=6).number_format == "#,##0.00"

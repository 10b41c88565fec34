"""Budgets (预算): set once per project (or the company) × month × category, budget against
actual to the cent on the 费效 page with a warning when spend passes its budget, and who
sees which budgets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.periods import parse_period
from common.roles import Role
from incentives.selectors.budgets import budget_vs_actual
from incentives.services.budgets import budget_set
from incentives.services.costs import cost_record
from sales.models import Staff
from tests.api_base import PartnerScopedEndpointCase
from tests.factories.org import ProjectFactory, TeamFactory

pytestmark = pytest.mark.django_db
NOV = parse_period("2026-11")


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def spent(manager):
    """锦绣华庭: promotion budget 10,000.00 against 6,000.25 + 4,000.00 spent (0.25 over);
    the company: training budget 5,000.00 against 1,234.56 spent without a project; an
    October cost and budget that November does not see."""
    project = ProjectFactory(name="锦绣华庭")
    budget_set(
        actor=manager,
        project=project,
        month="2026-11",
        category="promotion",
        amount=Decimal("10000.00"),
    )
    budget_set(actor=manager, month="2026-11", category="training", amount=Decimal("5000.00"))
    budget_set(actor=manager, month="2026-10", category="training", amount=Decimal("1.00"))
    for amount in ("6000.25", "4000.00"):
        cost_record(
            actor=manager,
            category="promotion",
            period="2026-11",
            amount=Decimal(amount),
            project=project,
        )
    cost_record(actor=manager, category="training", period="2026-11", amount=Decimal("1234.56"))
    cost_record(actor=manager, category="training", period="2026-10", amount=Decimal("99.00"))
    return project


def test_budget_against_actual_to_the_cent(spent):
    report = budget_vs_actual(period=NOV)
    rows = {(r["project"], r["category"]): r for r in report["rows"]}
    promotion = rows[(spent.pk, "promotion")]
    training = rows[(None, "training")]
    assert (promotion["budget"], promotion["actual"], promotion["difference"]) == (
        Decimal("10000.00"),
        Decimal("10000.25"),
        Decimal("-0.25"),
    )
    assert promotion["over"] is True
    assert (training["budget"], training["actual"], training["difference"]) == (
        Decimal("5000.00"),
        Decimal("1234.56"),
        Decimal("3765.44"),
    )
    company = report["company"]
    assert (company["budget"], company["actual"], company["difference"]) == (
        Decimal("15000.00"),
        Decimal("11234.81"),
        Decimal("3765.19"),
    )
    # The project passed its budget; the company as a whole did not.
    assert [(w["project"], w["actual"]) for w in report["warnings"]] == [
        (spent.pk, Decimal("10000.25"))
    ]


def test_the_cost_effectiveness_api_carries_budget_against_actual(client_as, manager, spent):
    """The API reads what the 费效 page shows: each budget row, the totals and the warning."""
    report = client_as(Role.MANAGER, user=manager).get(
        "/api/v1/cost-effectiveness/?period=2026-11", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert report.status_code == 200
    budgets = report.json()["budgets"]
    rows = {(r["project"], r["category"]): r for r in budgets["rows"]}
    assert rows[(spent.pk, "promotion")] | {"category_label": "?"} == {
        "project": spent.pk,
        "project_name": "锦绣华庭",
        "category": "promotion",
        "category_label": "?",
        "budget": "10000.00",
        "actual": "10000.25",
        "difference": "-0.25",
        "over": True,
    }
    assert rows[(None, "training")]["difference"] == "3765.44"
    assert (budgets["company"]["budget"], budgets["company"]["actual"]) == ("15000.00", "11234.81")
    assert [(w["project"], w["actual"]) for w in budgets["warnings"]] == [(spent.pk, "10000.25")]
    assert "promotion" not in rows[(spent.pk, "promotion")]["category_label"]  # words, zh-hans


def test_the_cost_page_warns_of_spend_over_budget(browser_as, manager, spent):
    page = browser_as(Role.MANAGER, user=manager).get(
        reverse("incentives:cost-report"), {"month": "2026-11"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="over-budget"' in text
    assert "锦绣华庭 spent 10,000.25 yuan this month, over its budget of 10,000.00 yuan." in text
    assert "-0.25" in text


@pytest.mark.usefixtures("english")
def test_a_second_budget_for_the_same_month_and_category_is_refused(manager, spent):
    with pytest.raises(ValidationError) as refused:
        budget_set(actor=manager, month="2026-11", category="training", amount=Decimal("1"))
    assert "already has a budget" in refused.value.message_dict["category"][0]


def test_a_budget_for_a_quarter_is_a_field_error_over_the_api(client_as, manager):
    response = client_as(Role.MANAGER, user=manager).post(
        reverse("budget-list"),
        {"month": "2026-Q4", "category": "training", "amount": "100.00"},
        format="json",
    )
    assert response.status_code == 400
    assert "month" in str(response.json())


def test_a_manager_sets_a_budget_over_the_api(client_as, manager):
    project = ProjectFactory()
    response = client_as(Role.MANAGER, user=manager).post(
        reverse("budget-list"),
        {"project": project.pk, "month": "2026-11", "category": "promotion", "amount": "8888.88"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": response.json()["id"],
        "project": project.pk,
        "month": "2026-11",
        "category": "promotion",
        "amount": "8888.88",
    }


def test_a_supervisor_sees_only_their_projects_budgets_and_may_not_set_one(
    client_as, make_login, manager, spent
):
    user = make_login(Role.SUPERVISOR)
    mine = ProjectFactory()
    TeamFactory(project=mine, supervisor=Staff.objects.get(user=user))
    budget_set(
        actor=manager, project=mine, month="2026-11", category="training", amount=Decimal("7")
    )
    client = client_as(Role.SUPERVISOR, user=user)
    listed = client.get(reverse("budget-list")).json()["results"]
    assert [(row["project"], row["amount"]) for row in listed] == [(mine.pk, "7.00")]
    body = {"project": mine.pk, "month": "2026-12", "category": "training", "amount": "1.00"}
    assert client.post(reverse("budget-list"), body, format="json").status_code == 403
    report = budget_vs_actual(period=NOV, project_ids={mine.pk})
    assert report["company"] is None
    assert [r["project"] for r in report["rows"]] == [mine.pk]


class TestBudgetList(PartnerScopedEndpointCase):
    url = "budget-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR})

    def rows(self, n, user):
        from incentives.models import Budget

        for _ in range(n):
            Budget.objects.create(
                project=ProjectFactory(), month="2026-11", category="training", amount=1
            )

    def foreign_row(self):
        from incentives.models import Budget

        return Budget.objects.create(month="2026-11", category="management", amount=1).pk


def test_the_budget_page_filters_the_companys_own_with_all_yes_no(browser_as, manager, spent):
    """The yes/no filter reads 全部/是/否 (Django's own select says 未知), and 是 keeps only the
    company's own budgets."""
    browser = browser_as(Role.MANAGER, user=manager)
    page = browser.get(
        reverse("incentives:budget-list"), {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    select = text[text.index('name="company"') :].split("</select>")[0]
    assert ">全部</option>" in select and ">是</option>" in select and ">否</option>" in select
    assert "未知" not in select
    own = browser.get(reverse("incentives:budget-list"), {"month": "2026-11", "company": "true"})
    assert "锦绣华庭" not in own.content.decode().split("<tbody")[-1]
    assert "5,000.00" in own.content.decode()

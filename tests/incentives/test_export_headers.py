"""Every xlsx download names each column once, in Chinese and in English: payroll and partner
sheets, every leaderboard, the dashboard, the daily report, the import templates and every
list page's export (common/lists.py). A header twice (the team board's 团队, 团队) is a column
nobody can tell apart; `common.xlsx.Sheet` refuses one outright."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from common.lists import Table
from common.periods import local_today, parse_period
from common.roles import Role
from common.xlsx import Sheet, duplicate_headers
from incentives.choices import BoardKind
from incentives.exports import leaderboard_sheet, partner_statements_sheets, statements_sheets
from incentives.models import Statement
from incentives.services import period_compute
from portal.dashboard.exports import dashboard_sheets
from portal.dashboard.selectors import dashboard
from sales.exports import daily_report_workbook
from sales.selectors.reports import daily_report
from sales.services import imports
from tests.factories.activity import signing, valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def _unique(headers) -> None:
    headers = [str(h) for h in headers]
    assert duplicate_headers(headers) == [], headers


def _all_tables() -> list[type]:
    assert get_resolver().url_patterns  # import every page module, and with it every table
    found, todo = [], [Table]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls is not Table and not cls.__module__.startswith("tests."):
            found.append(cls)
    return found


def test_a_sheet_with_a_header_twice_is_refused():
    with pytest.raises(ValueError, match="团队"):
        Sheet(title="x", headers=("排名", "团队", "团队"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_list_export_names_each_column_once(language):
    tables = _all_tables()
    assert len(tables) >= 8  # visits, customers, approvals, targets, costs, partners, …
    with translation.override(language):
        for table_class in tables:
            table = table_class([])
            exported = [c for c in table.columns if not c.column.exclude_from_export]
            assert exported, table_class
            _unique(c.header for c in exported)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(BoardKind))
def test_every_leaderboard_export_names_each_column_once(language, kind):
    board = {"kind": kind, "period": "2026-10", "frozen": False, "entries": []}
    with translation.override(language):
        sheet = leaderboard_sheet(board)
    _unique(sheet.headers)
    if kind == BoardKind.MONTHLY_TEAM_SIGNINGS:
        assert [str(h) for h in sheet.headers].count("团队" if language == "zh-hans" else "Team")


@pytest.fixture
def october(plan, team):
    twin_a = marketer(team, name="张伟")
    twin_b = marketer(team, name="张伟")
    valid_visits(twin_a, 3, date(2026, 10, 12))
    signing(twin_b, "800000.00", date(2026, 10, 19))
    period_compute(period=OCT, now=AFTER_OCT)
    return Statement.objects.filter(period=OCT).select_related("staff__team__project")


@pytest.mark.parametrize("language", LANGUAGES)
def test_payroll_export_tells_two_people_of_one_name_apart(october, team, language):
    with translation.override(language):
        summary, lines = statements_sheets(october)
        partner_sheets = partner_statements_sheets([])
    for sheet in (summary, lines, *partner_sheets):
        _unique(sheet.headers)
    headers = [str(h) for h in summary.headers]
    with translation.override(language):
        staff_id, name, _team, project = (
            headers.index(gettext(word)) for word in ("Staff ID", "Name", "Team", "Project")
        )
    assert (staff_id, project) == (0, 3)
    assert headers[0] == ("员工编号" if language == "zh-hans" else "Staff ID")
    rows = [row for row in summary.rows if row[name] == "张伟"]
    assert sorted(row[staff_id] for row in rows) == sorted(
        s.staff_id for s in october if s.staff.name == "张伟"
    )
    assert len({row[staff_id] for row in rows}) == 2
    assert {row[project] for row in rows} == {team.project.name}
    line_headers = [str(h) for h in lines.headers]
    assert line_headers[:4] == headers[:4]  # the Lines sheet names people the same way
    assert {row[0] for row in lines.rows} <= {s.staff_id for s in october}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_and_daily_report_exports_name_each_column_once(make_login, team, language):
    manager = make_login(Role.MANAGER)
    with translation.override(language):
        data = dashboard(user=manager, month=parse_period("2026-10"), today=local_today())
        for sheet in dashboard_sheets(data):
            _unique(sheet.headers)
        report = daily_report(project=team.project, on=local_today())
        book = load_workbook(io.BytesIO(daily_report_workbook(report, project_code="p")))
    header_row = [c.value for c in book["日报"][5] if c.value is not None]
    assert header_row[0] == "指标"
    _unique(header_row)


@pytest.mark.parametrize("kind", imports.KINDS)
def test_import_templates_name_each_column_once(kind):
    book = load_workbook(io.BytesIO(imports.import_template(kind=kind)))
    headers = [c.value for c in book["数据"][2] if c.value is not None]
    assert headers == [c.zh for c in imports.COLUMNS[kind]]
    _unique(headers)
    _unique(c.value for c in book["说明"][1] if c.value is not None)


def test_the_team_board_names_its_team_once_and_people_boards_their_staff_id():
    team_board = leaderboard_sheet(
        {
            "kind": BoardKind.MONTHLY_TEAM_SIGNINGS,
            "period": "2026-10",
            "frozen": True,
            "entries": [
                {
                    "rank": 1,
                    "staff": None,
                    "staff_name": None,
                    "team": 3,
                    "team_name": "A组 · 协成",
                    "value": Decimal("6000000.00"),
                    "eligible": True,
                    "prize": Decimal("6000.00"),
                    "explanation": "…",
                }
            ],
        }
    )
    assert [row[:2] for row in team_board.rows] == [(1, "A组 · 协成")]
    with translation.override("en"):
        people = leaderboard_sheet(
            {"kind": BoardKind.MONTHLY_VISITS, "period": "2026-10", "frozen": True, "entries": []}
        )
    assert [str(h) for h in people.headers][:4] == ["Rank", "Staff ID", "Name", "Team"]

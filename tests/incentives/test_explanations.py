"""Explanations in the reader's language (SPEC "Incentive rules"): statement lines and board
entries store their facts; the text is rendered on read — the API (Accept-Language), pages and
xlsx — in zh-hans and en, with labels, names, amounts and dates as people write them.

The checks look for the values each language writes its own way (property types by label,
dates, months, names, amounts with thousands separators), never for the sentence's words:
those follow the catalogue."""

import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from common.access import Role
from common.periods import parse_period
from incentives.choices import BoardKind, LineKind
from incentives.explanations import Names, facts_of, line_text
from incentives.explanations._lines import RENDERERS
from incentives.models import Leaderboard, LeaderboardEntry, Statement, StatementLine
from incentives.rules.awards import (
    monthly_visit_award_lines,
    monthly_visit_ranking,
    signing_award_lines,
    signing_ranking,
    weekly_visit_award_lines,
    weekly_visit_ranking,
)
from incentives.rules.commission import SigningFacts, clawback_line, commission_line
from incentives.rules.plan import CommissionRule, PlanRules
from incentives.rules.referral import ReferralFacts, referral_bonus_line
from incentives.rules.salary import Employment, base_salary_line
from incentives.rules.statement import KIND_ORDER, adjustment_line
from incentives.rules.team import TeamFacts, team_award_lines, team_ranking
from incentives.rules.visits import visit_incentive_lines
from incentives.services import period_compute
from sales.models import Signing
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT

# These tests are about plans of their own: the default plan the migrations install is removed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_default_plan")]

NOV = parse_period("2026-11")
W45 = parse_period("2026-W45")
SIGNED_ON = date(2026, 11, 3)
RULES = PlanRules(
    commission={
        (None, "high_rise"): CommissionRule("per_unit", Decimal("1000")),
        ("xiecheng", "high_rise"): CommissionRule("per_unit", Decimal("500")),
        (None, "villa"): CommissionRule("percent", Decimal("0.5")),
    }
)
# What each language writes its own way; both languages write the rest alike.
ZH = {
    "high_rise": "高层住宅",
    "nov": "2026年11月",
    "oct": "2026年10月",
    "nov3": "2026年11月3日",
    "nov19": "2026年11月19日",
}
EN = {
    "high_rise": "High-rise",
    "nov": "November 2026",
    "oct": "October 2026",
    "nov3": "Nov. 3, 2026",
    "nov19": "Nov. 19, 2026",
}


@pytest.fixture
def world(make_login):
    """王五 (in team A组 of 协成) with one line of every kind, each built by the pure rules
    and stored with its facts as the compute stores them; a board of every kind."""
    project = ProjectFactory(name="协成", code="xiecheng")
    team = TeamFactory(name="A组", project=project)
    me = marketer(team, name="王五", level="senior")
    referred = marketer(team, name="李四")
    manager = make_login(Role.MANAGER, name="张经理")
    sold = signing(me, "1200000.00", SIGNED_ON, unit="1-101", project=project)
    villa = signing(me, "1200000.00", SIGNED_ON, unit="8-1", project=project, property_type="villa")
    Signing.objects.filter(pk=sold.pk).update(customer_name="赵六")
    facts = SigningFacts(
        signing_id=sold.pk,
        property_type="high_rise",
        amount=Decimal("1200000"),
        signed_on=SIGNED_ON,
        project_code="xiecheng",
        project_name="协成",
    )
    villa_facts = SigningFacts(
        signing_id=villa.pk, property_type="villa", amount=Decimal("1200000"), signed_on=SIGNED_ON
    )
    cancelled = SigningFacts(**{**facts.__dict__, "cancelled_on": date(2026, 11, 20)})
    teams = [TeamFacts(team.pk, Decimal("6000000"), (me.pk, referred.pk), leader_id=me.pk)]
    lines = [
        base_salary_line(
            RULES, employment=Employment(me.pk, "senior", date(2025, 1, 1)), month=NOV
        ),
        base_salary_line(
            RULES, employment=Employment(me.pk, "senior", date(2026, 11, 19)), month=NOV
        ),
        commission_line(RULES, signing=facts, month=NOV, computed_on=date(2026, 12, 1)),
        commission_line(RULES, signing=villa_facts, month=NOV, computed_on=date(2026, 12, 1)),
        *visit_incentive_lines(RULES, month=NOV, counts_by_type={"high_rise": 24}),
        *weekly_visit_award_lines(RULES, month=NOV, counts_by_week={W45: {me.pk: 12}})[me.pk],
        *monthly_visit_award_lines(RULES, month=NOV, counts={me.pk: 24})[me.pk],
        *signing_award_lines(RULES, month=NOV, amounts={me.pk: Decimal("1200000")})[me.pk],
        *team_award_lines(RULES, month=NOV, teams=teams)[me.pk],
        referral_bonus_line(
            RULES,
            referral=ReferralFacts(me.pk, referred.pk, referred_hired_on=date(2026, 10, 15)),
            month=NOV,
        ),
        clawback_line(
            signing=cancelled,
            paid_amount=Decimal("1000"),
            paid_month=parse_period(OCT),
            reason="客户退房",
        ),
        adjustment_line(amount=Decimal("-33.30"), reason="扣款", source=f"user:{manager.pk}"),
    ]
    statement = Statement.objects.create(
        staff=me, period=str(NOV), computed_at=timezone.now(), total_amount=Decimal("0")
    )
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            kind=line.kind,
            amount=line.amount,
            description=line.description,
            source=line.source,
            signing_id=int(line.source[8:]) if line.source.startswith("signing:") else None,
            position=KIND_ORDER[line.kind] * 1000 + n,
            facts=facts_of(line),
        )
        for n, line in enumerate(lines)
    )
    return {"statement": statement, "me": me, "team": team, "manager": manager}


def expected_lines(world, words) -> list[tuple[str, list[str]]]:
    """Each stored line's kind and the values its explanation shows in a language."""
    team = world["team"]
    return [
        (LineKind.BASE_SALARY, ["3,500.00", words["nov"]]),
        (LineKind.BASE_SALARY, ["3,500.00", "12/30", words["nov19"]]),
        (
            LineKind.COMMISSION,
            [words["high_rise"], "协成", "1,200,000.00", words["nov3"], "500.00"],
        ),
        (LineKind.COMMISSION, ["0.5%", "6,000.00", "1,200,000.00", words["nov3"]]),
        (LineKind.VISIT_INCENTIVE, ["24", words["high_rise"], words["nov"], "20.00", "480.00"]),
        (LineKind.WEEKLY_VISIT_AWARD, ["12", "2026-W45", "500.00"]),
        (LineKind.MONTHLY_VISIT_AWARD, ["24", words["nov"], "800.00"]),
        (LineKind.SIGNING_AWARD, ["1,200,000.00", words["nov"], "1,500.00"]),
        (LineKind.TEAM_AWARD, [team.name, "6,000,000.00", "3,000.00"]),
        (LineKind.REFERRAL_BONUS, ["200.00", "李四"]),
        (LineKind.CLAWBACK, ["1,000.00", words["oct"], words["high_rise"], "客户退房"]),
        (LineKind.ADJUSTMENT, ["扣款"]),
    ]


def check_lines(got: list[tuple[str, str, str]], world, words) -> None:
    """``got``: (kind, description, source) per line, in the statement's order."""
    expected = expected_lines(world, words)
    assert [kind for kind, _d, _s in got] == [kind for kind, _values in expected]
    for (kind, description, _source), (_kind, values) in zip(got, expected, strict=True):
        for value in values:
            assert value in description, (kind, value, description)
        for code in ("high_rise", "xiecheng", "None"):  # labels and names, never codes
            assert code not in description, description
    sources = [source for _k, _d, source in got]
    assert "1-101 · 赵六" in sources[2]
    assert "2026-W45" in sources[5]
    assert "A组 · 协成" in sources[8]
    assert "李四" in sources[9]
    assert "张经理" in sources[11]
    assert not any(re.fullmatch(r"(signing|user|staff|team):\d+", s) for s in sources), sources


LANGUAGES = [("zh-hans", ZH), ("en", EN)]


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
def test_every_line_kind_through_the_api(client_as, world, language, words):
    client = client_as(Role.MANAGER)
    url = f"/api/v1/statements/{world['statement'].pk}/"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
    assert list(body["lines"][0]) == ["kind", "amount", "description", "source"]
    got = [(line["kind"], line["description"], line["source"]) for line in body["lines"]]
    check_lines(got, world, words)


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
def test_every_line_kind_on_the_statement_page(client, world, language, words):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(world["manager"])
    body = client.get(f"/incentives/statements/{world['statement'].pk}/").content.decode()
    kinds = re.findall(r'data-testid="line" data-kind="([^"]+)"', body)
    descriptions = [unescape(d) for d in re.findall(r'data-testid="description">([^<]*)<', body)]
    sources = [unescape(s) for s in re.findall(r'data-testid="source">([^<]*)<', body)]
    check_lines(list(zip(kinds, descriptions, sources, strict=True)), world, words)


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
def test_every_line_kind_in_the_payroll_xlsx(client_as, world, language, words):
    client = client_as(Role.MANAGER)
    response = client.get(
        "/api/v1/statements/export/", {"period": str(NOV)}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    with translation.override(language):  # the Kind column holds the kind's label
        kind_of = {str(kind.label): kind.value for kind in LineKind}
    check_lines([(kind_of[row[5]], row[7], row[8]) for row in rows], world, words)


def test_a_line_without_facts_shows_its_stored_text(client_as, world):
    line = world["statement"].lines.get(kind=LineKind.REFERRAL_BONUS)
    StatementLine.objects.filter(pk=line.pk).update(facts={}, description="stored before facts")
    body = client_as(Role.MANAGER).get(f"/api/v1/statements/{world['statement'].pk}/").json()
    texts = [row["description"] for row in body["lines"] if row["kind"] == "referral_bonus"]
    assert texts == ["stored before facts"]
    line.refresh_from_db()
    assert line_text(line) == "stored before facts"


def test_odd_facts_fall_back_to_the_stored_text(world):
    line = world["statement"].lines.get(kind=LineKind.VISIT_INCENTIVE)
    line.facts = {"code": "visit_incentive", "count": 24}  # values missing
    assert line_text(line) == line.description


def test_the_compute_stores_facts_for_every_line(plan, team, english):
    worker = marketer(team)
    valid_visits(worker, 22, date(2026, 10, 12))
    signing(worker, "1000000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    lines = list(StatementLine.objects.filter(statement__staff=worker))
    assert {line.kind for line in lines} >= {"base_salary", "commission", "visit_incentive"}
    assert all(line.facts.get("code") for line in lines), [line.facts for line in lines]
    assert {line.facts["code"] for line in lines} <= set(RENDERERS)  # each one has its text
    board = Leaderboard.objects.filter(period=OCT).first()
    assert board is not None
    assert all(entry.facts.get("code") for entry in board.entries.all())


def test_statement_list_query_count_stays_constant(client_as, world, plan, team):
    client = client_as(Role.MANAGER)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/statements/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _n in range(6):
        statement = Statement.objects.create(
            staff=marketer(TeamFactory()), period=str(NOV), computed_at=timezone.now()
        )
        for line in world["statement"].lines.all():
            line.pk, line.statement = None, statement
            line.save()
    assert count() == few


# --- boards -------------------------------------------------------------------------------
def boards(plan, world):
    """One frozen board of every kind, its entries stored with their facts."""
    me, team = world["me"], world["team"]
    other = marketer(team, name="孙七")
    rankings = {
        (BoardKind.WEEKLY_VISITS, W45): weekly_visit_ranking(
            RULES, week=W45, counts={me.pk: 12, other.pk: 3}
        ),
        (BoardKind.MONTHLY_VISITS, NOV): monthly_visit_ranking(
            RULES, month=NOV, counts={me.pk: 24, other.pk: 3}
        ),
        (BoardKind.MONTHLY_SIGNINGS, NOV): signing_ranking(
            RULES, month=NOV, amounts={me.pk: Decimal("1200000"), other.pk: Decimal("300000")}
        ),
        (BoardKind.MONTHLY_TEAM_SIGNINGS, NOV): team_ranking(
            RULES,
            month=NOV,
            teams=[TeamFacts(team.pk, Decimal("6000000"), (me.pk,))],
        ),
    }
    for (kind, period), rows in rankings.items():
        board = Leaderboard.objects.create(
            plan=plan, kind=kind, period=str(period), computed_at=timezone.now()
        )
        is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
        LeaderboardEntry.objects.bulk_create(
            LeaderboardEntry(
                board=board,
                staff_id=None if is_team else row.subject_id,
                team_id=row.subject_id if is_team else None,
                value=row.value,
                rank=row.rank,
                is_eligible=row.is_eligible,
                prize_amount=row.prize_amount,
                explanation=row.explanation,
                facts=facts_of(row),
            )
            for row in rows
        )
    return rankings


BOARD_VALUES = {
    BoardKind.WEEKLY_VISITS: ("2026-W45", ["12", "500.00"], ["3", "10"]),
    BoardKind.MONTHLY_VISITS: ("2026-11", ["24", "800.00"], ["3", "20"]),
    BoardKind.MONTHLY_SIGNINGS: ("2026-11", ["1,200,000.00", "1,500.00"], ["1,000,000.00"]),
    BoardKind.MONTHLY_TEAM_SIGNINGS: ("2026-11", ["6,000,000.00", "6,000.00"], []),
}


def check_board(kind, explanations: list[str], words) -> None:
    period, winner, loser = BOARD_VALUES[kind]
    shown = words["nov"] if period == "2026-11" else period
    assert all(shown in text for text in explanations), explanations
    assert all(value in explanations[0] for value in winner), explanations[0]
    for value in loser:
        assert value in explanations[1], explanations[1]


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
@pytest.mark.parametrize("kind", list(BoardKind))
def test_every_board_kind_through_the_api_page_and_xlsx(
    client_as, client, plan, world, kind, language, words
):
    boards(plan, world)
    period = BOARD_VALUES[kind][0]
    api = client_as(Role.MANAGER)
    query = {"kind": kind, "period": period}
    body = api.get("/api/v1/leaderboards/", query, HTTP_ACCEPT_LANGUAGE=language).json()
    check_board(kind, [entry["explanation"] for entry in body["entries"]], words)
    response = api.get("/api/v1/leaderboards/export/", query, HTTP_ACCEPT_LANGUAGE=language)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    texts = [  # the entries: the rows whose prize column holds a number
        row[-1]
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[-2], int | float | Decimal)
    ]
    check_board(kind, texts, words)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(world["manager"])
    page = client.get("/incentives/leaderboards/", query).content.decode()
    titles = [unescape(t) for t in re.findall(r'data-testid="board-row"[^>]*title="([^"]*)"', page)]
    check_board(kind, titles, words)


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
def test_partner_commission_lines_in_both_languages(language, words):
    from incentives.rules.partner import ContractTerms, partner_commission_line

    signing_facts = SigningFacts(
        signing_id=1, property_type="high_rise", amount=Decimal("1200000"), signed_on=SIGNED_ON
    )
    texts = []
    for mode, value in (("per_unit", "800"), ("percent", "1.5")):
        terms = ContractTerms(1, "HT-7", mode, Decimal(value), milestone="down_payment")
        line = partner_commission_line(
            terms, signing=signing_facts, milestone_on=SIGNED_ON, month=NOV, computed_on=SIGNED_ON
        )
        stored = StatementLine(kind=line.kind, description=line.description, facts=facts_of(line))
        with translation.override(language):
            texts.append(line_text(stored, Names()))
    assert all("HT-7" in t and words["nov3"] in t and words["high_rise"] in t for t in texts)
    assert "800.00" in texts[0] and "1.5%" in texts[1] and "1,200,000.00" in texts[1]
    assert all("down_payment" not in t for t in texts), texts

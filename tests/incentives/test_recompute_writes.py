"""A recompute writes only what changed: statements are written once with their totals, an
unchanged recompute issues no write to statements, their lines, boards or promotions, and a
change rewrites exactly the statements (and board entries) it touches."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.periods import parse_period
from common.roles import Role
from incentives.models import (
    Leaderboard,
    LeaderboardEntry,
    PromotionEligibility,
    Statement,
    StatementLine,
)
from incentives.selectors.activity import month_visit_facts
from incentives.selectors.boards import board_compute, board_rows_of
from incentives.selectors.plans import plan_rules
from incentives.services import period_compute, statement_adjust, statement_approve
from sales.models import Signing, Visit
from tests.factories.activity import signing, valid_visits
from tests.factories.org import TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT, shanghai
from tests.incentives.test_compute_ledger import assert_totals_are_line_sums, cancel

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)

STORED = (
    "incentives_statementline",
    "incentives_statement",
    "incentives_leaderboardentry",
    "incentives_leaderboard",
    "incentives_promotioneligibility",
)
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM|COPY)\s+"?(\w+)"?', re.IGNORECASE)


def writes(queries) -> list[str]:
    """The SQL statements among `queries` that write to the compute's stored tables."""
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2) in STORED:
            found.append(query["sql"][:120])
    return found


def snapshot() -> dict:
    """Every stored row of the compute, ids and times included."""
    return {
        "statements": list(
            Statement.objects.order_by("pk").values_list(
                "pk", "staff", "partner", "period", "plan", "status", "total_amount", "computed_at"
            )
        ),
        "lines": list(StatementLine.objects.order_by("pk").values_list()),
        "boards": list(Leaderboard.objects.order_by("pk").values_list()),
        "entries": list(LeaderboardEntry.objects.order_by("pk").values_list()),
        "promotions": list(PromotionEligibility.objects.order_by("pk").values_list()),
    }


@pytest.fixture
def month(plan, project, team):
    """A month with visits over its weeks, signings, a team award and a promotion streak."""
    other = TeamFactory(project=project)
    people = [marketer(team), marketer(team), marketer(other), marketer(other)]
    for n, person in enumerate(people):
        for week in range(4):
            valid_visits(person, 4 + n + week, date(2026, 10, 5 + 7 * week))
        signing(person, f"{1_000_000 + 500_000 * n}.00", date(2026, 10, 3 + n))
    for earlier in ("2026-08", "2026-09"):  # a streak: promotion eligibility in October
        valid_visits(people[3], 30, parse_period(earlier).start + timedelta(days=14))
        period_compute(period=earlier, now=parse_period(earlier).end_at + timedelta(hours=2))
    period_compute(period=OCT, now=AFTER_OCT)
    return people


def test_an_unchanged_recompute_writes_nothing_it_stores(month):
    before = snapshot()
    assert before["lines"] and before["entries"] and before["promotions"]
    with CaptureQueriesContext(connection) as queries:
        summary = period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=5))
    assert writes(queries.captured_queries) == []
    assert snapshot() == before  # ids, totals and computed_at as they were
    assert summary.statements == Statement.objects.filter(period=OCT).count()
    assert summary.total_amount == sum(
        (s.total_amount for s in Statement.objects.filter(period=OCT)), Decimal("0")
    )


def test_a_changed_signing_rewrites_only_that_statement_and_its_changed_line(month):
    a, b = month[0], month[1]
    before = snapshot()
    deal = Signing.objects.get(marketer=a)
    Signing.objects.filter(pk=deal.pk).update(amount=deal.amount + Decimal("100000"))
    later = AFTER_OCT + timedelta(hours=5)
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=later)
    on_statements = [
        " ".join(sql.split()[:3])
        for sql in writes(queries.captured_queries)
        if "statement" in sql.split('"')[1]
    ]
    # One line deleted, one inserted, one statement row updated (the boards' entries for the
    # signing move too: a's value on the signing and team boards).
    assert on_statements == [
        'DELETE FROM "incentives_statementline"',
        'COPY "incentives_statementline" ("statement_id",',
        'UPDATE "incentives_statement" t',
    ]
    statements = {s.staff_id: s for s in Statement.objects.filter(period=OCT)}
    assert statements[a.pk].computed_at == later
    old = {row[1]: row for row in before["statements"]}
    for person in month[1:]:
        assert statements[person.pk].computed_at == AFTER_OCT
        assert statements[person.pk].total_amount == old[person.pk][6]
    # A high-rise unit pays per unit: the line's words (the amount) change, not its amount.
    assert statements[a.pk].total_amount == old[a.pk][6]
    kept = {row[0] for row in before["lines"]}
    new_lines = StatementLine.objects.exclude(pk__in=kept)
    assert [(line.statement.staff_id, line.kind) for line in new_lines] == [(a.pk, "commission")]
    assert new_lines.get().facts["amount"] == str(deal.amount + Decimal("100000"))
    b_statement = statements[b.pk].pk
    assert set(
        StatementLine.objects.filter(statement=b_statement).values_list("pk", flat=True)
    ) == {row[0] for row in before["lines"] if row[1] == b_statement}
    assert_totals_are_line_sums()


def test_a_changed_visit_moves_the_boards_entries_in_the_order_a_fresh_compute_gives(plan, month):
    a = month[0]
    valid_visits(a, 9, date(2026, 10, 13))  # a now leads week 42 and the month
    later = AFTER_OCT + timedelta(hours=5)
    period_compute(period=OCT, now=later)
    rules = plan_rules(plan=plan)
    for board in Leaderboard.objects.filter(plan=plan, period__in=["2026-W42", OCT]):
        fresh = board_compute(
            plan=plan,
            rules=rules,
            kind=board.kind,
            period=parse_period(board.period),
            computed_on=later.date(),
        )
        assert board_rows_of(board) == fresh, board
        if board.kind in ("weekly_visits", "monthly_visits"):
            assert board.computed_at == later  # re-frozen: the API's cache key moves
    untouched = Leaderboard.objects.get(plan=plan, kind="weekly_visits", period="2026-W41")
    assert untouched.computed_at == AFTER_OCT
    assert_totals_are_line_sums()


def test_adjustments_survive_recomputes_and_count_in_the_total(month, make_login):
    manager = make_login(Role.MANAGER)
    a = month[0]
    statement = Statement.objects.get(staff=a, period=OCT)
    statement_adjust(actor=manager, statement=statement, amount=Decimal("-123.45"), reason="迟到")
    adjusted = Statement.objects.get(pk=statement.pk)
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=1))
    assert writes(queries.captured_queries) == []
    visits = adjusted.lines.get(kind="visit_incentive").amount
    valid_visits(a, 2, date(2026, 10, 20))
    period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=2))
    statement.refresh_from_db()
    assert statement.lines.filter(kind="adjustment").get().amount == Decimal("-123.45")
    assert statement.lines.get(kind="visit_incentive").amount == visits + Decimal("40.00")
    assert statement.total_amount == adjusted.total_amount + Decimal("40.00")
    assert_totals_are_line_sums()


def test_clawbacks_move_to_the_first_open_month_and_then_stay_put(month, make_login):
    manager = make_login(Role.MANAGER)
    a = month[0]
    for statement in Statement.objects.filter(period=OCT):
        statement_approve(actor=manager, statement=statement)
    cancel(Signing.objects.get(marketer=a), date(2026, 11, 5))
    period_compute(period="2026-12", now=shanghai("2027-01-02"))
    assert StatementLine.objects.get(kind="clawback").statement.period == "2026-12"
    period_compute(period="2026-11", now=shanghai("2027-01-02"))
    clawback = StatementLine.objects.get(kind="clawback")
    assert (clawback.statement.period, clawback.statement.staff_id) == ("2026-11", a.pk)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        period_compute(period="2026-11", now=shanghai("2027-01-03"))
        period_compute(period="2026-12", now=shanghai("2027-01-03"))
    assert writes(queries.captured_queries) == []
    assert snapshot() == before
    assert_totals_are_line_sums()


def test_weeks_are_shanghai_weeks_from_monday(plan, team):
    a = marketer(team)
    valid_visits(a, 1, date(2026, 10, 1))
    valid_visits(a, 2, date(2026, 9, 28))  # Monday of W40, in September
    valid_visits(a, 2, date(2026, 10, 11))
    sunday, monday = Visit.objects.filter(visited_at__date=date(2026, 10, 11))
    Visit.objects.filter(pk=sunday.pk).update(visited_at=shanghai("2026-10-11", 23) + MINUTE * 59)
    Visit.objects.filter(pk=monday.pk).update(visited_at=shanghai("2026-10-11", 23) + MINUTE * 60)
    facts = month_visit_facts(plan=plan, month=parse_period(OCT))
    weekly = {str(week): counts.get(a.pk, 0) for week, counts in facts.weekly.items()}
    assert weekly["2026-W40"] == 3  # 28 Sept ×2 and 1 Oct
    assert weekly["2026-W41"] == 1  # Sunday 11 Oct, 23:59
    assert weekly["2026-W42"] == 1  # Monday 12 Oct, 00:00
    assert facts.monthly[a.pk] == 3  # September's two are not October's
    assert facts.by_type[a.pk] == {"high_rise": 3}

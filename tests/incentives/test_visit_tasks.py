"""The weekly (10) and monthly (20) visit tasks are targets: the plan's threshold is everyone's
task, and a marketer's own valid-visits target for a week or month replaces it for them."""

from datetime import date
from decimal import Decimal

from common.periods import parse_period
from incentives.models import Leaderboard, StatementLine, Target
from incentives.rules.awards import monthly_visit_ranking, weekly_visit_ranking
from incentives.rules.plan import default_plan_rules
from incentives.services import period_compute
from tests.factories.activity import valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, OCT

RULES = default_plan_rules()
W41 = parse_period("2026-W41")  # Mon 2026-10-05 … Sun 2026-10-11


def test_a_marketers_own_weekly_task_replaces_the_plans_ten():
    rows = weekly_visit_ranking(RULES, week=W41, counts={1: 8, 2: 12, 3: 9}, tasks={1: 8, 2: 15})
    by_id = {row.subject_id: row for row in rows}
    assert (by_id[1].is_eligible, by_id[1].rank) == (True, 1)  # 8 meets their task of 8
    assert by_id[2].is_eligible is False  # 12 is short of their task of 15
    assert "below the weekly visit task (target) of 15 valid visits" in by_id[2].explanation
    assert by_id[3].is_eligible is False  # no own task: the plan's 10
    assert "below the threshold of 10 valid visits" in by_id[3].explanation


def test_the_monthly_task_at_its_boundary():
    month = parse_period(OCT)
    rows = monthly_visit_ranking(RULES, month=month, counts={1: 24, 2: 25}, tasks={1: 25, 2: 25})
    assert [(row.subject_id, row.is_eligible) for row in rows] == [(2, True), (1, False)]


def _target(staff, period: str, value: int) -> Target:
    return Target.objects.create(
        metric="valid_visits",
        subject_type="staff",
        subject_id=staff.pk,
        period=period,
        value=Decimal(value),
    )


def test_the_month_compute_reads_the_tasks_from_targets(plan, team):
    new_hire, veteran, plain = marketer(team), marketer(team), marketer(team)
    valid_visits(new_hire, 6, date(2026, 10, 6))
    valid_visits(veteran, 11, date(2026, 10, 7))
    valid_visits(plain, 10, date(2026, 10, 8))
    _target(new_hire, "2026-W41", 6)  # a lighter task for the first weeks
    _target(veteran, "2026-W41", 12)  # a heavier one
    _target(plain, "2026-10", 5)  # a month's task says nothing about the week's
    period_compute(period=OCT, now=AFTER_OCT)
    board = Leaderboard.objects.get(kind="weekly_visits", period="2026-W41")
    entries = {e.staff_id: (e.is_eligible, e.rank, e.prize_amount) for e in board.entries.all()}
    assert entries[plain.pk] == (True, 1, Decimal("500.00"))
    assert entries[new_hire.pk] == (True, 2, Decimal("300.00"))
    assert entries[veteran.pk] == (False, None, Decimal("0.00"))
    awards = StatementLine.objects.filter(kind="weekly_visit_award", source="week:2026-W41")
    assert sorted(awards.values_list("statement__staff", "amount")) == sorted(
        [(plain.pk, Decimal("500.00")), (new_hire.pk, Decimal("300.00"))]
    )
    monthly = Leaderboard.objects.get(kind="monthly_visits", period=OCT)
    plain_month = monthly.entries.get(staff=plain)
    assert (plain_month.is_eligible, plain_month.prize_amount) == (True, Decimal("800.00"))

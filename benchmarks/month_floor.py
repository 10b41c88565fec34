"""The set-based SQL floor of the month compute (issue 18): the same writes as `period_compute`
for one plan's month — the 7 boards with their ranked, explained entries, one draft statement
per marketer with its total, every explained line, promotions — into shadow tables made like
the real ones (`bench_floor_<x>`, same checks, indexes and deferred foreign keys), in one
transaction ending in COMMIT.

Every amount, threshold and prize is read from the stored plan and its commission rates, every
description is the compute's English text (incentives/rules/*), byte for byte. The floor covers
what the benchmark data holds (see `month_floor_check.floor_unsupported`): no approved or paid
statements (so no clawbacks and no frozen months), no manual adjustments and no partners'
signings. benchmarks/month_floor_check.py verifies its rows against the compute's.
"""

import time
from datetime import date, datetime

from django.db import connection, transaction

from benchmarks.month_floor_sql import KIND_ORDER_VALUES, LINES, ROWS, STAFF, VISITS
from common.periods import SHANGHAI, Period, day_bounds

SHADOWED = ("leaderboard", "leaderboardentry", "statement", "statementline", "promotioneligibility")
# A Monday 00:00 in Asia/Shanghai: date_bin's origin for the ISO weeks.
MONDAY = datetime(2000, 1, 3, tzinfo=SHANGHAI)


def shadow_tables_create() -> None:
    """(Re)create the empty shadow tables: LIKE the real ones INCLUDING ALL, plus their foreign
    keys to the same tables (a shadowed table's to its shadow), deferred as Django makes them."""
    with connection.cursor() as cur:
        for name in reversed(SHADOWED):
            cur.execute(f"DROP TABLE IF EXISTS bench_floor_{name} CASCADE")
        for name in SHADOWED:
            cur.execute(f"CREATE TABLE bench_floor_{name} (LIKE incentives_{name} INCLUDING ALL)")
        for name in SHADOWED:
            cur.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [f"incentives_{name}"],
            )
            for (definition,) in cur.fetchall():
                for other in SHADOWED:
                    definition = definition.replace(
                        f"REFERENCES incentives_{other}(", f"REFERENCES bench_floor_{other}("
                    )
                cur.execute(f"ALTER TABLE bench_floor_{name} ADD {definition}")


def _periods_sql(month: Period) -> tuple[str, list]:
    """The month's board periods (`_board_periods`): its weeks', then its own three."""
    rows = [("weekly_visits", week) for week in month.weeks()] + [
        (kind, month) for kind in ("monthly_visits", "monthly_signings", "monthly_team_signings")
    ]
    values, params = [], []
    for ord_, (kind, period) in enumerate(rows):
        values.append("(%s, %s, %s::date, %s::date, %s::timestamptz, %s::timestamptz, %s)")
        params += [kind, str(period), period.start, period.end, period.start_at, period.end_at]
        params.append(ord_)
    sql = (
        "CREATE TEMP TABLE fl_periods (kind, code, start_d, end_d, start_at, end_at, ord) "
        "ON COMMIT DROP AS VALUES " + ", ".join(values)
    )
    return sql, params


BOARDS = """
INSERT INTO bench_floor_leaderboard (plan_id, kind, period, computed_at)
SELECT %(plan)s, kind, code, %(now)s FROM fl_periods ORDER BY ord
ON CONFLICT (plan_id, kind, period) DO UPDATE SET computed_at = EXCLUDED.computed_at;
DELETE FROM bench_floor_leaderboardentry e USING bench_floor_leaderboard b, fl_periods p
WHERE e.board_id = b.id AND b.plan_id = %(plan)s AND b.kind = p.kind AND b.period = p.code;
INSERT INTO bench_floor_leaderboardentry (board_id, staff_id, team_id, value, rank, is_eligible,
  prize_amount, explanation, facts)
SELECT b.id, CASE WHEN r.is_team THEN NULL ELSE r.subject_id END,
  CASE WHEN r.is_team THEN r.subject_id END, r.value, r.rnk, r.eligible, r.prize,
  r.explanation, r.facts
FROM fl_rows r JOIN bench_floor_leaderboard b
  ON b.plan_id = %(plan)s AND b.kind = r.kind AND b.period = r.code;
"""

# Statements written once with their totals; a recompute replaces the drafts' computed lines.
STATEMENTS = f"""
CREATE TEMP TABLE fl_totals ON COMMIT DROP AS
SELECT staff_id, sum(amount) AS total FROM (
  SELECT id AS staff_id, 0 AS amount FROM fl_staff WHERE in_month
  UNION ALL SELECT staff_id, amount FROM fl_lines) x
GROUP BY staff_id;
ANALYZE fl_totals;
DELETE FROM bench_floor_statementline l USING bench_floor_statement s
WHERE l.statement_id = s.id AND s.period = %(month)s AND s.status = 'draft'
  AND s.staff_id IS NOT NULL AND l.kind <> 'adjustment';
DELETE FROM bench_floor_statement s
WHERE s.period = %(month)s AND s.status = 'draft' AND s.staff_id IS NOT NULL
  AND s.staff_id NOT IN (SELECT staff_id FROM fl_totals);
INSERT INTO bench_floor_statement (staff_id, partner_id, period, plan_id, status, total_amount,
  computed_at)
SELECT staff_id, NULL, %(month)s, %(plan)s, 'draft', total, %(now)s FROM fl_totals
ON CONFLICT (staff_id, period) WHERE staff_id IS NOT NULL DO UPDATE
SET total_amount = EXCLUDED.total_amount, computed_at = EXCLUDED.computed_at,
    plan_id = EXCLUDED.plan_id
WHERE bench_floor_statement.status = 'draft';
INSERT INTO bench_floor_statementline (statement_id, kind, amount, description, source,
  facts, signing_id, created_by_id, position, reverses_id)
SELECT s.id, l.kind, l.amount, l.description, l.source, l.facts, l.signing_id, NULL,
  k.ord * 1000 + row_number() OVER (PARTITION BY l.staff_id ORDER BY l.grp, l.sub) - 1, NULL
FROM fl_lines l JOIN {KIND_ORDER_VALUES} k (kind, ord) ON k.kind = l.kind
JOIN bench_floor_statement s ON s.staff_id = l.staff_id AND s.period = %(month)s
  AND s.status = 'draft';
"""

# Promotion-exam eligibility: top N of a monthly board for the whole streak (ledger).
PROMOTIONS = """
DELETE FROM bench_floor_promotioneligibility
WHERE period = %(month)s AND staff_id IN (SELECT id FROM fl_staff WHERE in_month);
INSERT INTO bench_floor_promotioneligibility (staff_id, period, explanation, facts)
WITH versions AS (
  SELECT p.id FROM incentives_incentiveplan p
  LEFT JOIN incentives_incentiveplan_projects pp ON pp.incentiveplan_id = p.id
  WHERE pp.project_id IS NULL OR pp.project_id IN (
    SELECT project_id FROM incentives_incentiveplan_projects WHERE incentiveplan_id = %(plan)s)
), past AS (
  SELECT b.kind, e.staff_id, count(DISTINCT b.period) AS months
  FROM incentives_leaderboard b JOIN incentives_leaderboardentry e ON e.board_id = b.id
  CROSS JOIN fl_plan pl
  WHERE b.plan_id IN (SELECT id FROM versions) AND b.period = ANY(%(earlier)s::text[])
    AND b.kind IN ('monthly_visits', 'monthly_signings') AND e.is_eligible
    AND e.rank <= pl.promotion_top_n
  GROUP BY 1, 2
), streak AS (
  SELECT r.kind, r.subject_id AS staff_id, pl.promotion_top_n AS top_n
  FROM fl_rows r CROSS JOIN fl_plan pl
  LEFT JOIN past ON past.kind = r.kind AND past.staff_id = r.subject_id
  WHERE r.kind IN ('monthly_visits', 'monthly_signings') AND r.eligible
    AND r.rnk <= pl.promotion_top_n AND coalesce(past.months, 0) = cardinality(%(earlier)s::text[])
)
SELECT staff_id, %(month)s, 'Eligible for the promotion exam: ' || string_agg('top ' || top_n
    || ' of ' || kind || ' in ' || array_to_string(%(streak)s::text[], ', '), '; '
    ORDER BY kind = 'monthly_signings'),
  jsonb_build_object('code', 'promotion.eligible', 'top_n', min(top_n), 'streaks',
    jsonb_agg(jsonb_build_object('board', kind, 'months', to_jsonb(%(streak)s::text[]))
              ORDER BY kind = 'monthly_signings'))
FROM streak GROUP BY staff_id;
"""


def _params(*, plan_id: int, month: Period, today: date, now: datetime, streak: int) -> dict:
    weeks = month.weeks()
    wide_start = min([month.start, *(w.start for w in weeks)])
    wide_end = max([month.end, *(w.end for w in weeks)])
    earlier = [month]
    for _n in range(streak - 1):
        earlier.append(earlier[-1].previous())
    return {
        "plan": plan_id,
        "month": str(month),
        "m_start": month.start,
        "m_end": month.end,
        "m_start_at": month.start_at,
        "m_end_at": month.end_at,
        "m_days": month.days,
        "wide_start": wide_start,
        "wide_end": wide_end,
        "wide_start_at": day_bounds(wide_start)[0],
        "wide_end_at": day_bounds(wide_end)[1],
        "prev_start": month.previous().start,
        "today": today,
        "now": now,
        "monday": MONDAY,
        "earlier": [str(m) for m in earlier[1:]],
        "streak": [str(m) for m in reversed(earlier)],
    }


def floor_run(*, plan_id: int, month: Period, today: date, now: datetime) -> dict[str, float]:
    """The month's writes, set-based, in one transaction ending in COMMIT (deferred FK checks
    included); a recompute replaces the rows a first run wrote. Returns seconds per step."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT promotion_streak_months FROM incentives_incentiveplan WHERE id = %s", [plan_id]
        )
        (streak,) = cur.fetchone()
    params = _params(plan_id=plan_id, month=month, today=today, now=now, streak=streak)
    periods, period_params = _periods_sql(month)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        # Temp tables are planned before they are analyzed: their guessed costs would buy
        # seconds of JIT compilation for queries over a few thousand rows.
        cur.execute("SET LOCAL jit = off")
        cur.execute(periods, period_params)
        for name, script in SCRIPTS.items():
            for statement in script.split(";\n"):
                if statement.strip():
                    cur.execute(statement, params)
            steps[name] = time.perf_counter() - started - sum(steps.values())
    steps["commit"] = time.perf_counter() - started - sum(steps.values())
    return steps


SCRIPTS = {
    "staff": STAFF,
    "visits": VISITS,
    "board rows": ROWS,
    "lines": LINES,
    "boards": BOARDS,
    "statements": STATEMENTS,
    "promotions": PROMOTIONS,
}

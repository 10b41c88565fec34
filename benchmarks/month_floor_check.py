"""Row-for-row verification of the SQL floor (benchmarks/month_floor.py) against what
`period_compute` wrote, and the data the floor does not cover.

Every column is compared except surrogate ids and timestamps; foreign keys between the written
tables are mapped to natural keys: a board by (plan, kind, period), a statement by (staff,
partner, period), a reversed line by its statement's key and position. EXCEPT ALL both ways.
"""

from django.db import connection

from common.periods import Period
from incentives.selectors.plans import plans_in_force

_BOARD = "b.plan_id, b.kind, b.period"
_STATEMENT = "s.staff_id, s.partner_id, s.period"


def _tables(prefix: str, month: Period, codes: list[str], *, shadow: bool) -> dict[str, str]:
    """The rows of the month as natural-key tuples, from the real (`incentives_`) or the
    shadow (`bench_floor_`) tables."""
    boards = "" if shadow else f"WHERE b.period IN ({', '.join(repr(c) for c in codes)})"
    statements = "" if shadow else f"WHERE s.period = '{month}' AND s.staff_id IS NOT NULL"
    return {
        "boards": f"SELECT {_BOARD} FROM {prefix}leaderboard b {boards}",
        "board entries": (
            f"SELECT {_BOARD}, e.staff_id, e.team_id, e.value, e.rank, e.is_eligible, "
            f"e.prize_amount, e.explanation, e.facts FROM {prefix}leaderboardentry e "
            f"JOIN {prefix}leaderboard b ON b.id = e.board_id {boards}"
        ),
        "statements": (
            f"SELECT {_STATEMENT}, s.plan_id, s.status, s.total_amount, s.approved_by_id, "
            f"s.approved_at, s.paid_at, s.paid_on FROM {prefix}statement s {statements}"
        ),
        "statement lines": (
            f"SELECT {_STATEMENT}, l.kind, l.amount, l.description, l.source, l.facts, "
            "l.signing_id, l.created_by_id, l.position, rs.staff_id, rs.partner_id, rs.period, "
            f"r.position FROM {prefix}statementline l "
            f"JOIN {prefix}statement s ON s.id = l.statement_id "
            f"LEFT JOIN {prefix}statementline r ON r.id = l.reverses_id "
            f"LEFT JOIN {prefix}statement rs ON rs.id = r.statement_id {statements}"
        ),
        "promotions": (
            "SELECT p.staff_id, p.period, p.explanation, p.facts "
            f"FROM {prefix}promotioneligibility p"
            + ("" if shadow else f" WHERE p.period = '{month}'")
        ),
    }


def floor_verify(*, month: Period, when: str) -> dict[str, int]:
    """Compare the floor's rows with the compute's; print every difference (up to 5 rows each
    way per table) and raise SystemExit on any. Returns the row count per table."""
    codes = [str(w) for w in month.weeks()] + [str(month)]
    real = _tables("incentives_", month, codes, shadow=False)
    floor = _tables("bench_floor_", month, codes, shadow=True)
    counts, problems = {}, []
    with connection.cursor() as cur:
        for name, compute_sql in real.items():
            floor_sql = floor[name]
            cur.execute(f"SELECT count(*) FROM ({compute_sql}) x")
            (compute_rows,) = cur.fetchone()
            cur.execute(f"SELECT count(*) FROM ({floor_sql}) x")
            (floor_rows,) = cur.fetchone()
            counts[name] = compute_rows
            for label, left, right in (
                ("compute only", compute_sql, floor_sql),
                ("floor only", floor_sql, compute_sql),
            ):
                cur.execute(f"SELECT count(*) FROM (({left}) EXCEPT ALL ({right})) x")
                (differ,) = cur.fetchone()
                if differ:
                    cur.execute(f"({left}) EXCEPT ALL ({right}) LIMIT 5")
                    sample = cur.fetchall()
                    problems.append(f"{name}: {differ} row(s) {label}, e.g. {sample}")
            if compute_rows != floor_rows:
                problems.append(f"{name}: compute {compute_rows} rows, floor {floor_rows}")
    if problems:
        print(f"VERIFICATION FAILED ({when}):")
        for problem in problems:
            print(" -", problem)
        raise SystemExit(1)
    print(f"verified row for row ({when}): " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return counts


def floor_unsupported(*, month: Period) -> list[str]:
    """What the data holds that the floor does not write (it would then not be comparable)."""
    checks = {
        "approved or paid statements (frozen boards, clawbacks)": (
            "SELECT count(*) FROM incentives_statement WHERE status <> 'draft'"
        ),
        "manual adjustments": (
            "SELECT count(*) FROM incentives_statementline WHERE kind = 'adjustment'"
        ),
        "signings credited to partners (partner statements)": (
            "SELECT count(*) FROM sales_signing WHERE partner_id IS NOT NULL"
        ),
    }
    found = [] if len(plans_in_force(month=month)) == 1 else ["other than one plan in force"]
    with connection.cursor() as cur:
        for what, sql in checks.items():
            cur.execute(sql)
            if cur.fetchone()[0]:
                found.append(what)
    return found

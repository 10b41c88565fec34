"""A recompute reads back only the lines of drafts (and the entries of frozen boards) whose
digest differs from that of what it computed: an unchanged statement or board is not read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.models import Leaderboard, Statement, StatementLine
from incentives.services import period_compute
from incentives.services.digests import stored_lines_digests
from tests.factories.activity import valid_visits
from tests.helpers import AFTER_OCT, OCT
from tests.incentives.test_compute_ledger import assert_totals_are_line_sums
from tests.incentives.test_recompute_writes import month, snapshot, writes

pytestmark = pytest.mark.django_db
__all__ = ["month"]  # the fixture, shared with test_recompute_writes

LINES_READ = '"incentives_statementline"."description"'  # only a read of whole lines has it
ENTRIES_READ = '"incentives_leaderboardentry"."explanation"'


def reads(queries, column: str) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT") and column in q["sql"]
    ]


def digests() -> dict[int, str]:
    return dict(Statement.objects.filter(period=OCT).values_list("staff", "lines_digest"))


def test_digests_are_stored_and_are_those_of_the_stored_lines(month):
    stored = dict(Statement.objects.values_list("pk", "lines_digest"))
    assert all(stored.values())
    assert stored_lines_digests(statements=list(stored)) == stored
    assert all(Leaderboard.objects.values_list("entries_digest", flat=True))


def test_a_statement_whose_digest_matches_is_not_read_back(month):
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=1))
    assert reads(queries.captured_queries, LINES_READ) == []
    assert reads(queries.captured_queries, ENTRIES_READ) == []


def test_a_changed_line_changes_the_digest_and_only_its_statement_is_read_and_rewritten(month):
    a = month[0]
    before, lines_before = digests(), set(StatementLine.objects.values_list("pk", flat=True))
    valid_visits(a, 2, date(2026, 10, 20))
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=1))
    after = digests()
    assert after[a.pk] != before[a.pk]
    assert {s: d for s, d in after.items() if s != a.pk} == {
        s: d for s, d in before.items() if s != a.pk
    }
    mine = Statement.objects.get(staff=a, period=OCT)
    assert stored_lines_digests(statements=[mine.pk]) == {mine.pk: after[a.pk]}
    (read,) = reads(queries.captured_queries, LINES_READ)  # a's lines only, by its id
    assert f"IN ({mine.pk})" in read
    new = StatementLine.objects.exclude(pk__in=lines_before)
    assert {(line.statement_id, line.kind) for line in new} == {(mine.pk, "visit_incentive")}
    assert_totals_are_line_sums()


def test_a_statement_without_a_digest_is_compared_and_gets_one_without_a_line_written(month):
    Statement.objects.update(lines_digest="")  # as stored before digests
    Leaderboard.objects.update(entries_digest="")
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=1))
    assert [sql for sql in writes(queries.captured_queries) if "statementline" in sql] == []
    after = snapshot()
    # Nothing but the digests changed: computed_at kept, as the lines and entries did not.
    assert [row[:-1] for row in after.pop("boards")] == [row[:-1] for row in before.pop("boards")]
    assert after == before
    assert all(digests().values())
    assert all(Leaderboard.objects.filter(period=OCT).values_list("entries_digest", flat=True))
    with CaptureQueriesContext(connection) as queries:
        period_compute(period=OCT, now=AFTER_OCT + timedelta(hours=2))
    assert writes(queries.captured_queries) == []

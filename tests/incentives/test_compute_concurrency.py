"""Two computes at once on real PostgreSQL connections: the first holds its transaction open
until the second is waiting (or done), then commits. Whatever the interleaving, one board per
key with one entry per person, and one clawback per cancelled signing."""

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, connections, transaction

from common.roles import Role
from incentives.models import Leaderboard, LeaderboardEntry, Statement, StatementLine
from incentives.services import period_compute, statement_approve
from sales.models import Signing
from tests.factories.activity import signing, valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, OCT, shanghai

pytestmark = pytest.mark.django_db(transaction=True)


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def run_overlapping(first: Callable[[], object], second: Callable[[], object]) -> list:
    """Run `first` in a transaction left open until `second` (in another thread) is blocked
    on a lock or finished; then commit `first` and wait for both. Returns their errors."""
    errors: list[BaseException] = []
    first_done = threading.Event()
    second_done = threading.Event()
    release = threading.Event()

    def hold_first():
        try:
            with transaction.atomic():
                first()
                first_done.set()
                release.wait(timeout=60)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
            first_done.set()
        finally:
            connections.close_all()

    def run_second():
        try:
            second()
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            second_done.set()
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    assert first_done.wait(timeout=60)
    runner = threading.Thread(target=run_second)
    runner.start()
    deadline = time.monotonic() + 30
    while not second_done.is_set() and not _someone_waits_on_a_lock():
        assert time.monotonic() < deadline, "the second compute neither waited nor finished"
        time.sleep(0.05)
    release.set()
    holder.join(timeout=60)
    runner.join(timeout=60)
    return errors


def test_week_and_month_computed_at_once_freeze_the_shared_week_board_once(plan, team):
    people = [marketer(team) for _ in range(3)]
    for n, person in enumerate(people):
        valid_visits(person, 10 + n, date(2026, 10, 27))  # 2026-W44, paid in November
    now = shanghai("2026-12-02")
    errors = run_overlapping(
        lambda: period_compute(period="2026-W44", now=now),
        lambda: period_compute(period="2026-11", now=now),
    )
    assert errors == []
    board = Leaderboard.objects.get(kind="weekly_visits", period="2026-W44")
    staff = list(LeaderboardEntry.objects.filter(board=board).values_list("staff", flat=True))
    assert sorted(staff) == sorted(p.pk for p in people)


def test_two_months_computed_at_once_claw_a_cancelled_signing_back_once(plan, team, make_login):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    statement_approve(actor=manager, statement=Statement.objects.get(staff=m, period=OCT))
    Signing.objects.filter(pk=deal.pk).update(status="cancelled", cancelled_on=date(2026, 11, 5))
    now = shanghai("2027-01-02")
    errors = run_overlapping(
        lambda: period_compute(period="2026-12", now=now),
        lambda: period_compute(period="2026-11", now=now),
    )
    assert errors == []
    clawbacks = StatementLine.objects.filter(kind="clawback")
    assert [c.statement.period for c in clawbacks] == ["2026-11"]
    for statement in Statement.objects.filter(period__in=["2026-11", "2026-12"]):
        assert statement.total_amount == sum(line.amount for line in statement.lines.all())

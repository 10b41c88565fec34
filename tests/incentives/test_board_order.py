"""Frozen boards list the unranked after the ranked on every database, and a team is shown
with its project (two projects may both have an "A组")."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.roles import Role
from incentives.models import Leaderboard, LeaderboardEntry
from incentives.selectors.boards import board_rows_of
from incentives.services import period_compute, plan_create_default
from tests.factories.activity import signing
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT
from tests.incentives.test_exports import table, workbook

pytestmark = pytest.mark.django_db


def test_a_frozen_board_lists_the_unranked_after_the_ranked(plan):
    board = Leaderboard.objects.create(
        plan=plan, kind="monthly_visits", period=OCT, computed_at=timezone.now()
    )
    people = [marketer() for _ in range(4)]
    # Stored unranked first, with the highest value: NULLS FIRST would list it on top.
    for person, rank, value in zip(people, (None, 2, 1, None), (30, 20, 25, 5), strict=True):
        LeaderboardEntry.objects.create(
            board=board,
            staff=person,
            value=Decimal(value),
            rank=rank,
            is_eligible=rank is not None,
            prize_amount=Decimal("0"),
        )

    with CaptureQueriesContext(connection) as queries:
        rows = board_rows_of(board)

    assert [(r.subject_id, r.rank) for r in rows] == [
        (people[2].pk, 1),
        (people[1].pk, 2),
        (people[0].pk, None),
        (people[3].pk, None),
    ]
    # SQLite sorts NULL first unless told: the order is spelled out, not left to PostgreSQL.
    assert "ASC NULLS LAST" in queries[-1]["sql"]


@pytest.fixture
def twin_teams(no_default_plan, english):
    """Two teams called "A组", in 协成 and 远洋, under one plan; October frozen."""
    xiecheng, yuanyang = ProjectFactory(name="协成"), ProjectFactory(name="远洋")
    plan = plan_create_default(
        name="方案", effective_from=date(2026, 1, 1), projects=[xiecheng, yuanyang]
    )
    for project, amount in ((xiecheng, "6000000.00"), (yuanyang, "2000000.00")):
        signing(marketer(TeamFactory(name="A组", project=project)), amount, date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    return plan


TEAM_BOARD = {"kind": "monthly_team_signings", "period": OCT}


def test_team_board_shows_each_team_with_its_project(twin_teams, client_as, client, make_login):
    query = {**TEAM_BOARD, "plan": twin_teams.pk}
    manager = client_as(Role.MANAGER)
    api = manager.get("/api/v1/leaderboards/", query, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["team_name"] for e in api["entries"]] == ["A组 · 协成", "A组 · 远洋"]
    assert set(api["entries"][0]) >= {"rank", "staff", "team", "value", "eligible", "prize"}

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(make_login(Role.MANAGER))
    page = client.get("/incentives/leaderboards/", query).content.decode()
    assert "A组 · 协成" in page and "A组 · 远洋" in page

    sheet = workbook(manager.get("/api/v1/leaderboards/export/", query, HTTP_ACCEPT_LANGUAGE="en"))[
        "Leaderboard"
    ]
    assert [row["Team"] for row in table(sheet, header_row=5)] == ["A组 · 协成", "A组 · 远洋"]

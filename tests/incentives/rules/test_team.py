"""Team award: 5,000,000.00 inclusive, team target, ties, even split, leftover to the leader."""

import random
from decimal import Decimal

import pytest

from common.money import ZERO
from common.periods import parse_period
from incentives.rules.plan import default_plan_rules
from incentives.rules.statement import TEAM_AWARD, lines_total
from incentives.rules.team import TeamFacts, team_award_lines, team_award_split, team_ranking

RULES = default_plan_rules()
NOV = parse_period("2026-11")


def _team(team_id, amount, *, members=(1, 2, 3), leader=None, target=None):
    return TeamFacts(
        team_id=team_id,
        signed_amount=Decimal(amount),
        active_marketer_ids=members,
        leader_id=leader,
        target_amount=None if target is None else Decimal(target),
    )


def _winners(teams):
    return {
        row.subject_id for row in team_ranking(RULES, month=NOV, teams=teams) if row.prize_amount
    }


def test_team_threshold_is_five_million_inclusive():
    teams = [_team(1, "4999999.99"), _team(2, "5000000.00", members=(4, 5))]
    rows = team_ranking(RULES, month=NOV, teams=teams)
    assert [(r.subject_id, r.is_eligible, r.prize_amount) for r in rows] == [
        (2, True, Decimal("6000.00")),
        (1, False, Decimal("0.00")),
    ]
    assert "below the threshold of 5,000,000.00" in rows[1].explanation


def test_only_below_the_threshold_nobody_wins():
    assert _winners([_team(1, "4999999.99")]) == set()


def test_team_below_its_monthly_target_is_not_eligible_even_above_five_million():
    teams = [_team(1, "7000000", target="8000000"), _team(2, "6000000", members=(4,))]
    rows = team_ranking(RULES, month=NOV, teams=teams)
    assert _winners(teams) == {2}
    assert "below the team's monthly target of 8,000,000.00" in rows[0].explanation


def test_team_exactly_at_its_target_is_eligible():
    assert _winners([_team(1, "6000000", target="6000000")]) == {1}


def test_only_the_highest_eligible_team_wins():
    assert _winners([_team(1, "5500000"), _team(2, "6500000", members=(4,))]) == {2}


def test_tied_best_teams_each_get_the_full_prize():
    teams = [_team(1, "6000000"), _team(2, "6000000", members=(4, 5)), _team(3, "5000000")]
    lines = team_award_lines(RULES, month=NOV, teams=teams)
    assert lines_total(line for staff in (1, 2, 3) for line in lines[staff]) == Decimal("6000.00")
    assert lines_total(line for staff in (4, 5) for line in lines[staff]) == Decimal("6000.00")


def test_team_without_active_marketers_is_skipped_for_the_next_team():
    teams = [_team(1, "9000000", members=()), _team(2, "6000000", members=(4,))]
    rows = team_ranking(RULES, month=NOV, teams=teams)
    assert _winners(teams) == {2}
    assert "no active marketers to pay" in rows[0].explanation


def test_6000_split_seven_ways_gives_the_leftover_cents_to_the_leader():
    team = _team(1, "5200000", members=(11, 12, 13, 14, 15, 16, 17), leader=14)
    lines = team_award_lines(RULES, month=NOV, teams=[team])
    amounts = {staff: lines[staff][0].amount for staff in lines}
    assert amounts[14] == Decimal("857.16")
    assert {amounts[s] for s in amounts if s != 14} == {Decimal("857.14")}
    assert sum(amounts.values()) == Decimal("6000.00")
    assert lines[14][0].kind == TEAM_AWARD and lines[14][0].source == "team:1"
    assert lines[14][0].description.endswith("split 7 ways = 857.14 each + 0.02 leftover cents")
    assert "leftover" not in lines[11][0].description


def test_leftover_goes_to_the_lowest_id_marketer_when_the_leader_is_not_a_marketer():
    team = _team(1, "5200000", members=(17, 11, 13, 12, 14, 15, 16), leader=99)
    shares = team_award_split(prize=Decimal("6000"), team=team)
    assert shares[11] == Decimal("857.16")
    assert sum(shares.values()) == Decimal("6000.00")


def test_split_without_a_leader_gives_the_leftover_to_the_lowest_id():
    shares = team_award_split(prize=Decimal("100"), team=_team(1, "0", members=(3, 2, 1)))
    assert shares == {1: Decimal("33.34"), 2: Decimal("33.33"), 3: Decimal("33.33")}


def test_even_split_has_no_leftover():
    shares = team_award_split(prize=Decimal("6000"), team=_team(1, "0", members=(1, 2, 3)))
    assert set(shares.values()) == {Decimal("2000.00")}


def test_split_always_adds_up_to_the_prize_for_random_teams():
    generator = random.Random(6000)
    for _ in range(300):
        size = generator.randint(1, 40)
        members = tuple(generator.sample(range(1, 500), size))
        leader = generator.choice((None, members[0], 999))
        prize = Decimal(generator.randint(1, 1_000_000)) / 100
        shares = team_award_split(prize=prize, team=_team(1, "0", members=members, leader=leader))
        assert sum(shares.values(), ZERO) == prize
        assert max(shares.values()) - min(shares.values()) < Decimal("0.01") * size


def test_duplicate_team_is_refused():
    with pytest.raises(ValueError, match="only once"):
        team_ranking(RULES, month=NOV, teams=[_team(1, "1"), _team(1, "2")])

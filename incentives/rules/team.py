"""Team award (小组冠军奖): the best eligible team's prize, split among its active marketers.

Eligible: the team's signed amount in the month ≥ the plan threshold (5,000,000.00,
inclusive) and ≥ the team's monthly target where one is set. The highest eligible team
wins the prize. Choices where SPEC is silent:
- Tied teams at rank 1 each get the full prize (as with person rankings).
- A team without active marketers is not eligible (there is nobody to pay), so the prize
  goes to the best team that can be paid.
- The prize is split evenly in cents (``split_evenly``); the leftover cents all go to the
  team leader when the leader is one of the active marketers, otherwise to the active
  marketer with the lowest id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from common.money import split_evenly, to_money
from common.periods import Period
from incentives.rules._values import as_decimal, money_text, require_month
from incentives.rules.plan import PlanRules
from incentives.rules.ranking import RankedRow, describe_team_amount, rank_with_eligibility
from incentives.rules.statement import TEAM_AWARD, ExplainedLine, LinesByStaff

__all__ = ["TeamFacts", "team_award_lines", "team_award_split", "team_ranking"]


@dataclass(frozen=True)
class TeamFacts:
    """A team's month: signed amount, optional monthly target, leader and active marketers."""

    team_id: int
    signed_amount: Decimal
    active_marketer_ids: tuple[int, ...]
    leader_id: int | None = None
    target_amount: Decimal | None = None

    def __post_init__(self) -> None:
        """Normalise the amounts and the marketer ids (sorted, unique)."""
        signed = as_decimal(self.signed_amount, what=f"signed amount of team {self.team_id}")
        object.__setattr__(self, "signed_amount", signed)
        if self.target_amount is not None:
            target = as_decimal(self.target_amount, what=f"target of team {self.team_id}")
            object.__setattr__(self, "target_amount", target)
        object.__setattr__(
            self, "active_marketer_ids", tuple(sorted(set(self.active_marketer_ids)))
        )


def _ineligible_reason(rules: PlanRules, team: TeamFacts) -> tuple[str, dict] | None:
    """Why a team cannot win this month (the wording and its facts), or None if eligible."""
    threshold = rules.team_award.threshold
    if team.signed_amount < threshold:
        facts = {"reason": "threshold", "threshold": str(threshold)}
        return f"below the threshold of {money_text(threshold)}", facts
    if team.target_amount is not None and team.signed_amount < team.target_amount:
        facts = {"reason": "team_target", "threshold": str(team.target_amount)}
        return f"below the team's monthly target of {money_text(team.target_amount)}", facts
    if not team.active_marketer_ids:
        return "no active marketers to pay", {"reason": "no_active"}
    return None


def team_ranking(
    rules: PlanRules, *, month: Period, teams: Sequence[TeamFacts]
) -> tuple[RankedRow, ...]:
    """Month's team leaderboard; the highest eligible team(s) win the team prize."""
    if len({team.team_id for team in teams}) != len(teams):
        raise ValueError("each team may appear only once")
    reasons = {
        team.team_id: reason
        for team in teams
        if (reason := _ineligible_reason(rules, team)) is not None
    }
    return rank_with_eligibility(
        {team.team_id: team.signed_amount for team in teams},
        ineligible_reasons={team_id: text for team_id, (text, _facts) in reasons.items()},
        reason_facts={team_id: facts for team_id, (_text, facts) in reasons.items()},
        prizes=(rules.team_award.prize,),
        period=require_month(month).code,
        describe_value=describe_team_amount,
    )


def team_award_split(*, prize: Decimal, team: TeamFacts) -> dict[int, Decimal]:
    """Split a team prize evenly; every leftover cent goes to the leader (else lowest id)."""
    members = team.active_marketer_ids
    if not members:
        raise ValueError(f"team {team.team_id} has no active marketers to share the prize")
    base = min(split_evenly(to_money(prize), len(members)))
    leftover = to_money(prize) - base * len(members)
    receiver = team.leader_id if team.leader_id in members else members[0]
    return {staff: base + (leftover if staff == receiver else 0) for staff in members}


def _share_text(*, row: RankedRow, team: TeamFacts, base: Decimal, extra: Decimal) -> str:
    """Wording of one marketer's share, naming any leftover cents."""
    ways = len(team.active_marketer_ids)
    text = (
        f"Team award: team #{team.team_id}, {row.explanation}; split {ways} ways "
        f"= {money_text(base)} each"
    )
    return text + (f" + {money_text(extra)} leftover cents" if extra else "")


def team_award_lines(
    rules: PlanRules,
    *,
    month: Period,
    teams: Sequence[TeamFacts],
    rows: Sequence[RankedRow] | None = None,
) -> LinesByStaff:
    """Team award shares for the active marketers of each winning team, keyed by staff id.

    ``rows`` is the month's team board when one is stored: its winners and prizes are final
    (late data does not move the prize to another team); without it the teams are ranked
    here. A winner with nobody active left to pay gets no lines."""
    by_id = {team.team_id: team for team in teams}
    result: LinesByStaff = {}
    if rows is None:
        rows = team_ranking(rules, month=month, teams=teams)
    for row in rows:
        team = by_id.get(row.subject_id)
        if row.prize_amount <= 0 or team is None or not team.active_marketer_ids:
            continue
        shares = team_award_split(prize=row.prize_amount, team=team)
        base = min(shares.values())
        for staff, share in shares.items():
            text = _share_text(row=row, team=team, base=base, extra=share - base)
            facts = {
                **row.params,
                "team": team.team_id,
                "ways": len(team.active_marketer_ids),
                "share": str(base),
                "extra": str(share - base),
            }
            source = f"team:{team.team_id}"
            line = ExplainedLine(TEAM_AWARD, share, text, source, "team_award", facts)
            result.setdefault(staff, []).append(line)
    return result

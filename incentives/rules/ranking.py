"""Competition ranking (1, 1, 3) for leaderboards and ranked awards.

Rules (SPEC "Incentive rules"): only eligible subjects (value >= threshold, inclusive) are
ranked for prizes. Ties share a rank and every tied subject gets that rank's prize; the next
rank is skipped (1, 1, 3). A value of zero is never eligible, even with a zero threshold:
nobody wins a prize for doing nothing.

Choice where SPEC is silent: leaderboards list everybody, so ineligible subjects are
returned too, with ``is_eligible=False``, ``rank=None`` and no prize; their explanation
says why. Rows are ordered by value descending, then subject id ascending (deterministic
for ties); eligible rows therefore always come first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from common.money import ZERO, to_money
from incentives.rules._values import as_decimal, money_text

__all__ = [
    "RankedRow",
    "describe_amount",
    "describe_team_amount",
    "describe_visits",
    "rank",
    "rank_with_eligibility",
    "top_subjects",
]


@dataclass(frozen=True)
class RankedRow:
    """One leaderboard row: subject, value, eligibility, competition rank, prize, why."""

    subject_id: int
    value: Decimal
    is_eligible: bool
    rank: int | None
    prize_amount: Decimal
    explanation: str
    # The facts the explanation is rendered from (incentives.explanations): "rank.eligible"
    # or "rank.ineligible", with JSON-safe values (measure, value, period, rank, reason…).
    code: str = ""
    params: Mapping[str, str | int] = field(default_factory=dict, hash=False)


def describe_visits(value: Decimal) -> str:
    """Wording for a visit count: ``12 valid visits``."""
    return f"{value} valid visit{'' if value == 1 else 's'}"


def describe_amount(value: Decimal) -> str:
    """Wording for a person's signed amount: ``1,000,000.00 signed``."""
    return f"{money_text(value)} signed"


def describe_team_amount(value: Decimal) -> str:
    """Wording for a team's signed amount: ``5,000,000.00 signed by the team``."""
    return f"{money_text(value)} signed by the team"


def _measure(describe_value: Callable[[Decimal], str]) -> str:
    """The code of what a board measures, for its rendered explanations."""
    if describe_value is describe_amount:
        return "amount"
    if describe_value is describe_team_amount:
        return "team_amount"
    return "visits"


def _sorted_ids(values: Mapping[int, Decimal]) -> list[int]:
    """Subject ids by value descending, then id ascending."""
    return sorted(values, key=lambda subject: (-values[subject], subject))


def _checked_values(entries: Mapping[int, Decimal | int]) -> dict[int, Decimal]:
    """Entries as exact non-negative Decimals keyed by int subject id."""
    values = {}
    for subject, value in entries.items():
        if isinstance(subject, bool) or not isinstance(subject, int):
            raise TypeError(f"subject ids must be ints, got {subject!r}")
        values[subject] = as_decimal(value, what=f"value of subject {subject}")
    return values


def rank_with_eligibility(
    entries: Mapping[int, Decimal | int],
    *,
    ineligible_reasons: Mapping[int, str],
    prizes: tuple[Decimal, ...],
    period: str,
    describe_value: Callable[[Decimal], str] = describe_visits,
    reason_facts: Mapping[int, Mapping[str, str]] | None = None,
) -> tuple[RankedRow, ...]:
    """Rank subjects not in ``ineligible_reasons`` (1, 1, 3); rank r wins ``prizes[r-1]``.
    ``reason_facts`` holds each reason's facts (``{"reason": code, …}``) for rendering."""
    return _ranked(
        _checked_values(entries),
        ineligible_reasons=ineligible_reasons,
        prizes=prizes,
        period=period,
        describe_value=describe_value,
        reason_facts=reason_facts or {},
    )


def _ranked(
    values: dict[int, Decimal],
    *,
    ineligible_reasons: Mapping[int, str],
    prizes: tuple[Decimal, ...],
    period: str,
    describe_value: Callable[[Decimal], str],
    reason_facts: Mapping[int, Mapping[str, str]],
) -> tuple[RankedRow, ...]:
    """`rank_with_eligibility` over values already checked by `_checked_values`."""
    eligible = {s for s in values if s not in ineligible_reasons and values[s] > 0}
    # Competition ranking in one pass over the distinct values: a value's rank is 1 + the
    # number of eligible subjects strictly above it (1, 1, 3), and its tie count is its count.
    tied_at = Counter(values[s] for s in eligible)
    rank_of: dict[Decimal, int] = {}
    position = 1
    for value in sorted(tied_at, reverse=True):
        rank_of[value] = position
        position += tied_at[value]
    # Boards of thousands share a few hundred distinct values: word each value once.
    said_of: dict[Decimal, str] = {}
    measure = _measure(describe_value)
    nothing = money_text(ZERO)
    zero_facts = {"reason": "zero"}
    rows = []
    for subject in _sorted_ids(values):
        value = values[subject]
        said = said_of.get(value)
        if said is None:
            said = said_of[value] = f"{describe_value(value)} in {period}"
        if subject not in eligible:
            reason = ineligible_reasons.get(subject, "zero never wins")
            why = f"{said}, not eligible ({reason}) → {nothing}"
            facts = {"measure": measure, "value": str(value), "period": period}
            facts.update(reason_facts.get(subject, zero_facts))
            rows.append(RankedRow(subject, value, False, None, ZERO, why, "rank.ineligible", facts))
            continue
        position = rank_of[value]
        prize = to_money(prizes[position - 1]) if position <= len(prizes) else ZERO
        tied = tied_at[value]
        tie = f" (tied with {tied - 1} other{'s' if tied > 2 else ''})" if tied > 1 else ""
        why = f"{said}, rank {position}{tie} of {len(eligible)} eligible → {money_text(prize)}"
        facts = {
            "measure": measure,
            "value": str(value),
            "period": period,
            "rank": position,
            "tied": tied,
            "of": len(eligible),
            "prize": str(prize),
        }
        rows.append(RankedRow(subject, value, True, position, prize, why, "rank.eligible", facts))
    return tuple(rows)


def rank(
    entries: Mapping[int, Decimal | int],
    *,
    threshold: Decimal,
    prizes: tuple[Decimal, ...],
    period: str,
    describe_value: Callable[[Decimal], str] = describe_visits,
    own_thresholds: Mapping[int, Decimal | int] | None = None,
    own_label: str = "target",
    own_code: str = "target",
) -> tuple[RankedRow, ...]:
    """Competition-rank subjects with ``value >= threshold`` (inclusive); ties share a prize.
    A subject in ``own_thresholds`` is held to its own threshold instead (a target set for
    that person, e.g. a new hire's lighter weekly visit task)."""
    limit = as_decimal(threshold, what="threshold")
    values = _checked_values(entries)
    below_text = f"below the threshold of {describe_value(limit)}"
    below = {}
    below_facts = {"reason": "threshold", "threshold": str(limit)}
    facts: dict[int, Mapping[str, str]] = {}
    own = {
        subject: as_decimal(value, what=f"{own_label} of subject {subject}")
        for subject, value in (own_thresholds or {}).items()
    }
    for subject, value in values.items():
        if subject in own:
            if value < own[subject]:
                below[subject] = f"below the {own_label} of {describe_value(own[subject])}"
                facts[subject] = {"reason": own_code, "threshold": str(own[subject])}
        elif value < limit:
            below[subject] = below_text
            facts[subject] = below_facts
    return _ranked(
        values,
        ineligible_reasons=below,
        prizes=prizes,
        period=period,
        describe_value=describe_value,
        reason_facts=facts,
    )


def top_subjects(rows: tuple[RankedRow, ...], *, top_n: int) -> frozenset[int]:
    """Subjects ranked within the top ``top_n`` among the eligible (ties included)."""
    return frozenset(row.subject_id for row in rows if row.rank is not None and row.rank <= top_n)

"""Statement lines (奖金结算单 lines): their kinds, order, signs and single rounding.

Rounding: every line amount is quantized once, with ``to_money`` (ROUND_HALF_UP to 0.01),
when the ``ExplainedLine`` is created. Calculators keep intermediate values exact and hand
the raw result to the line; the total is then the exact sum of already-rounded lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from common.money import ZERO, to_money
from incentives.rules._values import as_decimal

__all__ = [
    "ADJUSTMENT",
    "BASE_SALARY",
    "CLAWBACK",
    "COMMISSION",
    "KIND_ORDER",
    "LINE_KINDS",
    "MONTHLY_VISIT_AWARD",
    "REFERRAL_BONUS",
    "SIGNING_AWARD",
    "TEAM_AWARD",
    "VISIT_INCENTIVE",
    "WEEKLY_VISIT_AWARD",
    "ExplainedLine",
    "LinesByStaff",
    "adjustment_line",
    "lines_total",
    "merge_lines",
]

BASE_SALARY = "base_salary"
COMMISSION = "commission"
VISIT_INCENTIVE = "visit_incentive"
WEEKLY_VISIT_AWARD = "weekly_visit_award"
MONTHLY_VISIT_AWARD = "monthly_visit_award"
SIGNING_AWARD = "signing_award"
TEAM_AWARD = "team_award"
REFERRAL_BONUS = "referral_bonus"
CLAWBACK = "clawback"
ADJUSTMENT = "adjustment"
# The API contract's line kinds, in the order a statement lists them.
LINE_KINDS = (
    BASE_SALARY,
    COMMISSION,
    VISIT_INCENTIVE,
    WEEKLY_VISIT_AWARD,
    MONTHLY_VISIT_AWARD,
    SIGNING_AWARD,
    TEAM_AWARD,
    REFERRAL_BONUS,
    CLAWBACK,
    ADJUSTMENT,
)
# A kind → its place in that order (statement lines are positioned by it).
KIND_ORDER = {kind: index for index, kind in enumerate(LINE_KINDS)}

# Lines per staff id, as returned by calculators that pay several people at once.
LinesByStaff = dict[int, list["ExplainedLine"]]


@dataclass(frozen=True)
class ExplainedLine:
    """One explained line of a statement (stored as a ``models.StatementLine``); ``amount``
    is rounded with ``to_money`` on creation.

    ``code`` and ``params`` are the facts the text is rendered from on read; the English
    ``description`` stays as the stored fallback. ``source`` is a short reference to what
    produced the line (``signing:123``, ``week:2026-W45``, ``month:2026-11``, ``team:7``,
    ``staff:42``). Clawbacks are never positive, adjustments may have either sign, every
    other kind is never negative.
    """

    kind: str
    amount: Decimal
    description: str
    source: str
    # The facts behind the line, rendered in the reader's language when it is read
    # (incentives.explanations): a code and JSON-safe values (Decimals and dates as strings).
    code: str = ""
    params: Mapping[str, str | int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        """Check kind, sign, description and source; quantize the amount once."""
        if self.kind not in KIND_ORDER:
            raise ValueError(f"unknown line kind {self.kind!r}: expected one of {LINE_KINDS}")
        amount = to_money(as_decimal(self.amount, what="line amount", allow_negative=True))
        if self.kind == CLAWBACK and amount > 0:
            raise ValueError(f"a clawback line must not be positive, got {amount}")
        if self.kind not in (CLAWBACK, ADJUSTMENT) and amount < 0:
            raise ValueError(f"a {self.kind} line must not be negative, got {amount}")
        if not self.description.strip() or not self.source.strip():
            raise ValueError("a statement line needs a description and a source")
        object.__setattr__(self, "amount", amount)


def lines_total(lines: Iterable[ExplainedLine]) -> Decimal:
    """A statement's total: the exact sum of its (already rounded) line amounts."""
    return sum((line.amount for line in lines), ZERO)


def adjustment_line(*, amount: Decimal, reason: str, source: str) -> ExplainedLine:
    """A manager's manual adjustment (either sign), with the reason shown on the statement."""
    if not reason.strip():
        raise ValueError("a manual adjustment needs a reason")
    amount = as_decimal(amount, what="adjustment amount", allow_negative=True)
    text = f"Manual adjustment: {reason.strip()}"
    return ExplainedLine(ADJUSTMENT, amount, text, source, "adjustment", {"reason": reason.strip()})


def merge_lines(*parts: Mapping[int, Iterable[ExplainedLine]]) -> LinesByStaff:
    """Merge several ``staff id → lines`` results into one, keeping the order given."""
    merged: LinesByStaff = {}
    for part in parts:
        for staff_id, lines in part.items():
            merged.setdefault(staff_id, []).extend(lines)
    return merged

"""Money helpers for CNY amounts: ``Decimal`` with two places, never ``float``.

Rounding policy: the project has exactly one rounding mode, ``ROUND_HALF_UP`` to
0.01 (``to_money``), applied at one documented step: when a statement line (or any
other amount that gets stored) is produced. Intermediate calculations stay exact;
splitting helpers here work in integer cents so their parts always add up exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "CENT",
    "ZERO",
    "format_count",
    "format_money",
    "split_by_weights",
    "split_evenly",
    "to_money",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _to_decimal(value: object, what: str = "amount") -> Decimal:
    """Build an exact Decimal from a Decimal, int or str; floats are rejected."""
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float ({value!r}); use Decimal or str")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a valid {what}") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a valid {what}: it must be a finite number")
    return result


def to_money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal rounded ROUND_HALF_UP to 0.01 (floats raise TypeError)."""
    if type(value) is Decimal and value.is_finite():  # the hot path of a month's compute
        result = value.quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        result = _to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result  # never "-0.00"


def _to_cents(value: Decimal | int | str) -> int:
    """Return the amount as an integer number of cents, after rounding with ``to_money``."""
    return int(to_money(value).scaleb(2))


def _from_cents(cents: int) -> Decimal:
    """Return an integer number of cents as a two-place Decimal."""
    return Decimal(cents) * CENT


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split ``total`` into ``parts`` cent-exact amounts; leftover cents go to the first parts."""
    if isinstance(parts, bool) or not isinstance(parts, int):
        raise TypeError(f"parts must be an int, not {type(parts).__name__}")
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    cents = _to_cents(total)
    sign = -1 if cents < 0 else 1
    base, leftover = divmod(abs(cents), parts)
    return [_from_cents(sign * (base + 1 if i < leftover else base)) for i in range(parts)]


def split_by_weights(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` by largest remainder in cents (exact sum).

    Each part gets ``floor(cents * w / sum(w))`` cents; the cents still missing go one
    each to the parts with the largest fractional remainder (ties: earlier index).
    Negative totals are split like their absolute value, then negated.
    """
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeError("weights must be a sequence of Decimal or int")
    if not weights:
        raise ValueError("weights must not be empty")
    ratios = []
    for index, weight in enumerate(weights):
        if isinstance(weight, str):
            raise TypeError(f"weight #{index} must be a Decimal or int, not str")
        value = _to_decimal(weight, what=f"weight #{index}")
        if value < 0:
            raise ValueError(f"weights must not be negative: weight #{index} is {weight}")
        ratios.append(value.as_integer_ratio())
    # Bring every weight onto a common integer scale so all arithmetic is on ints.
    scale = math.lcm(*(denominator for _, denominator in ratios))
    int_weights = [numerator * (scale // denominator) for numerator, denominator in ratios]
    weight_sum = sum(int_weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")

    cents = _to_cents(total)
    sign = -1 if cents < 0 else 1
    cents = abs(cents)
    shares = [divmod(cents * w, weight_sum) for w in int_weights]
    result = [quotient for quotient, _ in shares]
    missing = cents - sum(result)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for i in by_remainder[:missing]:
        result[i] += 1
    return [_from_cents(sign * c) for c in result]


def format_money(value: Decimal | int | str) -> str:
    """Format an amount like ``1,234,567.80`` (thousands separators, two decimals).

    Chinese and English offices write money alike, so this is the same in zh-hans and en; in
    templates it is ``{{ amount|money }}`` (``{% load money %}``)."""
    return f"{to_money(value):,.2f}"


def format_count(value: Decimal | int | str) -> str:
    """Format a count like ``12,345`` (thousands separators, rounded half up to a whole)."""
    number = _to_decimal(value, what="count").to_integral_value(rounding=ROUND_HALF_UP)
    return f"{int(number):,}"

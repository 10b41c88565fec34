"""Targets (KPI): splitting a quarter or a year into months, and attainment."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from common.money import split_by_weights, split_evenly
from incentives.rules._values import as_decimal

__all__ = ["attainment_rate", "split_target"]


def _split_units(total: int, weights: Sequence[Decimal]) -> list[int]:
    """Whole units split by weights with the largest remainder method; parts sum to total."""
    weight_sum = sum(weights)
    exact = [Decimal(total) * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_target(
    value: Decimal,
    *,
    parts: int,
    weights: Sequence[Decimal | int] | None = None,
    whole_units: bool = False,
) -> list[Decimal]:
    """Split a target into `parts` (evenly, or by weights) that add up exactly: to the cent
    for money, to the unit for counts (visits, units, partners, registrations)."""
    if weights is not None and len(weights) != parts:
        raise ValueError(f"give {parts} weights, one per part (got {len(weights)})")
    clean = [as_decimal(w, what="weight") for w in (weights or [1] * parts)]
    if sum(clean) <= 0:
        raise ValueError("the weights must add up to more than zero")
    total = as_decimal(value, what="target value")
    if whole_units:
        if total != total.to_integral_value():
            raise ValueError(f"a count target must be a whole number, got {total}")
        return [Decimal(n) for n in _split_units(int(total), clean)]
    if weights is None:
        return split_evenly(total, parts)
    return split_by_weights(total, clean)


def attainment_rate(actual: Decimal, target: Decimal) -> Decimal | None:
    """Attainment = actual / target (4 places, e.g. 0.8125 = 81.25%); None without a target."""
    if target <= 0:
        return None
    return (Decimal(actual) / Decimal(target)).quantize(Decimal("0.0001"))

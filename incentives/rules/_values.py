"""Small shared helpers for the rule calculators: value checks and wording (no Django)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.money import format_money
from common.periods import MONTH, WEEK, Period

__all__ = [
    "as_count",
    "as_decimal",
    "format_percent",
    "money_text",
    "require_month",
    "require_week",
]


def as_decimal(value: object, *, what: str, allow_negative: bool = False) -> Decimal:
    """Return ``value`` (Decimal, int or str) as an exact Decimal; floats and bools raise."""
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float ({value!r}); use Decimal or str")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if result < 0 and not allow_negative:
        raise ValueError(f"{what} must not be negative, got {value}")
    return result


def as_count(value: object, *, what: str) -> int:
    """Return ``value`` as a non-negative int count (bools and floats raise)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {value}")
    return value


def require_month(period: Period, *, what: str = "month") -> Period:
    """Return ``period`` when it is a calendar month, else raise ValueError."""
    if not isinstance(period, Period) or period.kind != MONTH:
        raise ValueError(f"{what} must be a month Period (e.g. parse_period('2026-11'))")
    return period


def require_week(period: Period, *, what: str = "week") -> Period:
    """Return ``period`` when it is an ISO week, else raise ValueError."""
    if not isinstance(period, Period) or period.kind != WEEK:
        raise ValueError(f"{what} must be a week Period (e.g. parse_period('2026-W47'))")
    return period


def money_text(value: Decimal) -> str:
    """Money as shown in explanations: ``1,000,000.00``."""
    return format_money(value)


def format_percent(percent: Decimal) -> str:
    """A percent as shown in explanations: ``Decimal("0.500")`` → ``0.5%``."""
    return f"{percent.normalize():f}%"

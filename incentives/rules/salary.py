"""Base salary (底薪) by level, prorated by calendar days, and rest days over the allowance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.periods import Period
from incentives.rules._values import as_count, money_text, require_month
from incentives.rules.plan import PlanRules, base_salary_for
from incentives.rules.statement import BASE_SALARY, ExplainedLine

__all__ = ["Employment", "base_salary_line", "days_employed", "rest_days_over"]


@dataclass(frozen=True)
class Employment:
    """A marketer's employment facts: level, hire date and last day employed (None = still)."""

    staff_id: int
    level: str
    hired_on: date
    left_on: date | None = None

    def __post_init__(self) -> None:
        """Refuse a last day before the hire date."""
        if self.left_on is not None and self.left_on < self.hired_on:
            raise ValueError(f"left_on {self.left_on} is before hired_on {self.hired_on}")


def days_employed(employment: Employment, *, month: Period) -> int:
    """Calendar days of ``month`` from the hire date to the last day employed, inclusive."""
    require_month(month)
    first = max(month.start, employment.hired_on)
    last = month.end if employment.left_on is None else min(month.end, employment.left_on)
    return max(0, (last - first).days + 1)


def _proration_note(employment: Employment, *, month: Period) -> str:
    """Why a month is partial: ``hired 2026-11-19``, ``left 2026-11-10`` or both."""
    notes = []
    if month.contains(employment.hired_on):
        notes.append(f"hired {employment.hired_on}")
    if employment.left_on is not None and month.contains(employment.left_on):
        notes.append(f"left {employment.left_on}")
    return ", ".join(notes)


def base_salary_line(
    rules: PlanRules, *, employment: Employment, month: Period
) -> ExplainedLine | None:
    """Level's monthly salary × days employed / days in month (None when not employed)."""
    days = days_employed(employment, month=month)
    if days == 0:
        return None
    salary = base_salary_for(rules, level=employment.level)
    if days == month.days:
        text = f"{money_text(salary)} base salary ({employment.level}), full month {month}"
        facts = {"salary": str(salary), "level": employment.level, "month": str(month)}
        return ExplainedLine(BASE_SALARY, salary, text, f"month:{month}", "base_salary", facts)
    note = _proration_note(employment, month=month)
    text = f"{money_text(salary)} × {days}/{month.days} days ({note}), {employment.level}"
    facts = {
        "salary": str(salary),
        "level": employment.level,
        "days": days,
        "month_days": month.days,
        "hired_on": employment.hired_on.isoformat() if month.contains(employment.hired_on) else "",
        "left_on": employment.left_on.isoformat()
        if employment.left_on is not None and month.contains(employment.left_on)
        else "",
    }
    # Multiply before dividing so the only rounding is the line's own to_money.
    amount = salary * days / month.days
    return ExplainedLine(BASE_SALARY, amount, text, f"month:{month}", "base_salary.prorated", facts)


def rest_days_over(rules: PlanRules, *, days_off: int) -> int:
    """Days off taken in a month beyond the plan's allowance (4 by default; holidays aside)."""
    return max(0, as_count(days_off, what="days off") - rules.rest_days_per_month)

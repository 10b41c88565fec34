"""What-if (方案测算): what a changed plan would have paid over a past month or quarter, next
to what was computed, writing nothing.

The simulated side runs the compute's own read part (`plan_month_lines`) with the plan in force
changed by the overrides, so the same rules run over the same facts. Manual adjustments are no
plan number: the stored ones are carried into the simulated side unchanged.

"Current" is, month by month, what the compute stored (the marketers' statement lines, whatever
their status) — or, for a month nothing was stored for, the plan in force calculated as it is.
Partners' commission is paid by contracts, not plans, and is left out of both sides.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.money import ZERO, to_money
from common.periods import MONTH, QUARTER, Period, local_today
from incentives.choices import LineKind
from incentives.models import Statement, StatementLine
from incentives.selectors.plans import plan_rules, plans_in_force
from incentives.services.compute import plan_month_lines
from incentives.services.periods import begun_period
from incentives.services.plans import plan_validate, plan_values

STORED = "stored"
COMPUTED = "computed"
MIXED = "mixed"  # a quarter whose months were partly stored


@dataclass
class Side:
    """One side of the comparison: the total, by line kind and by marketer."""

    by_kind: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(LineKind.values, ZERO)
    )
    by_staff: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), ZERO)

    def add(self, *, staff_id: int, kind: str, amount: Decimal) -> None:
        self.by_kind[kind] += amount
        self.by_staff[staff_id] += amount


@dataclass
class Simulation:
    period: str
    current_source: str
    current: Side
    simulated: Side

    def staff_rows(self) -> list[tuple[int, Decimal, Decimal]]:
        """(staff id, current total, simulated total) for everyone on either side, by id."""
        ids = sorted(set(self.current.by_staff) | set(self.simulated.by_staff))
        return [(pk, self.current.by_staff[pk], self.simulated.by_staff[pk]) for pk in ids]


def _stored_lines(month: Period) -> list[tuple[int, str, Decimal]]:
    """The marketers' stored lines of a month, summed per (staff, kind) in the database."""
    rows = (
        StatementLine.objects.filter(statement__period=str(month), statement__staff__isnull=False)
        .values("statement__staff", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
        .values_list("statement__staff", "kind", "amount")
    )
    return [(staff, kind, to_money(amount)) for staff, kind, amount in rows]  # SQLite's tails


def plan_simulate(
    *,
    period: str,
    overrides: Mapping | None = None,
    commission_rates: list[Mapping] | None = None,
    today: date | None = None,
) -> Simulation:
    """Current vs simulated pay over a month or quarter. `overrides` (plan field names) and
    `commission_rates` (the whole list, as plan_create takes it) change every plan in force;
    the changed plan must pass plan_validate like a stored one. Writes nothing: it runs in a
    transaction that is rolled back."""
    today = today or local_today()
    message = _("Simulate a month (2026-11) or a quarter (2026-Q4).")
    target = begun_period(period, (MONTH, QUARTER), today=today, message=message)
    overrides = dict(overrides or {})
    with transaction.atomic():
        simulation = _simulate(
            target=target, overrides=overrides, commission_rates=commission_rates, today=today
        )
        transaction.set_rollback(True)
    return simulation


def _simulate(
    *, target: Period, overrides: dict, commission_rates: list[Mapping] | None, today: date
) -> Simulation:
    current, simulated = Side(), Side()
    sources = set()
    for month in target.months():
        plans = plans_in_force(month=month)
        for plan in plans:
            plan_validate(
                values=plan_values(plan=plan) | overrides,
                projects=None,
                commission_rates=commission_rates,
            )
        statements = Statement.objects.filter(period=str(month), staff__isnull=False)
        stored = statements.exists()
        sources.add(STORED if stored else COMPUTED)
        for staff_id in statements.values_list("staff", flat=True) if stored else ():
            current.by_staff[staff_id] += ZERO  # listed even when paid nothing
        for staff_id, kind, amount in _stored_lines(month) if stored else ():
            current.add(staff_id=staff_id, kind=kind, amount=amount)
            if kind == LineKind.ADJUSTMENT:
                simulated.add(staff_id=staff_id, kind=kind, amount=amount)
        for plan in plans:
            if not stored:
                lines = plan_month_lines(
                    plan=plan, rules=plan_rules(plan=plan), month=month, today=today
                )
                for staff_id, staff_lines in lines.items():
                    current.by_staff[staff_id] += ZERO
                    for line in staff_lines:
                        current.add(staff_id=staff_id, kind=line.kind, amount=line.amount)
            rules = plan_rules(plan=plan, overrides=overrides, commission_rates=commission_rates)
            lines = plan_month_lines(plan=plan, rules=rules, month=month, today=today)
            for staff_id, staff_lines in lines.items():
                simulated.by_staff[staff_id] += ZERO  # listed even when paid nothing
                for line in staff_lines:
                    simulated.add(staff_id=staff_id, kind=line.kind, amount=line.amount)
    source = sources.pop() if len(sources) == 1 else MIXED
    return Simulation(
        period=str(target), current_source=source, current=current, simulated=simulated
    )

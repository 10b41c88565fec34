"""Visit incentive (来访激励): a fixed amount per valid visit group, uncapped, by property type."""

from __future__ import annotations

from collections.abc import Mapping

from common.money import ZERO
from common.periods import Period
from incentives.rules._values import as_count, money_text, require_month
from incentives.rules.plan import PROPERTY_TYPES, PlanRules, visit_incentive_for
from incentives.rules.statement import VISIT_INCENTIVE, ExplainedLine

__all__ = ["visit_incentive_lines"]


def visit_incentive_lines(
    rules: PlanRules, *, month: Period, counts_by_type: Mapping[str, int]
) -> list[ExplainedLine]:
    """One line per property type with valid visits: count × the plan's amount, no cap."""
    require_month(month)
    unknown = set(counts_by_type) - set(PROPERTY_TYPES)
    if unknown:
        raise ValueError(f"unknown property types in visit counts: {sorted(unknown)}")
    lines = []
    for kind in PROPERTY_TYPES:
        count = as_count(counts_by_type.get(kind, 0), what=f"{kind} visit count")
        if count == 0:
            continue
        per_visit = visit_incentive_for(rules, property_type=kind)
        said = f"{count} valid {kind} visit{'' if count == 1 else 's'} in {month}"
        facts = {"count": count, "type": kind, "month": str(month)}
        source = f"visits:{month}:{kind}"
        if per_visit is None:
            text = f"{said}: no {kind} visit incentive (not set in plan)"
            code = "visit_incentive.unset"
            lines.append(ExplainedLine(VISIT_INCENTIVE, ZERO, text, source, code, facts))
            continue
        total = per_visit * count
        text = f"{said} × {money_text(per_visit)} = {money_text(total)}"
        facts |= {"per_visit": str(per_visit), "total": str(total)}
        lines.append(ExplainedLine(VISIT_INCENTIVE, total, text, source, "visit_incentive", facts))
    return lines

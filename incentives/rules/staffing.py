"""The seed's staffing rules (渠道部岗位人员配置): one property consultant per three marketers;
one secretary for a team of up to fifteen people, two above that."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

__all__ = ["MARKETERS_PER_CONSULTANT", "SECRETARY_TEAM_LIMIT", "StaffingFacts", "staffing_warnings"]

MARKETERS_PER_CONSULTANT = 3
SECRETARY_TEAM_LIMIT = 15


@dataclass(frozen=True)
class StaffingFacts:
    project_id: int
    project_name: str
    marketers: int
    consultants: int
    secretaries: int
    people: int  # everyone active on the project's teams


def staffing_warnings(facts: StaffingFacts) -> list[str]:
    """What a project lacks against the seed's ratios (empty when staffed as the seed says)."""
    warnings = []
    needed = ceil(facts.marketers / MARKETERS_PER_CONSULTANT)
    if facts.consultants < needed:
        warnings.append(
            f"{facts.marketers} marketers need {needed} property consultants "
            f"(1 per {MARKETERS_PER_CONSULTANT}); {facts.consultants} on the project"
        )
    secretaries = 1 if facts.people <= SECRETARY_TEAM_LIMIT else 2
    if facts.people and facts.secretaries < secretaries:
        warnings.append(
            f"{facts.people} people need {secretaries} secretar{'y' if secretaries == 1 else 'ies'}"
            f" (1 up to {SECRETARY_TEAM_LIMIT}, else 2); {facts.secretaries} on the project"
        )
    return warnings

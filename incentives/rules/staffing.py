"""The seed's staffing rules (渠道部岗位人员配置): one property consultant per three marketers;
one secretary for a team of up to fifteen people, two above that."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from django.utils.translation import ngettext

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
    """What a project lacks against the seed's ratios (empty when staffed as the seed says),
    in the active language."""
    warnings = []
    needed = ceil(facts.marketers / MARKETERS_PER_CONSULTANT)
    if facts.consultants < needed:
        warnings.append(
            ngettext(
                "%(marketers)s marketers need %(needed)s property consultant "
                "(1 per %(ratio)s); %(consultants)s on the project",
                "%(marketers)s marketers need %(needed)s property consultants "
                "(1 per %(ratio)s); %(consultants)s on the project",
                needed,
            )
            % {
                "marketers": facts.marketers,
                "needed": needed,
                "ratio": MARKETERS_PER_CONSULTANT,
                "consultants": facts.consultants,
            }
        )
    secretaries = 1 if facts.people <= SECRETARY_TEAM_LIMIT else 2
    if facts.people and facts.secretaries < secretaries:
        warnings.append(
            ngettext(
                "%(people)s people need %(needed)s secretary "
                "(1 up to %(limit)s, else 2); %(secretaries)s on the project",
                "%(people)s people need %(needed)s secretaries "
                "(1 up to %(limit)s, else 2); %(secretaries)s on the project",
                secretaries,
            )
            % {
                "people": facts.people,
                "needed": secretaries,
                "limit": SECRETARY_TEAM_LIMIT,
                "secretaries": facts.secretaries,
            }
        )
    return warnings

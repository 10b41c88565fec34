"""What a compute did, as the job run, the command, the API and the approvals page say it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.money import ZERO, format_money
from incentives.selectors.coverage import Coverage, UncoveredMarketer, UncoveredProject


@dataclass
class ComputeSummary:
    period: str
    plans: int = 0
    boards_frozen: int = 0
    statements: int = 0
    statements_locked: int = 0
    statements_removed: int = 0
    total_amount: Decimal = ZERO
    # Of `statements` and `total_amount`: the partners' commission statements.
    partner_statements: int = 0
    partner_total_amount: Decimal = ZERO
    promotions: list[int] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    def facts(self) -> dict:
        """The counts and whom no plan covers, as JSON (kept on the job run): `from_facts`
        turns them back into a summary that speaks the reader's language."""
        return {
            "period": self.period,
            "plans": self.plans,
            "boards_frozen": self.boards_frozen,
            "statements": self.statements,
            "statements_locked": self.statements_locked,
            "statements_removed": self.statements_removed,
            "total_amount": str(self.total_amount),
            "partner_statements": self.partner_statements,
            "partner_total_amount": str(self.partner_total_amount),
            "promotions": len(self.promotions),
            "uncovered_projects": [[p.id, p.name] for p in self.coverage.projects],
            "uncovered_marketers": [
                [m.id, m.name, m.team_name, m.project_name] for m in self.coverage.marketers
            ],
        }

    @classmethod
    def from_facts(cls, facts: dict) -> "ComputeSummary":
        return cls(
            period=facts["period"],
            plans=facts.get("plans", 0),
            boards_frozen=facts.get("boards_frozen", 0),
            statements=facts.get("statements", 0),
            statements_locked=facts.get("statements_locked", 0),
            statements_removed=facts.get("statements_removed", 0),
            total_amount=Decimal(facts.get("total_amount", "0.00")),
            partner_statements=facts.get("partner_statements", 0),
            partner_total_amount=Decimal(facts.get("partner_total_amount", "0.00")),
            coverage=Coverage(
                projects=tuple(
                    UncoveredProject(*row) for row in facts.get("uncovered_projects", ())
                ),
                marketers=tuple(
                    UncoveredMarketer(*row) for row in facts.get("uncovered_marketers", ())
                ),
            ),
        )

    def text(self) -> str:
        """The summary in the active language (the job run stores the default language's)."""
        parts = [
            _(
                "%(period)s: %(plans)s plan(s), %(statements)s draft statement(s) totalling "
                "%(total)s, %(locked)s approved/paid left untouched, %(boards)s board(s) frozen"
            )
            % {
                "period": self.period,
                "plans": self.plans,
                "statements": self.statements,
                "total": format_money(self.total_amount),
                "locked": self.statements_locked,
                "boards": self.boards_frozen,
            }
        ]
        if self.partner_statements:  # the approvals page lists them apart: say how many
            parts.append(
                _("of the drafts, %(partners)s partner statement(s) totalling %(total)s")
                % {
                    "partners": self.partner_statements,
                    "total": format_money(self.partner_total_amount),
                }
            )
        if self.statements_removed:
            parts.append(
                _("%(removed)s draft statement(s) of people no plan covers removed")
                % {"removed": self.statements_removed}
            )
        parts += coverage_warnings(self.coverage)
        return pgettext("list separator", "; ").join(parts)


def coverage_warnings(coverage: Coverage) -> list[str]:
    """One sentence for the projects and one for the marketers no plan covers (none: [])."""
    separator = pgettext("list separator", ", ")
    warnings = []
    if coverage.projects:
        warnings.append(
            _("no plan covers the project(s) %(projects)s")
            % {"projects": separator.join(p.name for p in coverage.projects)}
        )
    if coverage.marketers:
        warnings.append(
            _("no plan covers the active marketer(s) %(marketers)s")
            % {"marketers": separator.join(marketer_label(m) for m in coverage.marketers)}
        )
    return warnings


def marketer_label(marketer) -> str:
    """王五 (no team) or 王五 (A组 · 协成): why no plan pays them."""
    if marketer.team_name is None:
        return _("%(name)s (no team)") % {"name": marketer.name}
    return _("%(name)s (%(team)s · %(project)s)") % {
        "name": marketer.name,
        "team": marketer.team_name,
        "project": marketer.project_name,
    }

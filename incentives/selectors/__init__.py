"""Reads for the incentive engine, by sub-domain: `plans` (in force, their rules and
marketers), `activity` (the month's visit, signing, team and referral facts), `boards`,
`statements`, `partner_commission`, `targets`, `scorecards` and `costs` (费效 and staffing).
Selectors never import services.

The names below are the ones callers outside the package use; code inside `incentives`
imports from the submodules.
"""

from incentives.selectors.activity import period_counted_signings, period_valid_visits
from incentives.selectors.boards import frozen_board, leaderboard, plan_for_board
from incentives.selectors.costs import cost_effectiveness, cost_list, cost_scope, staffing_check
from incentives.selectors.coverage import plan_coverage
from incentives.selectors.jobs import compute_run, compute_run_latest
from incentives.selectors.plans import plan_list, plans_in_force
from incentives.selectors.scorecards import partner_scorecards
from incentives.selectors.statements import (
    partner_approval_list,
    partner_statement_list,
    promotion_list,
    statement_approval_list,
    statement_filter_projects,
    statement_filter_teams,
    statement_list,
    statement_office_get,
    statement_owner_totals,
    statement_page_list,
    statement_totals,
)
from incentives.selectors.targets import target_actuals, target_list

__all__ = [
    "compute_run",
    "compute_run_latest",
    "cost_effectiveness",
    "cost_list",
    "cost_scope",
    "frozen_board",
    "leaderboard",
    "partner_approval_list",
    "partner_scorecards",
    "partner_statement_list",
    "period_counted_signings",
    "period_valid_visits",
    "plan_coverage",
    "plan_for_board",
    "plan_list",
    "plans_in_force",
    "promotion_list",
    "staffing_check",
    "statement_approval_list",
    "statement_filter_projects",
    "statement_filter_teams",
    "statement_list",
    "statement_office_get",
    "statement_owner_totals",
    "statement_page_list",
    "statement_totals",
    "target_actuals",
    "target_list",
]

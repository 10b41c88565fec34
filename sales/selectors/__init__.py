"""Reads for sales: querysets with their joins and their row scoping by role.

By sub-domain: ``org`` (staff, teams, projects, pick lists), ``activity`` (registrations,
visits, deals, overrides), ``customers`` (owners, channels, phones, the phone check),
``reports`` (日报) and ``facts`` (the one definition of a counted signing and a valid visit).
Modules inside sales import from those; the names below are the ones other apps use.
"""

from sales.selectors.activity import (
    payment_list,
    registration_list,
    signing_list,
    subscription_list,
    visit_list,
)
from sales.selectors.org import project_active_list, staff_for_user, staff_list, team_list

__all__ = [
    "payment_list",
    "project_active_list",
    "registration_list",
    "signing_list",
    "staff_for_user",
    "staff_list",
    "subscription_list",
    "team_list",
    "visit_list",
]

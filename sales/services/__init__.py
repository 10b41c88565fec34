"""Writes for sales; each module owns one part of the domain."""

from sales.services.org import (
    staff_create,
    staff_login_create,
    staff_login_sync,
    staff_update,
    team_check,
)

__all__ = [
    "staff_create",
    "staff_login_create",
    "staff_login_sync",
    "staff_update",
    "team_check",
]

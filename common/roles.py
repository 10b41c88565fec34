"""Roles (SPEC "Users"): the role codes and which role a login has.

A login is in one Django group named by its role code. What each role may do is the access
table's (`common.access`); selectors narrow rows further (a supervisor's teams, a partner's own).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Channel manager")
    SUPERVISOR = "supervisor", _("Channel supervisor")
    SECRETARY = "secretary", _("Channel secretary")
    MARKETER = "marketer", _("Channel marketer")
    CONSULTANT = "consultant", _("Property consultant")
    PARTNER = "partner", _("Partner user")


def user_role(user) -> str | None:
    """The role code of a user (a superuser acts as manager), cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_channelhub_role", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        role = Role.MANAGER.value
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r.value for r in Role if r.value in names), None)
    user._channelhub_role = role
    return role

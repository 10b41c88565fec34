"""Roles (SPEC "Users"): one Django group per role code, carrying that role's permissions.

The map below is the single source of truth for what a role may do: the admin and the API
both read Django permissions, and selectors narrow rows further (a supervisor's own teams, a
partner's own data).
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Channel manager")
    SUPERVISOR = "supervisor", _("Channel supervisor")
    SECRETARY = "secretary", _("Channel secretary")
    MARKETER = "marketer", _("Channel marketer")
    CONSULTANT = "consultant", _("Property consultant")
    PARTNER = "partner", _("Partner user")


STAFF_ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT)
# Roles that use the Django admin for configuration.
ADMIN_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR})

# App labels whose every permission a manager holds.
MANAGER_APPS = ("common", "partners", "sales", "incentives", "django_celery_beat", "authtoken")

SALES_VIEW = tuple(
    f"sales.view_{model}"
    for model in (
        "customer",
        "registration",
        "visit",
        "subscription",
        "signing",
        "payment",
        "mortgage",
    )
)
# The sales office logs the day: visits, deals, payments and mortgages, and registers on behalf.
SALES_OFFICE = (
    *SALES_VIEW,
    "sales.add_registration",
    "sales.add_visit",
    "sales.change_visit",
    "sales.add_subscription",
    "sales.change_subscription",
    "sales.add_signing",
    "sales.change_signing",
    "sales.add_payment",
    "sales.add_mortgage",
    "sales.change_mortgage",
)
# Channels (marketers, partner users) register customers and follow their own deals.
CHANNEL_SALES = (
    "sales.view_customer",
    "sales.view_registration",
    "sales.add_registration",
    "sales.view_visit",
    "sales.view_signing",
)

# Supervisors run partners: recruitment, contracts and training (deleting is the manager's).
PARTNERS_RUN = (
    "partners.view_partner",
    "partners.add_partner",
    "partners.change_partner",
    "partners.view_partnerapplication",
    "partners.change_partnerapplication",
    "partners.view_recruitmentcriteria",
    "partners.view_partnercontract",
    "partners.add_partnercontract",
    "partners.change_partnercontract",
    "partners.view_contractreminder",
    "partners.view_trainingsession",
    "partners.add_trainingsession",
    "partners.change_trainingsession",
    "partners.view_trainingattendance",
    "partners.add_trainingattendance",
    "partners.change_trainingattendance",
)
# Other staff pick a partner (e.g. who brought a visit): they read the active partners.
PARTNER_PICK = ("partners.view_partner",)
# A partner user reads its own organisation, contracts and trainings (selectors scope rows).
PARTNER_PORTAL = (
    "partners.view_partner",
    "partners.view_partnercontract",
    "partners.view_trainingsession",
    "partners.view_trainingattendance",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.SUPERVISOR: (
        "sales.view_project",
        "sales.view_team",
        "sales.change_team",
        "sales.view_staff",
        "sales.add_staff",
        "sales.change_staff",
        *PARTNERS_RUN,
        *SALES_VIEW,
        "incentives.view_statement",
        "incentives.view_promotioneligibility",
        "incentives.view_target",
        "incentives.add_target",
        "incentives.change_target",
        "incentives.view_channelcost",
    ),
    Role.SECRETARY: (
        "sales.view_project",
        "sales.view_team",
        "sales.view_staff",
        *SALES_OFFICE,
        *PARTNER_PICK,
        "incentives.view_target",
    ),
    Role.MARKETER: (
        "sales.view_project",
        "sales.view_team",
        "sales.view_staff",
        *CHANNEL_SALES,
        *PARTNER_PICK,
        "incentives.view_statement",
        "incentives.view_promotioneligibility",
        "incentives.view_target",
    ),
    Role.CONSULTANT: (
        "sales.view_project",
        "sales.view_team",
        "sales.view_staff",
        "sales.view_visit",
        *PARTNER_PICK,
        "incentives.view_target",
    ),
    Role.PARTNER: (
        "sales.view_project",
        *CHANNEL_SALES,
        *PARTNER_PORTAL,
        "incentives.view_statement",
        "incentives.view_target",
    ),
}


def _permissions(codes: tuple[str, ...]) -> list[Permission]:
    """Resolve "app_label.codename" strings to Permission rows (unknown ones are skipped)."""
    wanted = {tuple(code.split(".", 1)) for code in codes}
    perms = Permission.objects.select_related("content_type").filter(
        codename__in=[codename for _app, codename in wanted]
    )
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


def role_groups_sync() -> None:
    """Create one group per role and give it exactly the permissions of ROLE_PERMISSIONS."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        if role == Role.MANAGER:
            perms = Permission.objects.filter(content_type__app_label__in=MANAGER_APPS)
        else:
            perms = _permissions(ROLE_PERMISSIONS[role])
        group.permissions.set(perms)


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: rebuild the role groups once the last project app has migrated."""
    if sender.name == "incentives":
        role_groups_sync()


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


def user_role_set(user, role: str) -> None:
    """Put a login in exactly one role group; admin access follows the role."""
    user.groups.set([Group.objects.get(name=role)])
    user.is_staff = role in ADMIN_ROLES or user.is_superuser
    user.save(update_fields=["is_staff"])
    user._channelhub_role = role

"""Who may do what: ChannelHub's one access table (SPEC "Users").

Two halves, both keyed by the role codes of `common.roles.Role`:

- `MODEL_PERMISSIONS`: the Django model permissions each role's group holds. The admin and the
  plain CRUD endpoints (`common.permissions.RoleModelPermissions`) read them.
- `CAPABILITIES`: every other "may this user …" question — a page, an action, a service's
  check, a menu entry — as a `rules` predicate over the user, asked with `can(user, name)`.
  Views use `capability_required`, the API `Can(name)`, templates `{% if can.name %}` (the
  context processor `common.context_processors.access`).

Row scoping (a supervisor's own teams, a partner's own rows) is not here: selectors narrow the
rows, and they ask this table which scope a user has (`can(user, "see_all_activity")`).
Nothing outside this module lists roles.
"""

from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from common.roles import Role, user_role


def _role_in(*roles: Role) -> rules.Predicate:
    codes = frozenset(role.value for role in roles)

    def check(user) -> bool:
        return user_role(user) in codes

    return rules.Predicate(check, name="role in " + "/".join(sorted(codes)))


manager = _role_in(Role.MANAGER)
supervisor = _role_in(Role.SUPERVISOR)
secretary = _role_in(Role.SECRETARY)
marketer = _role_in(Role.MARKETER)
consultant = _role_in(Role.CONSULTANT)
partner = _role_in(Role.PARTNER)
staff = manager | supervisor | secretary | marketer | consultant
office = manager | secretary  # the sales office: logs the day
reporting = manager | supervisor | secretary  # reads the day's figures of whole projects
leading = manager | supervisor  # runs teams, partners and money
staff_without_consultant = manager | supervisor | secretary | marketer

# --- capabilities ---------------------------------------------------------------------------
# name → who. Names are template-safe (no dots): `{% if can.log_visits %}`.
CAPABILITIES: dict[str, rules.Predicate] = {
    # Sales office (secretary's day)
    "log_visits": office,  # today's visits page, record/correct a visit
    "log_walk_ins": office,  # a visit with neither marketer nor partner (自然到访)
    "confirm_visits": office,  # confirm/reject, or record a visit already confirmed
    "record_deals": office,  # 认购, 签约 (退房), 回款, 按揭 pages (as the API's sales.add_* perms)
    "import_activity": office,  # xlsx import of visits and signings
    "read_daily_report": reporting,  # 日报 page, API and xlsx
    "audit_phone_reads": reporting,  # full phones they are served are audited
    # Property consultants (置业顾问)
    "see_assigned_visits": consultant,  # the groups assigned to them: today, upcoming, recent
    # Channels (marketers and partner users) act for themselves
    "masked_phones_only": partner,  # customers' phones served as 138****1234
    "credit_self": marketer | partner,  # a registration they make is theirs
    "use_marketer_pages": marketer,  # 报备, my customers, my visits (/marketer/)
    "see_other_channel": staff,  # may read who else holds a customer (撞单 reason)
    "override_attribution": manager,
    "extend_protection": manager,  # extend one registration's protection once, with a reason
    "read_customers": staff_without_consultant | partner,  # customers/ API (selectors scope)
    "browse_customers": reporting,  # the customer pages: search, timeline (selectors scope)
    # Appeals (申诉): channels file and follow their own; the office reviews and decides
    "file_appeals": marketer | partner,  # file an appeal, follow my appeals (pages and API)
    "read_appeals": leading | marketer | partner,  # appeals/ API (selectors scope the rows)
    "review_appeals": leading,  # the queue, the decision screen, comments, the evidence
    "decide_appeals": manager,  # uphold (moves the attribution) or reject, with a note
    # Incentives
    "read_boards": staff,  # leaderboards pages, API and xlsx
    "read_statements": manager | supervisor | marketer,
    "have_statement": marketer,  # "my statements": paid by the plans
    "approve_statements": manager,  # approve, approve-many, mark paid, adjust
    "run_compute": manager,  # compute a period, read the job runs
    "configure_plans": manager,  # plans in the admin, the API and the plan pages
    "read_plans": leading,  # the plans and their versions, read-only
    "simulate_plans": manager,  # the what-if (方案测算) of a changed plan
    "read_scorecards": leading | partner,
    "read_costs": leading,  # 费效 and channel costs (a supervisor their teams' projects')
    "record_costs": manager,  # record and correct channel costs (pages; the API's add_channelcost)
    "manage_targets": leading,  # the target pages: set, change, split (a supervisor their teams')
    "set_any_target": manager,  # company and partner targets too (the services' scope check)
    "view_dashboard": leading,
    "see_whole_company": manager,  # the dashboard's and 费效's company-wide figures
    # Partners
    "use_partner_portal": partner,
    "manage_partners": leading,  # every partner, recruitment, contracts, trainings
    "pick_partners": secretary | marketer | consultant,  # the active partners, to choose one
    # Notifications: everyone signed in has an inbox; group robots are configured by leads
    "use_inbox": staff | partner,  # the bell, the inbox, its API and the e-mail setting
    "configure_team_robots": leading,  # a team's group robot (a supervisor their own teams')
    "configure_partner_robots": manager,  # a partner's group robot
    # Who manages whom, and configuration
    "manage_staff": supervisor,  # a supervisor's own teams only (selectors scope)
    "use_admin": leading,
    "read_api_docs": staff,
    # Row scopes asked by selectors: "all rows" versus their own narrowing
    "see_all_teams": manager | secretary | marketer | consultant,
    "see_all_activity": office,
    "see_all_appeals": manager,  # else a supervisor the projects of their teams
    "see_all_staff": office,
    "see_own_team": marketer | consultant,  # the people of their own team
    "see_all_partner_statements": leading,
    "see_all_targets": office,
}

# Staff roles a supervisor may create and change (their own teams' marketers and consultants).
SUPERVISOR_MANAGES = (Role.MARKETER, Role.CONSULTANT)
# Roles a login of the Staff table may have (partner users belong to a partner instead).
STAFF_ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT)

_capabilities = rules.RuleSet()
for _name, _predicate in CAPABILITIES.items():
    _capabilities.add_rule(_name, _predicate)


def can(user, capability: str) -> bool:
    """True when `user` has `capability` (a key of CAPABILITIES; an unknown name is an error)."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return _capabilities.test_rule(capability, user)


def capability_required(capability: str):
    """View decorator: signed in (else to the login page) and holding `capability` (else 403)."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def Can(capability: str) -> type[BasePermission]:
    """A DRF permission class that lets through users holding `capability`."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    class CapabilityPermission(BasePermission):
        def has_permission(self, request, view) -> bool:
            return can(request.user, capability)

    CapabilityPermission.__name__ = f"Can_{capability}"
    CapabilityPermission.__qualname__ = CapabilityPermission.__name__
    return CapabilityPermission


class Capabilities:
    """`{% if can.log_visits %}` in templates: each capability of one user, asked lazily."""

    def __init__(self, user):
        self._user = user
        self._known: dict[str, bool] = {}

    def __getitem__(self, capability: str) -> bool:
        if capability not in self._known:
            self._known[capability] = can(self._user, capability)
        return self._known[capability]

    def __contains__(self, capability: str) -> bool:
        return capability in CAPABILITIES and self[capability]


# --- model permissions ----------------------------------------------------------------------
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

# The manager holds every permission of MANAGER_APPS; the other roles exactly these.
MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
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
    """Create one group per role and give it exactly the permissions of MODEL_PERMISSIONS."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        if role == Role.MANAGER:
            perms = Permission.objects.filter(content_type__app_label__in=MANAGER_APPS)
        else:
            perms = _permissions(MODEL_PERMISSIONS[role])
        group.permissions.set(perms)


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: rebuild the role groups once the last project app has migrated."""
    if sender.name == "incentives":
        role_groups_sync()


def user_role_set(user, role: str) -> None:
    """Put a login in exactly one role group; the admin is open to the roles that configure."""
    user.groups.set([Group.objects.get(name=role)])
    user._channelhub_role = role
    user.is_staff = user.is_superuser or can(user, "use_admin")
    user.save(update_fields=["is_staff"])

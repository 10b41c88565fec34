"""Reads for sales: querysets with their joins and their row scoping by role."""

from django.db.models import Q, QuerySet

from common.roles import Role, user_role
from sales.models import Project, Staff, Team


def staff_for_user(user) -> Staff | None:
    """The staff record behind a login, or None (partner users, bare superusers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_channelhub_staff", "unset")
    if cached == "unset":
        cached = Staff.objects.select_related("team").filter(user=user).first()
        user._channelhub_staff = cached
    return cached


def project_list(*, user) -> QuerySet[Project]:
    """Projects are company-wide: every signed-in role may see them."""
    if user_role(user) is None:
        return Project.objects.none()
    return Project.objects.all()


def team_list(*, user) -> QuerySet[Team]:
    """Teams a user may see: a supervisor only the teams they run; partners none."""
    role = user_role(user)
    teams = Team.objects.select_related("project", "leader", "supervisor")
    if role in (Role.MANAGER, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT):
        return teams
    if role == Role.SUPERVISOR:
        me = staff_for_user(user)
        return teams.filter(supervisor=me) if me else teams.none()
    return teams.none()


def staff_list(*, user) -> QuerySet[Staff]:
    """Staff a user may see: managers and secretaries all; a supervisor their teams' people
    and themselves; marketers and consultants their own team (or only themselves)."""
    role = user_role(user)
    staff = Staff.objects.select_related("team", "user")
    if role in (Role.MANAGER, Role.SECRETARY):
        return staff
    me = staff_for_user(user)
    if me is None:
        return staff.none()
    if role == Role.SUPERVISOR:
        return staff.filter(Q(team__supervisor=me) | Q(pk=me.pk))
    if role in (Role.MARKETER, Role.CONSULTANT):
        return staff.filter(team=me.team) if me.team_id else staff.filter(pk=me.pk)
    return staff.none()


def supervised_team_ids(*, staff: Staff) -> set[int]:
    return set(Team.objects.filter(supervisor=staff).values_list("id", flat=True))

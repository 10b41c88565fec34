"""Reads for the sales organisation: staff, teams, projects and the pick lists that name them."""

from django.db.models import Q, QuerySet

from common.access import can
from common.roles import Role, user_role
from partners.models import Partner
from partners.selectors import partner_list
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
    if can(user, "see_all_teams"):
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
    if can(user, "see_all_staff"):
        return staff
    me = staff_for_user(user)
    if me is None:
        return staff.none()
    if role == Role.SUPERVISOR:
        return staff.filter(Q(team__supervisor=me) | Q(pk=me.pk))
    if can(user, "see_own_team"):
        return staff.filter(team=me.team) if me.team_id else staff.filter(pk=me.pk)
    return staff.none()


def channel_marketer_choices(*, user) -> QuerySet[Staff]:
    """Marketers a caller may name as the credited channel of new activity: the ones they may
    see (the office every marketer; the service refuses an inactive one with a reason)."""
    return staff_list(user=user).filter(role=Role.MARKETER)


def channel_partner_choices(*, user) -> QuerySet[Partner]:
    """Partners a caller may name as the credited channel: the ones the partners app lets
    them see (a partner user only its own)."""
    return partner_list(user=user)


def supervised_team_ids(*, staff: Staff) -> set[int]:
    return set(Team.objects.filter(supervisor=staff).values_list("id", flat=True))


# --- The sales office's pick lists ----------------------------------------------------------


def project_active_list() -> QuerySet[Project]:
    """Projects the office can log activity at (active ones, by name)."""
    return Project.objects.filter(is_active=True).order_by("name", "id")


def project_default(
    *, remembered: int | None = None, among: QuerySet[Project] | None = None
) -> Project | None:
    """The project a page opens on: the one remembered in the session, else the first active
    (of `among`, the projects the page may show, when given)."""
    projects = project_active_list()
    if among is not None:
        projects = projects.filter(pk__in=among.values("pk"))
    if remembered:
        found = projects.filter(pk=remembered).first()
        if found is not None:
            return found
    return projects.first()


def marketer_active_list() -> QuerySet[Staff]:
    """Active marketers, for "brought by" pick lists."""
    return (
        Staff.objects.filter(role=Role.MARKETER, is_active=True)
        .select_related("team")
        .order_by("name", "id")
    )


def consultant_active_list() -> QuerySet[Staff]:
    """Active property consultants (置业顾问), for assigning a visit."""
    return Staff.objects.filter(role=Role.CONSULTANT, is_active=True).order_by("name", "id")

"""Writes for sales. Each service owns its transaction and raises ValidationError with
field names, which the API turns into a field-level 400."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.access import SUPERVISOR_MANAGES, can, user_role_set
from common.notifications.services import robot_webhook_set
from common.periods import local_today
from common.phones import normalise_phone
from common.roles import Role, user_role
from sales.models import Staff, Team
from sales.selectors.org import staff_for_user, supervised_team_ids, team_list

STAFF_FIELDS = (
    "name",
    "role",
    "level",
    "team",
    "hired_on",
    "referred_by",
    "is_active",
    "left_on",
    "phone",
)


def _check_staff_fields(*, staff: Staff) -> None:
    errors: dict[str, str] = {}
    if staff.role == Role.MARKETER and not staff.level:
        errors["level"] = _("A marketer needs a level: regular, excellent or senior.")
    if staff.role != Role.MARKETER and staff.level:
        errors["level"] = _("Only marketers have a level; leave it empty for this role.")
    if staff.referred_by_id and staff.pk and staff.referred_by_id == staff.pk:
        errors["referred_by"] = _("A staff member cannot refer themselves.")
    if staff.left_on is not None and staff.is_active:
        errors["left_on"] = _(
            "Only a staff member who has left has a last working day; set active to false."
        )
    elif staff.left_on is not None and staff.hired_on and staff.left_on < staff.hired_on:
        errors["left_on"] = _("The last working day cannot be before the hire date.")
    if errors:
        raise ValidationError(errors)


def _check_actor_scope(*, actor, role: str, team: Team | None) -> None:
    """A supervisor may only place marketers and consultants in teams they supervise."""
    if user_role(actor) != Role.SUPERVISOR:
        return
    me = staff_for_user(actor)
    if role not in SUPERVISOR_MANAGES:
        raise ValidationError({"role": _("A supervisor can add marketers and consultants only.")})
    if team is None or me is None or team.pk not in supervised_team_ids(staff=me):
        raise ValidationError({"team": _("Choose one of the teams you supervise.")})


def staff_login_create(*, staff: Staff, username: str, password: str):
    """Give a staff member a login in the group of their role."""
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name for the login.")})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is already taken.")})
    user = user_model(username=username, first_name=staff.name[:150])
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    user_role_set(user, staff.role)
    staff.user = user
    staff.save(update_fields=["user"])
    return user


@transaction.atomic
def staff_create(
    *,
    actor,
    name: str,
    role: str,
    hired_on: date,
    level: str | None = None,
    team: Team | None = None,
    referred_by: Staff | None = None,
    is_active: bool = True,
    left_on: date | None = None,
    phone: str = "",
    username: str = "",
    password: str = "",
) -> Staff:
    """Add a staff member (and, with username and password, their login). One who has left
    already (recorded afterwards) is inactive with their last working day, today if not given."""
    _check_actor_scope(actor=actor, role=role, team=team)
    staff = Staff(
        name=name.strip(),
        role=role,
        level=level or None,
        team=team,
        hired_on=hired_on,
        referred_by=referred_by,
        is_active=is_active,
        left_on=left_on,
        phone=normalise_phone(phone) if phone else "",
    )
    _check_staff_fields(staff=staff)
    if not staff.is_active and staff.left_on is None:
        staff.left_on = local_today()
    staff.save()
    if username or password:
        staff_login_create(staff=staff, username=username, password=password)
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, **changes) -> Staff:
    """Change a staff member; the login's role group and active flag follow."""
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"unknown staff fields: {sorted(unknown)}")
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    _check_actor_scope(actor=actor, role=staff.role, team=staff.team)
    for field, value in changes.items():
        if field == "phone" and value:
            value = normalise_phone(value)
        if field == "level":
            value = value or None
        setattr(staff, field, value)
    if staff.is_active and "left_on" not in changes:
        staff.left_on = None  # back at work: no last working day
    _check_actor_scope(actor=actor, role=staff.role, team=staff.team)
    _check_staff_fields(staff=staff)
    if not staff.is_active and staff.left_on is None:
        staff.left_on = local_today()  # leaving today unless a date was given
    staff.save()
    staff_login_sync(staff=staff)
    return staff


def staff_login_sync(*, staff: Staff) -> None:
    """Keep a staff member's login in step: role group, admin access, and active flag."""
    if not staff.user_id:
        return
    user = staff.user
    if user.is_active != staff.is_active:
        user.is_active = staff.is_active
        user.save(update_fields=["is_active"])
    user_role_set(user, staff.role)


def team_check(*, team: Team) -> None:
    """A team's leader must be one of its members."""
    if team.leader_id and team.pk and team.leader.team_id != team.pk:
        raise ValidationError({"leader": _("The leader must be a member of this team.")})
    if team.supervisor_id and team.supervisor.role != Role.SUPERVISOR:
        raise ValidationError({"supervisor": _("Choose a staff member with the supervisor role.")})


def team_robot_set(*, actor, team: Team, kind: str, url: str) -> Team:
    """A manager, or the supervisor who runs the team, sets its group robot (企业微信 / 钉钉):
    it hears of the team's marketers' customers. https only; the URL is shown back masked."""
    if (
        not can(actor, "configure_team_robots")
        or not team_list(user=actor).filter(pk=team.pk).exists()
    ):
        raise ValidationError(
            {"non_field_errors": _("Only a channel manager or this team's supervisor can.")}
        )
    return robot_webhook_set(actor=actor, owner=team, kind=kind, url=url, action="team.robot_set")

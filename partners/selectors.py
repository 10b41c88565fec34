"""Reads for partners, scoped so that a partner user only ever reaches its own partner."""

import hashlib

from django.db.models import Count, Prefetch, Q, QuerySet

from common.access import can
from common.roles import Role, user_role
from partners.choices import ApplicationStatus, ContractStatus, PartnerStatus
from partners.models import (
    Partner,
    PartnerApplication,
    PartnerContract,
    PartnerInvite,
    RecruitmentCriteria,
    TrainingAttendance,
    TrainingSession,
)


def partner_for_user(user) -> Partner | None:
    """The partner organisation a portal login belongs to, or None for staff."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_channelhub_partner", "unset")
    if cached == "unset":
        cached = Partner.objects.filter(members__user=user).first()
        user._channelhub_partner = cached
    return cached


def partner_list(*, user) -> QuerySet[Partner]:
    """Managers and supervisors: all partners; other staff: active ones; a partner user: itself."""
    role = user_role(user)
    partners = Partner.objects.all()
    if can(user, "manage_partners"):
        return partners
    if can(user, "pick_partners"):
        return partners.filter(status=PartnerStatus.ACTIVE)
    if role == Role.PARTNER:
        mine = partner_for_user(user)
        return partners.filter(pk=mine.pk) if mine else partners.none()
    return partners.none()


def recruitment_criteria_get() -> RecruitmentCriteria:
    """The one row of screening criteria (created with the seed's defaults on first use)."""
    criteria, _created = RecruitmentCriteria.objects.get_or_create(singleton=True)
    return criteria


def application_list(*, user) -> QuerySet[PartnerApplication]:
    """Applications are the recruiters' (managers and supervisors); nobody else sees them."""
    applications = PartnerApplication.objects.select_related("reviewer", "partner")
    if can(user, "manage_partners"):
        return applications
    return applications.none()


# The pipeline board's columns and each column's order: the longest-waiting application
# first, the screened ones best score first, decisions newest first.
BOARD_COLUMNS = {
    ApplicationStatus.SUBMITTED: ("created_at", "id"),
    ApplicationStatus.SCREENING: ("-weighted_score", "created_at", "id"),
    ApplicationStatus.APPROVED: ("-decided_at", "-id"),
    ApplicationStatus.REJECTED: ("-decided_at", "-id"),
}


def application_board(*, applications: QuerySet[PartnerApplication], per_column: int = 50):
    """The pipeline board: per status, the column's total and its first `per_column` cards."""
    columns = []
    for status, order in BOARD_COLUMNS.items():
        in_column = applications.filter(status=status)
        columns.append(
            {
                "status": status.value,
                "label": status.label,
                "count": in_column.count(),
                "cards": list(in_column.order_by(*order)[:per_column]),
            }
        )
    return columns


def invite_by_token(token: str) -> PartnerInvite | None:
    """The invitation a link's token belongs to (tokens are stored only as hashes)."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    return PartnerInvite.objects.select_related("partner").filter(token_hash=digest).first()


def contract_list(*, user) -> QuerySet[PartnerContract]:
    """Managers and supervisors: all contracts; a partner user: its own, drafts excluded
    (a draft is the channel department's working copy until it is signed)."""
    role = user_role(user)
    contracts = PartnerContract.objects.select_related("partner")
    if can(user, "manage_partners"):
        return contracts
    if role == Role.PARTNER:
        mine = partner_for_user(user)
        if mine is None:
            return contracts.none()
        return contracts.filter(partner=mine).exclude(status=ContractStatus.DRAFT)
    return contracts.none()


def training_session_list(*, user) -> QuerySet[TrainingSession]:
    """Managers and supervisors: every session with every attendance row; a partner user:
    only sessions it is invited to, carrying only its own attendance row."""
    role = user_role(user)
    sessions = TrainingSession.objects.all()
    attendances = TrainingAttendance.objects.select_related("partner").order_by("partner__name")
    if can(user, "manage_partners"):
        return sessions.prefetch_related(Prefetch("attendances", queryset=attendances))
    if role == Role.PARTNER:
        mine = partner_for_user(user)
        if mine is None:
            return sessions.none()
        return sessions.filter(attendances__partner=mine).prefetch_related(
            Prefetch("attendances", queryset=attendances.filter(partner=mine))
        )
    return sessions.none()


# --- the office pages (managers and supervisors) ---------------------------------------------
def active_partner_list(*, user) -> QuerySet[Partner]:
    """The caller's partners that are active: who may be invited to a training."""
    return partner_list(user=user).filter(status=PartnerStatus.ACTIVE)


def contract_partner_choices(*, user) -> QuerySet[Partner]:
    """Partners a contract may be drafted with: every one of the caller's but the terminated."""
    return partner_list(user=user).exclude(status=PartnerStatus.TERMINATED)


def partner_overview(*, user, partner: Partner) -> dict:
    """One partner's page: its contracts, the trainings it was invited to, its portal logins
    and the invitations sent (each a bounded read of this partner's rows)."""
    trainings = (
        TrainingAttendance.objects.filter(partner=partner)
        .select_related("session")
        .order_by("-session__held_on", "-session_id")
    )
    return {
        "contracts": contract_list(user=user).filter(partner=partner).order_by("-start_on", "-pk"),
        "trainings": trainings,
        "members": partner.members.select_related("user").order_by("user__username"),
        "invites": partner.invites.select_related("user").order_by("-created_at")[:10],
        "application": PartnerApplication.objects.filter(partner=partner).first(),
    }


def training_session_rows(*, user) -> QuerySet[TrainingSession]:
    """The training list: the caller's sessions with how many partners were invited and came."""
    return (
        training_session_list(user=user)
        .prefetch_related(None)
        .annotate(
            invited_count=Count("attendances"),
            attended_count=Count("attendances", filter=Q(attendances__attended=True)),
        )
    )


def training_invitable_partners(*, user, session: TrainingSession) -> QuerySet[Partner]:
    """Active partners not yet invited to the session."""
    invited = TrainingAttendance.objects.filter(session=session).values("partner_id")
    return active_partner_list(user=user).exclude(pk__in=invited).order_by("name", "pk")


def partner_user_list(*, partner: Partner | None):
    """The active portal logins of a partner (who hears of its customers), none for None."""
    from django.contrib.auth import get_user_model

    if partner is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(partner_member__partner=partner, is_active=True)

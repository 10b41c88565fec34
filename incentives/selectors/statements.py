"""Statements and promotion eligibility a user may see (row-level scoping lives here)."""

from django.db.models import QuerySet

from common.access import can
from common.roles import Role, user_role
from incentives.choices import StatementStatus
from incentives.models import PromotionEligibility, Statement
from partners.selectors import partner_for_user
from sales.models import Team
from sales.selectors import staff_for_user


def statement_list(*, user) -> QuerySet[Statement]:
    """Statements a user may see: managers all, supervisors their teams', marketers their own."""
    statements = (
        Statement.objects.filter(staff__isnull=False)
        .select_related("staff", "plan")
        .prefetch_related("lines")
    )
    role = user_role(user)
    if can(user, "see_whole_company"):
        return statements
    me = staff_for_user(user)
    if me is None:
        return statements.none()
    if role == Role.SUPERVISOR:
        return statements.filter(staff__team__supervisor=me)
    if role == Role.MARKETER:
        return statements.filter(staff=me)
    return statements.none()


def promotion_list(*, user) -> QuerySet[PromotionEligibility]:
    """Marketers eligible for the promotion exam, scoped as statements are: managers all,
    supervisors their teams', marketers their own; nobody else."""
    promotions = PromotionEligibility.objects.select_related("staff__team").order_by(
        "-period", "staff__name", "pk"
    )
    role = user_role(user)
    if can(user, "see_whole_company"):
        return promotions
    me = staff_for_user(user)
    if me is None:
        return promotions.none()
    if role == Role.SUPERVISOR:
        return promotions.filter(staff__team__supervisor=me)
    if role == Role.MARKETER:
        return promotions.filter(staff=me)
    return promotions.none()


def statement_page_list(*, user) -> QuerySet[Statement]:
    """statement_list with each person's team: the statement pages and payroll exports."""
    return statement_list(user=user).select_related("staff__team")


def statement_filter_teams(*, user) -> QuerySet[Team]:
    """Teams a user may filter statements by: managers all, supervisors the teams they run."""
    teams = Team.objects.select_related("project").order_by("project__name", "name")
    role = user_role(user)
    if can(user, "see_whole_company"):
        return teams
    me = staff_for_user(user)
    if role == Role.SUPERVISOR and me is not None:
        return teams.filter(supervisor=me)
    return teams.none()


def partner_statement_list(*, user) -> QuerySet[Statement]:
    """Partners' statements: managers and supervisors all; a partner user its own approved
    or paid ones (drafts are internal until approved)."""
    statements = (
        Statement.objects.filter(partner__isnull=False)
        .select_related("partner")
        .prefetch_related("lines")
    )
    role = user_role(user)
    if can(user, "see_all_partner_statements"):
        return statements
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        if partner is None:
            return statements.none()
        return statements.filter(
            partner=partner, status__in=(StatementStatus.APPROVED, StatementStatus.PAID)
        )
    return statements.none()

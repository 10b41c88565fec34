"""Statements and promotion eligibility a user may see (row-level scoping lives here)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from common.access import can
from common.money import format_money
from common.roles import Role, user_role
from incentives.choices import StatementStatus
from incentives.models import PromotionEligibility, Statement
from partners.selectors import partner_for_user
from sales.models import Project, Team
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
    """statement_list with each person's team and its project: the statement pages and
    payroll exports (which name both)."""
    return statement_list(user=user).select_related("staff__team__project")


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


def statement_approval_list(*, user) -> QuerySet[Statement]:
    """The approvals page's rows: statement_page_list with each person's team's project."""
    return statement_page_list(user=user).select_related("staff__team__project")


def statement_filter_projects(*, user) -> QuerySet[Project]:
    """Projects a user may filter statements by: those of the teams they may filter by."""
    teams = statement_filter_teams(user=user)
    return Project.objects.filter(pk__in=teams.values("project")).order_by("name", "pk")


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    count: int
    total_amount: Decimal

    @property
    def total_shown(self) -> str:
        return format_money(self.total_amount)


@dataclass(frozen=True)
class StatementTotals:
    """How many statements a selection holds and what they add up to, overall and by status."""

    count: int
    total_amount: Decimal
    by_status: tuple[StatusTotal, ...]

    @property
    def total_shown(self) -> str:
        return format_money(self.total_amount)

    def of(self, status: str) -> StatusTotal:
        return next(row for row in self.by_status if row.status == status)


def statement_totals(*, statements: QuerySet[Statement]) -> StatementTotals:
    """Count and sum of totals of `statements` (already scoped and filtered), overall and per
    status, in one query."""
    aggregates = {"count": Count("pk"), "total": Sum("total_amount")}
    for status in StatementStatus:
        aggregates[f"{status}_count"] = Count("pk", filter=Q(status=status))
        aggregates[f"{status}_total"] = Sum("total_amount", filter=Q(status=status))
    row = statements.order_by().aggregate(**aggregates)
    zero = Decimal("0.00")
    return StatementTotals(
        count=row["count"],
        total_amount=row["total"] or zero,
        by_status=tuple(
            StatusTotal(
                status=status.value,
                label=str(status.label),
                count=row[f"{status}_count"],
                total_amount=row[f"{status}_total"] or zero,
            )
            for status in StatementStatus
        ),
    )


def partner_approval_list(*, user) -> QuerySet[Statement]:
    """The approvals page's partner rows: every partner's statements (drafts included) for
    whoever sees all of them; nobody else's."""
    if not can(user, "see_all_partner_statements"):
        return Statement.objects.none()
    return partner_statement_list(user=user)


def statement_office_get(*, user, pk: int) -> Statement | None:
    """One statement for the office's detail page: a marketer's within statement_page_list,
    or a partner's for whoever sees all partners' statements (None otherwise)."""
    statement = statement_page_list(user=user).filter(pk=pk).first()
    if statement is None:
        statement = partner_approval_list(user=user).filter(pk=pk).first()
    return statement


@dataclass(frozen=True)
class OwnerTotals:
    """A month's statements by whose they are: what the compute's summary counts together."""

    marketers_count: int
    marketers_amount: Decimal
    partners_count: int
    partners_amount: Decimal

    @property
    def count(self) -> int:
        return self.marketers_count + self.partners_count

    @property
    def total_amount(self) -> Decimal:
        return self.marketers_amount + self.partners_amount


def statement_owner_totals(*, user, period: str) -> OwnerTotals:
    """Count and sum of a month's statements the user may approve, marketers' and partners'
    apart (two aggregate queries)."""
    zero = Decimal("0.00")
    sums = {"count": Count("pk"), "total": Sum("total_amount")}
    marketers = statement_list(user=user).filter(period=period).order_by().aggregate(**sums)
    partners = partner_approval_list(user=user).filter(period=period).order_by().aggregate(**sums)
    return OwnerTotals(
        marketers_count=marketers["count"],
        marketers_amount=marketers["total"] or zero,
        partners_count=partners["count"],
        partners_amount=partners["total"] or zero,
    )


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

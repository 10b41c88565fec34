"""Campaigns (渠道营销活动): which a user sees and which a registration or a visit may name."""

from django.db.models import QuerySet

from common.access import can
from partners.selectors import partner_for_user
from sales.choices import CampaignStatus
from sales.models import Campaign, Project, Team
from sales.selectors.org import staff_for_user


def campaign_project_scope(*, user) -> QuerySet[Project] | None:
    """The projects whose campaigns a user runs: None for a manager (every one), a
    supervisor's teams' projects, nothing for anyone else."""
    if can(user, "see_all_campaigns"):
        return None
    if not can(user, "manage_campaigns"):
        return Project.objects.none()
    me = staff_for_user(user)
    if me is None:
        return Project.objects.none()
    return Project.objects.filter(pk__in=Team.objects.filter(supervisor=me).values("project"))


def campaign_project_choices(*, user) -> QuerySet[Project]:
    """The projects a user's campaigns may name and be filtered by (campaign_project_scope)."""
    if user is None:
        return Project.objects.none()
    scope = campaign_project_scope(user=user)
    return (Project.objects.all() if scope is None else scope).order_by("name", "pk")


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns a user reads: a manager all, a supervisor those at any of their teams'
    projects, anyone else (partners included) none."""
    campaigns = Campaign.objects.prefetch_related("projects", "partners")
    scope = campaign_project_scope(user=user)
    if scope is None:
        return campaigns
    return campaigns.filter(projects__in=scope).distinct()


def campaign_choice_list(*, user) -> QuerySet[Campaign]:
    """Campaigns a registration or a visit may name: those not closed — for a partner user
    only those its partner takes part in."""
    campaigns = Campaign.objects.exclude(status=CampaignStatus.CLOSED).order_by("name", "pk")
    if can(user, "use_partner_portal"):
        partner = partner_for_user(user)
        return campaigns.filter(partners=partner) if partner else campaigns.none()
    return campaigns

"""Campaigns (渠道营销活动 / 促销活动): planned → running → closed. The effect a closed
campaign keeps is computed above sales (its spend is channel costs, in incentives) and handed
to ``campaign_close`` to store."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import can
from partners.choices import PartnerStatus
from sales.choices import CampaignKind, CampaignStatus
from sales.models import Campaign
from sales.selectors.campaigns import campaign_project_scope

MAX_BUDGET = Decimal("999999999999.99")


def _check_scope(*, actor, projects) -> None:
    if not can(actor, "manage_campaigns"):
        raise PermissionDenied
    scope = campaign_project_scope(user=actor)
    if scope is not None and {p.pk for p in projects} - set(scope.values_list("pk", flat=True)):
        raise ValidationError({"projects": _("Choose only the projects of the teams you run.")})


def _check_fields(*, name, kind, projects, partners, starts_on, ends_on, budget_amount) -> None:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Give the campaign a name.")
    if kind not in CampaignKind.values:
        errors["kind"] = _("Choose one of the listed kinds.")
    if not projects:
        errors["projects"] = _("Choose at least one project.")
    if any(partner.status != PartnerStatus.ACTIVE for partner in partners):
        errors["partners"] = _("Choose active partners only.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    if budget_amount is None or not (0 <= budget_amount <= MAX_BUDGET):
        errors["budget_amount"] = _("The budget is 0 or more.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    kind: str,
    projects: list,
    starts_on: date,
    ends_on: date,
    partners: list | None = None,
    budget_amount: Decimal = Decimal("0"),
    target_visits: int = 0,
    target_signings: int = 0,
) -> Campaign:
    """Plan a campaign at projects the actor runs (a manager: any)."""
    partners = list(partners or [])
    _check_scope(actor=actor, projects=projects)
    _check_fields(
        name=name,
        kind=kind,
        projects=projects,
        partners=partners,
        starts_on=starts_on,
        ends_on=ends_on,
        budget_amount=budget_amount,
    )
    campaign = Campaign.objects.create(
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        budget_amount=budget_amount,
        target_visits=target_visits,
        target_signings=target_signings,
        created_by=actor,
    )
    campaign.projects.set(projects)
    campaign.partners.set(partners)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **changes) -> Campaign:
    """Change a campaign that has not closed (a closed one's effect is final)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError({"status": _("A closed campaign cannot change.")})
    projects = list(changes.pop("projects", campaign.projects.all()))
    partners = list(changes.pop("partners", campaign.partners.all()))
    _check_scope(actor=actor, projects=[*campaign.projects.all(), *projects])
    values = {
        field: changes.get(field, getattr(campaign, field))
        for field in ("name", "kind", "starts_on", "ends_on", "budget_amount")
    }
    _check_fields(projects=projects, partners=partners, **values)
    for field in ("target_visits", "target_signings"):
        values[field] = changes.get(field, getattr(campaign, field))
    values["name"] = values["name"].strip()
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.save()
    campaign.projects.set(projects)
    campaign.partners.set(partners)
    return campaign


def _move(*, actor, campaign: Campaign, to: str, allowed_from: str) -> Campaign:
    _check_scope(actor=actor, projects=list(campaign.projects.all()))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == to:
        return campaign  # idempotent: starting a running campaign changes nothing
    if campaign.status != allowed_from:
        raise ValidationError(
            {
                "status": _("A %(status)s campaign cannot become %(to)s.")
                % {"status": campaign.get_status_display(), "to": CampaignStatus(to).label}
            }
        )
    campaign.status = to
    return campaign


@transaction.atomic
def campaign_start(*, actor, campaign: Campaign) -> Campaign:
    """A planned campaign starts running: its effect is counted live."""
    campaign = _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.RUNNING,
        allowed_from=CampaignStatus.PLANNED,
    )
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, effect: dict) -> Campaign:
    """A running campaign closes with its effect as it stands (``effect``, JSON-ready): from
    then on the stored snapshot is its effect, whatever is logged later."""
    campaign = _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.CLOSED,
        allowed_from=CampaignStatus.RUNNING,
    )
    if campaign.effect_snapshot is None:
        campaign.effect_snapshot = effect
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "effect_snapshot", "closed_at"])
    return campaign


@transaction.atomic
def campaign_delete(*, actor, campaign: Campaign) -> None:
    """Delete a campaign planned by mistake: only while planned and nothing names it yet (a
    registration, a visit or a channel cost); otherwise close it instead."""
    _check_scope(actor=actor, projects=list(campaign.projects.all()))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    named = campaign.registrations.exists() or campaign.visits.exists() or campaign.costs.exists()
    if campaign.status != CampaignStatus.PLANNED or named:
        raise ValidationError(
            {"status": _("Only a planned campaign that nothing names yet can be deleted.")}
        )
    campaign.delete()

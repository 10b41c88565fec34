"""客户来源: the source (and campaign) of a registration or a visit — defaulted from who
brought the customer, checked against the campaign, corrected by the sales office."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.access import can
from sales.choices import CampaignStatus, CustomerSource
from sales.models import Campaign, Project, Registration, Visit


def source_default(*, marketer, partner, campaign: Campaign | None) -> str:
    """A campaign named → campaign; else a partner's → partner, a marketer's → marketer
    outreach (行销拓客), neither (a walk-in) → walk_in."""
    if campaign is not None:
        return CustomerSource.CAMPAIGN
    if partner is not None:
        return CustomerSource.PARTNER
    if marketer is not None:
        return CustomerSource.MARKETER_OUTREACH
    return CustomerSource.WALK_IN


def source_check(
    *, project: Project, source: str | None, campaign: Campaign | None, marketer, partner
) -> str:
    """The source to store (the default when none is given), refused when it contradicts
    the row: a walk-in is nobody's, a partner source needs the partner, a campaign source
    names a campaign, and a campaign named is one of the project's that has not closed."""
    source = source or source_default(marketer=marketer, partner=partner, campaign=campaign)
    errors: dict[str, str] = {}
    if source not in CustomerSource.values:
        errors["source"] = _("Choose one of the listed sources.")
    elif source == CustomerSource.WALK_IN and (marketer is not None or partner is not None):
        errors["source"] = _("A walk-in is brought by no marketer and no partner.")
    elif source == CustomerSource.PARTNER and partner is None:
        errors["source"] = _("The partner source needs the partner who brought the customer.")
    elif source == CustomerSource.CAMPAIGN and campaign is None:
        errors["campaign"] = _("Name the campaign the customer came from.")
    if campaign is not None:
        # As it stands now (locked: a close waits for this row, or this row sees it closed).
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:
            errors["campaign"] = _("This campaign is closed.")
        elif not campaign.projects.filter(pk=project.pk).exists():
            errors["campaign"] = _("This campaign does not run at %(project)s.") % {
                "project": project.name
            }
    if errors:
        raise ValidationError(errors)
    return source


def _source_set(*, actor, row, source: str | None, campaign: Campaign | None):
    if not can(actor, "edit_sources"):
        raise ValidationError({"source": _("Only the sales office can change a source.")})
    marketer, partner = (
        (row.brought_marketer, row.brought_partner)
        if isinstance(row, Visit)
        else (row.marketer, row.partner)
    )
    row.source = source_check(
        project=row.project, source=source, campaign=campaign, marketer=marketer, partner=partner
    )
    row.campaign = campaign
    row.save(update_fields=["source", "campaign"])
    return row


@transaction.atomic
def registration_source_set(
    *, actor, registration: Registration, source: str | None, campaign: Campaign | None = None
) -> Registration:
    """The office corrects where a registered customer came from (and from which campaign)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    return _source_set(actor=actor, row=registration, source=source, campaign=campaign)


@transaction.atomic
def visit_source_set(
    *, actor, visit: Visit, source: str | None, campaign: Campaign | None = None
) -> Visit:
    """The office corrects where a visiting customer came from (and from which campaign)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    return _source_set(actor=actor, row=visit, source=source, campaign=campaign)

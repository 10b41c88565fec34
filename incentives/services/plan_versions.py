"""Editing a plan from its page: a later month is a new version, the same month a change in
place (which plan_update may refuse), with the plan's commission rates."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.access import can
from incentives.choices import CommissionMode
from incentives.models import CommissionRate, IncentivePlan
from incentives.services.plans import plan_create, plan_update


def plan_rates_check(*, rates: Iterable[Mapping]) -> None:
    """A percent of the amount is at most 100, and each project (or the plan-wide default)
    has one rate per property type."""
    errors: list[str] = []
    seen = set()
    for rate in rates:
        if rate["mode"] == CommissionMode.PERCENT and rate["value"] > 100:
            errors.append(_("A percent of the amount (0.5 = 0.5%) cannot be more than 100."))
        key = (rate.get("project"), rate["property_type"])
        if key in seen:
            errors.append(_("This property type already has a rate for the same project."))
        seen.add(key)
    if errors:
        raise ValidationError({"commission_rates": errors})


def _rates_replace(*, plan: IncentivePlan, rates: list[Mapping]) -> None:
    plan.commission_rates.all().delete()
    CommissionRate.objects.bulk_create(
        CommissionRate(
            plan=plan,
            project=rate.get("project"),
            property_type=rate["property_type"],
            mode=rate["mode"],
            value=rate["value"],
        )
        for rate in rates
    )


@transaction.atomic
def plan_version_save(
    *, actor, plan: IncentivePlan, projects: Iterable, rates: Iterable[Mapping], **values
) -> IncentivePlan:
    """A plan edited from a later month is a new version (the earlier one stays as it was);
    from its own month the plan changes in place, as plan_update allows; never earlier."""
    if not can(actor, "configure_plans"):
        raise PermissionDenied(_("Only a channel manager can change a plan."))
    rates = list(rates)
    plan_rates_check(rates=rates)
    starts = values["effective_from"]
    if starts < plan.effective_from:
        raise ValidationError(
            {"effective_from": [_("A new version starts after the version it changes.")]}
        )
    if starts == plan.effective_from:
        saved = plan_update(plan=plan, projects=projects, **values)
    else:
        saved = plan_create(projects=projects, **values)
    _rates_replace(plan=saved, rates=rates)
    return saved

"""A manager's override of a customer's attribution (also how an upheld appeal moves it): the
one audited path that moves a customer from one channel to another.

The customer moves whole: the override pins its owner, the displaced channels' running
registrations end as overridden (attributed elsewhere — no deal, so not 他人成交;
never deleted), its visits'
credit (pending and confirmed), standing subscriptions and signings go to the new owner,
and the protection shown after is the new owner's. The audit's before names the holder as
every page saw it — a channel holding the customer only through its registration too.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from common.access import can
from common.periods import local_date, local_today
from partners.models import Partner
from sales.choices import RegistrationStatus, SigningStatus, SubscriptionStatus, VisitStatus
from sales.models import AttributionOverride, Customer, Staff
from sales.selectors.customer_list import customer_holder
from sales.selectors.customers import OFFICE_KEY, PROTECTING, Channel, channel_for_actor


def _deal_lock(customer: Customer) -> date | None:
    """The deal protection (成交保护) a channel's visit gives: from the customer's last confirmed
    one (a walk-in gives the office's protection, which is no channel's to inherit)."""
    brought = Q(brought_marketer__isnull=False) | Q(brought_partner__isnull=False)
    last = (
        customer.visits.filter(brought, status=VisitStatus.CONFIRMED)
        .order_by("-visited_at")
        .first()
    )
    if last is None:
        return None
    return local_date(last.visited_at) + timedelta(days=customer.project.deal_protection_days)


def _credit_move(*, customer: Customer, channel: Channel) -> None:
    """Visits a channel brought (not walk-ins, which earn nobody anything), standing
    subscriptions and signings credit the new owner."""
    credit = {"marketer": channel.marketer, "partner": channel.partner}
    brought = Q(brought_marketer__isnull=False) | Q(brought_partner__isnull=False)
    customer.visits.filter(brought).exclude(status=VisitStatus.REJECTED).update(**credit)
    customer.subscriptions.exclude(status=SubscriptionStatus.CANCELLED).update(**credit)


@transaction.atomic
def customer_attribution_override(
    *,
    actor,
    customer: Customer,
    marketer: Staff | None = None,
    partner: Partner | None = None,
    reason: str,
    locked_until: date | None = None,
) -> AttributionOverride:
    """A manager re-attributes a customer with all it carries (see the module); audited
    before/after."""
    if not can(actor, "override_attribution"):
        raise ValidationError({"non_field_errors": _("Only a channel manager can override.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the attribution changes.")})
    channel = channel_for_actor(actor=actor, marketer=marketer, partner=partner)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    today = local_today()
    holder = customer_holder(customer_id=customer.pk, today=today)
    signings = list(customer.signings.filter(status=SigningStatus.SIGNED))
    displaced = (
        customer.registrations.filter(status__in=PROTECTING)
        .filter(Q(protected_until__isnull=True) | Q(protected_until__gte=today))
        .exclude(marketer=channel.marketer, partner=channel.partner)
    )
    ended = sorted(displaced.values_list("pk", flat=True))
    before = _attribution_snapshot(customer=customer, signings=signings, owner=_held_by(holder))
    before["registrations_ended"] = ended
    displaced.update(status=RegistrationStatus.OVERRIDDEN)
    customer.owner_marketer, customer.owner_partner = channel.marketer, channel.partner
    # The office's walk-in protection is no channel's to inherit.
    kept_lock = None if customer.owner_office else customer.owner_locked_until
    customer.owner_office = False
    customer.owner_locked_until = locked_until or kept_lock or _deal_lock(customer)
    customer.owner_overridden = True
    customer.save()
    for signing in signings:
        signing.marketer, signing.partner = channel.marketer, channel.partner
        signing.save(update_fields=["marketer", "partner"])
    _credit_move(customer=customer, channel=channel)
    owner = (
        channel.marketer and channel.marketer.pk,
        channel.partner and channel.partner.pk,
        False,
    )
    after = _attribution_snapshot(customer=customer, signings=signings, owner=owner)
    return AttributionOverride.objects.create(
        customer=customer, actor=actor, reason=reason.strip(), before=before, after=after
    )


def _attribution_snapshot(*, customer: Customer, signings, owner: tuple) -> dict:
    """The attribution as an audit keeps it; ``owner`` is (marketer id, partner id, office)."""
    marketer, partner, office = owner
    return {
        "marketer": marketer,
        "partner": partner,
        "office": office,
        "locked_until": customer.owner_locked_until.isoformat()
        if customer.owner_locked_until
        else None,
        "signings": {
            str(s.pk): {"marketer": s.marketer_id, "partner": s.partner_id} for s in signings
        },
    }


def _held_by(holder) -> tuple:
    """The owner as the pages saw it (a registrant the stored owner fields do not name too)."""
    if holder is None:
        return (None, None, False)
    if holder.key == OFFICE_KEY:
        return (None, None, True)
    return (*holder.key, False)

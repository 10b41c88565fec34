"""Customers, registration protection (报备/撞单) and attribution.

Attribution is derived, not accumulated: `customer_refresh` replays a customer's confirmed
visits in time order against its registrations, so visits entered out of order or rejected
later leave the same result as if everything had been entered in order. A manager's override
pins the attribution; replay then leaves the owner alone.

A walk-in (自然到访: a visit with neither marketer nor partner) earns nobody anything: it is
never credited. When no protection runs on its day it makes the customer the sales office's
for the project's `walkin_protection_days` (owner_office, with owner_locked_until as the end);
meanwhile channel registrations are refused, channel visits credit nobody, and once it ends
the customer is free again (a registration, or a channel's visit, takes it). A walk-in inside
a running registration is still a visit inside that protection: the registrant gets the deal
protection, as SPEC says of any visit. Channel visits are attributed exactly as before.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import can
from common.periods import local_date
from common.pinyin import name_initials
from partners.models import Partner
from sales.choices import (
    CUSTOMER_STATUS_ORDER,
    AttributionMode,
    CustomerStatus,
    RegistrationStatus,
    VisitStatus,
)
from sales.models import (
    Campaign,
    Customer,
    Project,
    Registration,
    Staff,
    Visit,
)
from sales.selectors.customers import (
    OFFICE,
    PROTECTING,
    Channel,
    channel_for_actor,
    customer_find,
    owner_of,
    phone_as_stored,
    project_phone,
)
from sales.services.sources import source_check

# The code of a refusal because someone else holds the customer (撞单): the channel may appeal.
CLAIMED = "claimed"


def customer_get_or_create(*, project: Project, name: str, full: str, key: str) -> Customer:
    """Find the project's customer for this phone, or add one (with the pinyin initials of the
    name, for search); fills in a full number learnt."""
    customer = customer_find(project=project, full=full, key=key)
    if customer is None:
        name = name.strip()
        return Customer.objects.create(
            project=project,
            name=name,
            name_initials=name_initials(name),
            phone=full,
            phone_key=key,
        )
    if full and not customer.phone:
        customer.phone = full
        customer.save(update_fields=["phone"])
    return customer


def customer_status_advance(*, customer: Customer, status: str) -> None:
    """Move a customer forward along the funnel (never backwards)."""
    if CUSTOMER_STATUS_ORDER[status] > CUSTOMER_STATUS_ORDER[customer.status]:
        customer.status = status
        customer.save(update_fields=["status"])


def _conflict_message(*, actor, holder: Channel, until: date, deal: bool) -> str:
    reason = (
        _("This customer has visited and is under deal protection until %(until)s (撞单).")
        if deal
        else _("This customer is already registered and protected until %(until)s (撞单).")
    ) % {"until": until.isoformat()}
    if can(actor, "see_other_channel") and holder.label():
        reason += " " + _("Held by %(holder)s.") % {"holder": holder.label()}
    return reason


def _walk_in_message(*, actor, customer: Customer, until: date) -> str:
    """The customer is the sales office's: a partner learns that and until when, nothing more;
    staff also read when the customer walked in."""
    reason = _(
        "This customer is already known to the sales office (自然到访) and protected until "
        "%(until)s."
    ) % {"until": until.isoformat()}
    if can(actor, "see_other_channel"):
        walk_in = (
            customer.visits.filter(
                status=VisitStatus.CONFIRMED,
                brought_marketer__isnull=True,
                brought_partner__isnull=True,
            )
            .order_by("-visited_at")
            .first()
        )
        if walk_in is not None:
            reason += " " + _("Walked in on %(day)s.") % {
                "day": local_date(walk_in.visited_at).isoformat()
            }
    return reason


def _claim_check(*, actor, customer: Customer, channel: Channel, today: date) -> None:
    """Refuse a registration while someone's protection on the customer runs: a registration,
    a channel's deal protection, or the sales office's walk-in protection."""
    lock = customer.owner_locked_until
    if lock and lock >= today and customer.owner_office:
        raise ValidationError(
            {
                "customer_phone": ValidationError(
                    _walk_in_message(actor=actor, customer=customer, until=lock), code=CLAIMED
                )
            }
        )
    if lock and lock >= today and owner_of(customer).key != channel.key:
        raise ValidationError(
            {
                "customer_phone": ValidationError(
                    _conflict_message(
                        actor=actor, holder=owner_of(customer), until=lock, deal=True
                    ),
                    code=CLAIMED,
                )
            }
        )
    running = (
        customer.registrations.filter(status__in=PROTECTING, protected_until__gte=today)
        .select_related("marketer", "partner")
        .order_by("protected_until")
    )
    for registration in running:
        holder = Channel(marketer=registration.marketer, partner=registration.partner)
        if holder.key == channel.key:
            raise ValidationError(
                {
                    "customer_phone": _(
                        "You already registered this customer; protection runs until %(until)s."
                    )
                    % {"until": registration.protected_until.isoformat()}
                }
            )
        raise ValidationError(
            {
                "customer_phone": ValidationError(
                    _conflict_message(
                        actor=actor, holder=holder, until=registration.protected_until, deal=False
                    ),
                    code=CLAIMED,
                )
            }
        )


@transaction.atomic
def registration_create(
    *,
    actor,
    project: Project,
    customer_name: str,
    customer_phone: str,
    marketer: Staff | None = None,
    partner: Partner | None = None,
    registered_at: datetime | None = None,
    source: str | None = None,
    campaign: Campaign | None = None,
) -> Registration:
    """报备: claim a customer for protection_days; refused (撞单) while another claim runs.
    The source defaults from the channel (or the campaign named), see ``source_check``."""
    channel = channel_for_actor(actor=actor, marketer=marketer, partner=partner)
    # One claim at a time per project: the row lock makes check-then-insert safe.
    project = Project.objects.select_for_update().get(pk=project.pk)
    full, key = project_phone(project=project, phone=customer_phone)
    registered_at = registered_at or timezone.now()
    today = local_date(registered_at)
    source = source_check(
        project=project,
        source=source,
        campaign=campaign,
        marketer=channel.marketer,
        partner=channel.partner,
    )
    customer = customer_find(project=project, full=full, key=key)
    if customer is not None:
        _claim_check(actor=actor, customer=customer, channel=channel, today=today)
    customer = customer or customer_get_or_create(
        project=project, name=customer_name, full=full, key=key
    )
    protects = project.attribution_mode == AttributionMode.REGISTRATION
    return Registration.objects.create(
        project=project,
        customer=customer,
        marketer=channel.marketer,
        partner=channel.partner,
        customer_name=customer_name.strip(),
        customer_phone=phone_as_stored(full=full, key=key),
        registered_at=registered_at,
        protected_until=today + timedelta(days=project.protection_days - 1) if protects else None,
        source=source,
        campaign=campaign,
        created_by=actor,
    )


def registrations_expire(*, today: date) -> int:
    """Daily: registrations whose protection ended (and never led to a visit) expire."""
    return Registration.objects.filter(
        status=RegistrationStatus.ACTIVE, protected_until__lt=today
    ).update(status=RegistrationStatus.EXPIRED)


def _visit_attribution(
    *,
    visit: Visit,
    project: Project,
    owner: Channel,
    lock: date | None,
    registrations: list[Registration],
) -> tuple[Channel, date | None, Registration | None]:
    """Attribute one confirmed visit; returns (owner after it, lock after it, registration hit).

    A running protection (a channel's deal protection, the office's walk-in protection) keeps
    its owner whoever comes. Otherwise a visit inside a running registration locks the deal to
    the registrant (whoever brought the group, a walk-in too), a walk-in makes the customer the
    sales office's for the walk-in protection, and a channel's visit goes to the owner a
    channel already is (sticky) or to whoever brought it — an office whose walk-in protection
    ended holds nothing any more.
    """
    day = local_date(visit.visited_at)
    brought = Channel(marketer=visit.brought_marketer, partner=visit.brought_partner)
    if lock and lock >= day and not owner.is_nobody:
        return owner, lock, None
    walk_in_lock = day + timedelta(days=project.walkin_protection_days)
    if project.attribution_mode == AttributionMode.FIRST_VISIT:
        if brought.is_nobody:
            return OFFICE, walk_in_lock, None
        return brought, day + timedelta(days=project.deal_protection_days), None
    hit = next(
        (
            r
            for r in registrations
            if local_date(r.registered_at) <= day
            and r.protected_until is not None
            and r.protected_until >= day
            and r.status != RegistrationStatus.WITHDRAWN
        ),
        None,
    )
    if hit is not None:
        holder = Channel(marketer=hit.marketer, partner=hit.partner)
        return holder, day + timedelta(days=project.deal_protection_days), hit
    if brought.is_nobody:
        return OFFICE, walk_in_lock, None
    if owner.is_channel:
        return owner, lock, None
    return brought, None, None


def _visit_credit(*, visit: Visit, owner: Channel) -> Channel:
    """Who a confirmed visit is credited to: nobody for a walk-in or while the customer is the
    sales office's; else the owner channel (attribution), else whoever brought it."""
    if visit.brought_marketer_id is None and visit.brought_partner_id is None:
        return Channel()
    if owner.office:
        return Channel()
    if owner.is_channel:
        return owner
    return Channel(marketer=visit.brought_marketer, partner=visit.brought_partner)


def _visit_validity(*, visits: list[Visit], window_days: int) -> dict[int, bool]:
    """A confirmed visit is valid unless it falls inside the window after the last valid one."""
    valid: dict[int, bool] = {}
    anchor: date | None = None
    for visit in visits:
        day = local_date(visit.visited_at)
        is_valid = anchor is None or (day - anchor).days >= window_days
        if is_valid:
            anchor = day
        valid[visit.pk] = is_valid
    return valid


def customer_refresh(*, customer: Customer) -> None:
    """Replay a customer's confirmed visits: validity, credit and attribution, from scratch."""
    project = customer.project
    visits = list(
        customer.visits.filter(status=VisitStatus.CONFIRMED)
        .select_related("brought_marketer", "brought_partner")
        .order_by("visited_at", "id")
    )
    registrations = list(
        customer.registrations.select_related("marketer", "partner").order_by("registered_at", "id")
    )
    validity = _visit_validity(visits=visits, window_days=project.revisit_window_days)
    owner = owner_of(customer) if customer.owner_overridden else Channel()
    lock = customer.owner_locked_until if customer.owner_overridden else None
    visited_registrations: set[int] = set()
    changed: list[Visit] = []
    for visit in visits:
        owner, lock, hit = _visit_attribution(
            visit=visit, project=project, owner=owner, lock=lock, registrations=registrations
        )
        if customer.owner_overridden:  # a manager's choice: no registration takes it back
            owner, lock = owner_of(customer), customer.owner_locked_until
        if hit is not None:
            visited_registrations.add(hit.pk)
        credit = _visit_credit(visit=visit, owner=owner)
        new = (validity[visit.pk], credit.marketer, credit.partner, hit.pk if hit else None)
        if (visit.is_valid, visit.marketer, visit.partner, visit.registration_id) != new:
            visit.is_valid, visit.marketer, visit.partner, visit.registration_id = new
            changed.append(visit)
    Visit.objects.filter(customer=customer).exclude(status=VisitStatus.CONFIRMED).filter(
        is_valid=True
    ).update(is_valid=False)
    if changed:
        Visit.objects.bulk_update(changed, ["is_valid", "marketer", "partner", "registration"])
    _registrations_mark_visited(registrations=registrations, visited=visited_registrations)
    if not customer.owner_overridden:
        customer.owner_marketer, customer.owner_partner = owner.marketer, owner.partner
        customer.owner_office = owner.office
        customer.owner_locked_until = lock
        customer.save(
            update_fields=["owner_marketer", "owner_partner", "owner_office", "owner_locked_until"]
        )
    if visits:
        customer_status_advance(customer=customer, status=CustomerStatus.VISITED)


def _registrations_mark_visited(*, registrations: list[Registration], visited: set[int]) -> None:
    for registration in registrations:
        if registration.status not in PROTECTING:
            continue
        status = (
            RegistrationStatus.VISITED
            if registration.pk in visited
            else (RegistrationStatus.ACTIVE)
        )
        if registration.status != status:
            registration.status = status
            registration.save(update_fields=["status"])

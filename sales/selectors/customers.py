"""Reads about customers: who owns one, which channel an actor acts for, a phone as a project
keeps it, finding a customer by phone, and what the office should know about a phone."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from common.access import can
from common.periods import day_bounds, local_date
from common.phones import parse_customer_phone
from common.roles import Role, user_role
from partners.choices import PartnerStatus
from partners.models import Partner
from partners.selectors import partner_for_user
from sales.choices import PhoneMode, RegistrationStatus, VisitStatus
from sales.models import Customer, Project, Staff
from sales.selectors.facts import valid_visit_q
from sales.selectors.org import staff_for_user

# Registration states that still protect a customer (报备 not yet expired or withdrawn).
PROTECTING = (RegistrationStatus.ACTIVE, RegistrationStatus.VISITED)


# Channel.key of the sales office as a customer's owner (a walk-in): no channel's key.
OFFICE_KEY = ("office", None)
NOBODY_KEY = (None, None)


@dataclass(frozen=True)
class Channel:
    """Who a customer or a deal belongs to: one marketer or one partner — or, as a customer's
    owner after a walk-in (自然到访), the sales office, which is nobody's deal."""

    marketer: Staff | None = None
    partner: Partner | None = None
    office: bool = False

    @property
    def key(self) -> tuple[int | str | None, int | None]:
        if self.office:
            return OFFICE_KEY
        return (
            self.marketer.pk if self.marketer else None,
            self.partner.pk if self.partner else None,
        )

    @property
    def is_channel(self) -> bool:
        """A marketer or a partner (someone a deal can be credited to)."""
        return bool(self.marketer or self.partner)

    @property
    def is_nobody(self) -> bool:
        return self.key == NOBODY_KEY

    def label(self) -> str:
        if self.office:
            return _("the sales office (walk-in)")
        return self.marketer.name if self.marketer else (self.partner.name if self.partner else "")


OFFICE = Channel(office=True)


def owner_of(customer: Customer) -> Channel:
    if customer.owner_office:
        return OFFICE
    return Channel(marketer=customer.owner_marketer, partner=customer.owner_partner)


def visit_channel_for_actor(*, actor, marketer: Staff | None, partner: Partner | None) -> Channel:
    """Who brought a visit: as `channel_for_actor`, except that the sales office may name
    neither — a walk-in (自然到访), credited to nobody."""
    if marketer is None and partner is None and can(actor, "log_walk_ins"):
        return Channel()
    return channel_for_actor(actor=actor, marketer=marketer, partner=partner)


def channel_for_actor(*, actor, marketer: Staff | None, partner: Partner | None) -> Channel:
    """A partner user always acts for its partner, a marketer for themselves; office roles
    name exactly one active marketer or partner."""
    role = user_role(actor)
    if can(actor, "credit_self"):
        channel = (
            Channel(partner=partner_for_user(actor))
            if role == Role.PARTNER
            else Channel(marketer=staff_for_user(actor))
        )
        if channel.partner is None and channel.marketer is None:
            raise PermissionDenied(_("This login is not linked to a partner or staff record."))
        return channel
    if bool(marketer) == bool(partner):
        raise ValidationError({"marketer": _("Name exactly one marketer or one partner.")})
    if marketer and (marketer.role != Role.MARKETER or not marketer.is_active):
        raise ValidationError({"marketer": _("Choose an active marketer.")})
    if partner and partner.status != PartnerStatus.ACTIVE:
        raise ValidationError({"partner": _("This partner is not active.")})
    return Channel(marketer=marketer, partner=partner)


def project_phone(
    *, project: Project, phone: str, field: str = "customer_phone"
) -> tuple[str, str]:
    """Parse a customer phone under the project's phone mode → (full or "", 前三后四 key)."""
    try:
        return parse_customer_phone(phone, allow_masked=project.phone_mode == PhoneMode.MASKED)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def phone_as_stored(*, full: str, key: str) -> str:
    """What a record keeps of a customer phone: the full 11 digits, else the normalised 前三后四
    form 135****5678 (never the caller's spacing or dashes, which would not fit)."""
    return full or f"{key[:3]}****{key[3:]}"


def customer_find(*, project: Project, full: str, key: str) -> Customer | None:
    """The project's customer for a phone: by full number, or by 前三后四 in masked mode."""
    customers = Customer.objects.filter(project=project)
    if full:
        found = customers.filter(phone=full).first()
        if found or project.phone_mode == PhoneMode.FULL:
            return found
        # Masked mode: a customer so far known only by 前三后四 is this one.
        customers = customers.filter(phone="")
    return customers.filter(phone_key=key).order_by("id").first()


def customer_phone_check(*, project: Project, phone: str, today: date) -> dict:
    """What the office should know about a phone while logging a visit: a new customer, or a
    known one (visits, protection, attribution) and whether a visit now would be a repeat."""
    raw = "".join((phone or "").split()).replace("-", "")
    if len(raw) < 11:
        return {"state": "incomplete"}
    try:
        full, key = project_phone(project=project, phone=raw)
    except ValidationError as exc:
        return {"state": "invalid", "error": " ".join(exc.messages)}
    customer = customer_find(project=project, full=full, key=key)
    if customer is None:
        return {"state": "new"}
    customer = Customer.objects.select_related("owner_marketer", "owner_partner").get(
        pk=customer.pk
    )
    visits = customer.visits.exclude(status=VisitStatus.REJECTED)
    start, end = day_bounds(today)
    last_valid = visits.filter(valid_visit_q()).order_by("-visited_at").first()
    repeat_until = None
    if last_valid is not None:
        counts_again_on = local_date(last_valid.visited_at) + timedelta(
            days=project.revisit_window_days
        )
        if counts_again_on > today:
            repeat_until = counts_again_on
    owner = customer.owner_marketer or customer.owner_partner
    registration = (
        customer.registrations.filter(status__in=PROTECTING, protected_until__gte=today)
        .select_related("marketer", "partner")
        .order_by("protected_until")
        .first()
    )
    return {
        "state": "known",
        "customer": customer,
        "visit_count": visits.count(),
        "last_visit": visits.order_by("-visited_at").first(),
        "today_visit": visits.filter(visited_at__gte=start, visited_at__lt=end).first(),
        "registration": registration,
        "registrant": (registration.marketer or registration.partner) if registration else None,
        "owner": owner,
        "locked_until": customer.owner_locked_until
        if customer.owner_locked_until and customer.owner_locked_until >= today
        else None,
        # A running walk-in protection: the sales office's, so a channel visit credits nobody.
        "walk_in_until": customer.owner_locked_until
        if customer.owner_office
        and customer.owner_locked_until
        and customer.owner_locked_until >= today
        else None,
        "last_valid": last_valid if repeat_until else None,
        "repeat_until": repeat_until,
        "window_days": project.revisit_window_days,
    }

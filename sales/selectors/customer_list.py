"""Reads of customers as lists and pages: who may see which (scoping), search by phone, name
or pinyin initials, and the one protection that applies to a customer now.

A customer is a channel's own (a marketer's or a partner user's) while it is attributed to
that channel, or while nobody holds it and the channel's registration is its latest one. The
sales office (secretary, manager) sees every customer, a supervisor those of the projects
their teams work.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from common.access import can
from common.periods import local_today
from common.phones import MASKED_RE, phone_text
from common.pinyin import looks_like_initials
from common.roles import Role, user_role
from partners.selectors import partner_for_user
from sales.models import Customer, Registration
from sales.selectors.customers import OFFICE_KEY, PROTECTING
from sales.selectors.org import staff_for_user
from sales.selectors.reports import report_project_list

# What a customer's owner is, as the API and the pages name it (SPEC: owner_type).
OWNER_MARKETER, OWNER_PARTNER, OWNER_WALK_IN = "marketer", "partner", "walk_in"
OWNER_TYPES = (
    (OWNER_MARKETER, _("Marketer")),
    (OWNER_PARTNER, _("Partner")),
    (OWNER_WALK_IN, _("Sales office (walk-in, 自然到访)")),
)
OWNER_NONE = "none"  # the filter's value for "nobody holds it"

# Which protection applies (Protection.kind).
REGISTRATION, DEAL, WALK_IN = "registration", "deal", "walk_in"
PROTECTION_LABELS = {
    REGISTRATION: _("Registration protection (报备保护)"),
    DEAL: _("Deal protection after a visit (成交保护)"),
    WALK_IN: _("Walk-in protection (自然到访)"),
}


def _latest_registration(field: str) -> Subquery:
    return Subquery(
        Registration.objects.filter(customer=OuterRef("pk"))
        .order_by("-registered_at", "-id")
        .values(field)[:1]
    )


def _with_latest_registration(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Each customer with its latest registration's channel, protection end and status (the
    only registration that can still be running: a later one is refused while one runs)."""
    return customers.annotate(
        latest_marketer_id=_latest_registration("marketer_id"),
        latest_partner_id=_latest_registration("partner_id"),
        latest_until=_latest_registration("protected_until"),
        latest_status=_latest_registration("status"),
        latest_marketer_name=_latest_registration("marketer__name"),
        latest_partner_name=_latest_registration("partner__name"),
    )


NOBODY_HOLDS = Q(owner_marketer__isnull=True, owner_partner__isnull=True, owner_office=False)


def _own(customers: QuerySet[Customer], *, field: str, channel) -> QuerySet[Customer]:
    """A channel's own customers: attributed to it, or held by nobody with its registration
    the latest (customers it lost, or that another channel registered since, are not)."""
    return customers.filter(
        Q(**{f"owner_{field}": channel}) | (NOBODY_HOLDS & Q(**{f"latest_{field}_id": channel.pk}))
    )


def customer_list(*, user) -> QuerySet[Customer]:
    """The customers a user may see, newest first, with what a row shows."""
    customers = _with_latest_registration(
        Customer.objects.select_related("project", "owner_marketer", "owner_partner")
    ).order_by("-created_at", "-id")
    if can(user, "see_all_activity"):
        return customers
    role = user_role(user)
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        return _own(customers, field="partner", channel=partner) if partner else customers.none()
    if role == Role.SUPERVISOR:
        return customers.filter(project__in=report_project_list(user=user))
    if role == Role.MARKETER:
        me = staff_for_user(user)
        return _own(customers, field="marketer", channel=me) if me else customers.none()
    return customers.none()


def customer_get(*, user, pk: int) -> Customer | None:
    """One customer the user may see (None: not there, or not theirs)."""
    return customer_list(user=user).filter(pk=pk).first()


# --- search -----------------------------------------------------------------------------------


def customer_search_q(query: str, *, prefix: str = "") -> Q:
    """Search as an office does: a full phone, 前三后四 (1385678 or 138****5678), the last four
    digits or any run of them, a name, or its pinyin initials ("zw" finds 张伟). `prefix`
    searches another model by its customer ("customer__" for visits)."""

    def field(lookup: str, value) -> Q:
        return Q(**{prefix + lookup: value})

    query = "".join((query or "").split())
    if not query:
        return Q()
    folded = phone_text(query)  # full-width digits search as the digits they are
    masked = MASKED_RE.match(folded)
    if masked:
        return field("phone_key", masked.group(1) + masked.group(2))
    if folded.isascii() and folded.isdigit():
        query = folded
        if len(query) == 11:
            return field("phone", query) | (
                field("phone", "") & field("phone_key", query[:3] + query[-4:])
            )
        if len(query) == 7:
            return field("phone_key", query) | field("phone__contains", query)
        if len(query) == 4:
            return field("phone_key__endswith", query)
        return field("phone__contains", query)
    found = field("name__icontains", query)
    if looks_like_initials(query):
        found |= field("name_initials__startswith", query.lower())
    return found


def _registration_runs(today: date) -> Q:
    return Q(latest_until__gte=today, latest_status__in=PROTECTING)


def _registration_does_not_run(today: date) -> Q:
    return (
        Q(latest_until__isnull=True) | Q(latest_until__lt=today) | ~Q(latest_status__in=PROTECTING)
    )


def _attribution_holds(today: date) -> Q:
    """The attributed owner is the current one (`customer_owner`'s first two cases)."""
    lock_runs = (
        Q(owner_overridden=True)
        | Q(owner_locked_until__isnull=True)
        | Q(owner_locked_until__gte=today)
    )
    return ~NOBODY_HOLDS & (lock_runs | _registration_does_not_run(today))


def owner_type_q(owner_type: str, *, today: date | None = None) -> Q:
    """The filter by the current owner's type (marketer / partner / walk_in / none), as
    `customer_owner` decides it; needs `customer_list`'s annotations."""
    today = today or local_today()
    held = _attribution_holds(today)
    registered = ~held & _registration_runs(today)
    return {
        OWNER_MARKETER: (held & Q(owner_marketer__isnull=False))
        | (registered & Q(latest_marketer_id__isnull=False)),
        OWNER_PARTNER: (held & Q(owner_partner__isnull=False))
        | (registered & Q(latest_partner_id__isnull=False)),
        OWNER_WALK_IN: held & Q(owner_office=True),
        OWNER_NONE: NOBODY_HOLDS & _registration_does_not_run(today),
    }.get(owner_type, Q())


# --- owner and protection ---------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """Who holds a customer now: its type (OWNER_TYPES), the marketer's staff id or the
    partner's id (None for the sales office), its name ("" for the office), and its channel
    key as `Protection.holder` has it."""

    kind: str
    id: int | None
    name: str
    key: tuple


def customer_owner(customer: Customer, *, today: date) -> Owner | None:
    """The current owner (SPEC "Customer"): the attributed one — the deal protection's
    channel after a visit, the office during walk-in protection, a manager's choice — while
    its lock runs (an override or an attribution without a lock holds for good); else the
    registrant while its registration protection runs; else the attributed one whose lock
    ended; else nobody. Needs `customer_list`'s annotations."""
    attributed = None
    if customer.owner_office:
        attributed = Owner(OWNER_WALK_IN, None, "", OFFICE_KEY)
    elif customer.owner_marketer_id:
        marketer = customer.owner_marketer
        key = (customer.owner_marketer_id, None)
        attributed = Owner(OWNER_MARKETER, marketer.pk, marketer.name, key)
    elif customer.owner_partner_id:
        partner = customer.owner_partner
        key = (None, customer.owner_partner_id)
        attributed = Owner(OWNER_PARTNER, partner.pk, partner.name, key)
    lock = customer.owner_locked_until
    if attributed is not None and (customer.owner_overridden or lock is None or lock >= today):
        return attributed
    registration_runs = (
        customer.latest_until is not None
        and customer.latest_until >= today
        and customer.latest_status in PROTECTING
    )
    if registration_runs and customer.latest_marketer_id:
        key = (customer.latest_marketer_id, None)
        name = customer.latest_marketer_name
        return Owner(OWNER_MARKETER, customer.latest_marketer_id, name, key)
    if registration_runs and customer.latest_partner_id:
        key = (None, customer.latest_partner_id)
        name = customer.latest_partner_name
        return Owner(OWNER_PARTNER, customer.latest_partner_id, name, key)
    return attributed


def customer_holder(*, customer_id: int, today: date) -> Owner | None:
    """Who holds one customer now, as every page sees it (`customer_owner`)."""
    customers = Customer.objects.select_related("owner_marketer", "owner_partner")
    return customer_owner(_with_latest_registration(customers).get(pk=customer_id), today=today)


def owner_type_of(customer: Customer, *, today: date | None = None) -> str | None:
    owner = customer_owner(customer, today=today or local_today())
    return owner.kind if owner else None


@dataclass(frozen=True)
class Protection:
    """The protection that applies to a customer: which kind, until when (inclusive), whose
    (a Channel key: (marketer id, partner id), or the office's), and whether it still runs."""

    kind: str
    until: date
    holder: tuple
    running: bool

    @property
    def label(self) -> str:
        return str(PROTECTION_LABELS[self.kind])


def customer_protection(customer: Customer, *, today: date) -> Protection | None:
    """The protection that applies now: the owner's (deal protection, or walk-in protection
    for the office) while it runs, else a running registration's; when none runs, the one
    that ended last. Needs `customer_list`'s annotations."""
    owner_lock = None
    if customer.owner_locked_until and (
        customer.owner_office or customer.owner_marketer_id or customer.owner_partner_id
    ):
        holder = (
            OFFICE_KEY
            if customer.owner_office
            else (customer.owner_marketer_id, customer.owner_partner_id)
        )
        owner_lock = Protection(
            kind=WALK_IN if customer.owner_office else DEAL,
            until=customer.owner_locked_until,
            holder=holder,
            running=customer.owner_locked_until >= today,
        )
    registration = None
    if customer.latest_until and customer.latest_status in PROTECTING:
        registration = Protection(
            kind=REGISTRATION,
            until=customer.latest_until,
            holder=(customer.latest_marketer_id, customer.latest_partner_id),
            running=customer.latest_until >= today,
        )
    for candidate in (owner_lock, registration):
        if candidate is not None and candidate.running:
            return candidate
    ended = [p for p in (owner_lock, registration) if p is not None]
    return max(ended, key=lambda p: p.until) if ended else None

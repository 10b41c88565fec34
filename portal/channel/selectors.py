"""A channel's own customers: its latest registration of each customer, with the progress
credited to that channel (a confirmed visit, a standing subscription or signing), and whether
another channel got the deal (他人成交) or the customer went elsewhere without a deal.

A channel is given as the filter that names it on a credited row: ``{"partner": partner}`` for
a partner user's pages, ``{"marketer": staff}`` for a marketer's. The rows come from the
caller's scoped selector (``registration_list(user=...)``), so nothing here widens a scope.
"""

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from common.periods import local_today
from sales.choices import RegistrationStatus, SubscriptionStatus, VisitStatus
from sales.models import Registration, Signing, Subscription, Visit
from sales.selectors import facts

# A customer's stage as the channel sees it; "lost" = another channel got the deal (他人成交),
# "elsewhere" = no longer the channel's though nobody closed a deal.
REGISTERED, VISITED, SUBSCRIBED, SIGNED, LOST, ELSEWHERE = (
    "registered",
    "visited",
    "subscribed",
    "signed",
    "lost",
    "elsewhere",
)
PROGRESS = (REGISTERED, VISITED, SUBSCRIBED, SIGNED)


def latest_per_customer(mine: QuerySet[Registration]) -> QuerySet[Registration]:
    """The channel's latest registration of each customer, portably (`make run` uses SQLite: no
    DISTINCT ON): a row is kept when it is its customer's newest among the channel's."""
    newer = mine.filter(customer_id=OuterRef("customer_id")).order_by("-registered_at", "-id")
    return mine.filter(pk=Subquery(newer.values("pk")[:1]))


def _credited(model, *conditions: Q, channel: dict, **extra) -> Exists:
    """Whether the registration's customer has a fact of `model` credited to this channel."""
    return Exists(
        model.objects.filter(
            *conditions,
            customer=OuterRef("customer_id"),
            project=OuterRef("project_id"),
            **channel,
            **extra,
        )
    )


def _owner_is(channel: dict) -> Q:
    """The customer's current owner is this channel (``{"partner": p}`` → owner_partner=p)."""
    return Q(**{f"customer__owner_{kind}": who for kind, who in channel.items()})


def _deal_by_another_channel(*, channel: dict) -> Q:
    """他人成交: another channel subscribed or signed the customer, or its signing closed this
    registration (a deal credited to no channel at all, e.g. a walk-in's, is nobody's win over
    this channel)."""
    credited = Q(marketer__isnull=False) | Q(partner__isnull=False)
    other_deal = Exists(
        Signing.objects.filter(credited, customer=OuterRef("customer_id"))
        .filter(facts.standing_signing_q(computed_on=local_today()))
        .exclude(**channel)
        .values("pk")
    ) | Exists(
        Subscription.objects.filter(credited, customer=OuterRef("customer_id"))
        .exclude(status=SubscriptionStatus.CANCELLED)
        .exclude(**channel)
        .values("pk")
    )
    return Q(status=RegistrationStatus.LOST) | other_deal


def _another_channel_holds(*, channel: dict) -> Q:
    owned = Q(customer__owner_marketer__isnull=False) | Q(customer__owner_partner__isnull=False)
    return owned & ~_owner_is(channel)


def _held_elsewhere(*, channel: dict, today) -> Q:
    """No longer this channel's customer, though nobody closed a deal: another channel holds
    its attribution (a visit in its protection, a manager's override), or the sales office does
    while its walk-in protection runs — unless this registration still protects it."""
    office = Q(customer__owner_office=True, customer__owner_locked_until__gte=today)
    still_protected = Q(status=RegistrationStatus.ACTIVE, protected_until__gte=today)
    return (_another_channel_holds(channel=channel) | office) & ~still_protected


def with_progress(rows: QuerySet[Registration], *, channel: dict) -> QuerySet[Registration]:
    """Annotate each registration with the progress credited to `channel`: ``has_visit``,
    ``has_subscription``, ``has_signing``, ``is_lost`` (他人成交: another channel's deal — SPEC's
    他人成交 is a deal, nothing less) and ``is_elsewhere`` (the customer went elsewhere without
    one: an override, another channel's protection, a walk-in)."""
    return rows.annotate(
        has_visit=_credited(Visit, channel=channel, status=VisitStatus.CONFIRMED),
        has_subscription=Exists(
            Subscription.objects.filter(
                customer=OuterRef("customer_id"), project=OuterRef("project_id"), **channel
            ).exclude(status=SubscriptionStatus.CANCELLED)
        ),
        has_signing=_credited(
            Signing, facts.standing_signing_q(computed_on=local_today()), channel=channel
        ),
    ).annotate(
        is_lost=Case(
            When(has_signing=True, then=Value(False)),
            When(_deal_by_another_channel(channel=channel), then=Value(True)),
            default=Value(False),
        ),
        is_elsewhere=Case(
            When(_held_elsewhere(channel=channel, today=local_today()), then=Value(True)),
            default=Value(False),
        ),
    )


def stage_case(
    *,
    before_lost: tuple[When, ...] = (),
    after_lost: tuple[When, ...] = (),
    after_visit: tuple[When, ...] = (),
) -> Case:
    """The stage of a row annotated by `with_progress`: signed, lost, subscribed, visited,
    registered — with a page's own stages slotted in before or after "lost", or after
    "visited"."""
    return Case(
        When(has_signing=True, then=Value(SIGNED)),
        *before_lost,
        When(is_lost=True, then=Value(LOST)),
        *after_lost,
        When(has_subscription=True, then=Value(SUBSCRIBED)),
        When(has_visit=True, then=Value(VISITED)),
        *after_visit,
        default=Value(REGISTERED),
    )


def search_q(search: str) -> Q:
    """A search box over registrations: digits search the phone by its last four (a full number
    also by its first three, which fits a 前三后四 number too); anything else the name."""
    search = (search or "").strip()
    if not search:
        return Q()
    digits = "".join(ch for ch in search if ch.isdigit())
    if digits and len(digits) == len(search.replace("*", "")):
        query = Q(customer_phone__endswith=digits[-4:])
        if len(digits) >= 7:
            query &= Q(customer_phone__startswith=digits[:3])
        return query
    return Q(customer_name__icontains=search)

"""Reads for a marketer's own pages (/marketer/): their customers with the protection that
applies, the visits they brought, and their home's counts — only the signed-in marketer's rows.

A customer row is the marketer's latest registration of that customer (shared with the partner
portal: ``portal.channel.selectors``) with its stage as the marketer sees it and the protection
that applies now: the deal protection once a visit inside the registration locked the customer
to them (``Customer.owner_locked_until``), else the registration's own protection.
"""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from common.access import can
from common.periods import Period
from portal.channel.selectors import (
    ELSEWHERE,
    LOST,
    REGISTERED,
    SIGNED,
    SUBSCRIBED,
    VISITED,
    latest_per_customer,
    stage_case,
    with_progress,
)
from sales.choices import CustomerStatus, RegistrationStatus, SigningStatus, VisitStatus
from sales.models import Customer, Registration, Signing, Staff, Visit
from sales.selectors import facts, registration_list, staff_for_user
from sales.selectors.customer_list import customer_list

CANCELLED, INVALID = "cancelled", "invalid"
# Stages a marketer's customer is in, in funnel order (退房, 他人成交, attributed elsewhere and
# lapsed at the end).
STAGES = (REGISTERED, VISITED, SUBSCRIBED, SIGNED, CANCELLED, LOST, ELSEWHERE, INVALID)
# Which protection applies: the registration's (报备保护) or the deal protection after a visit.
REGISTRATION_PROTECTION, DEAL_PROTECTION = "registration", "deal"
# "Ends within 3 days" (SPEC's notification): the last protected day is today … today + 3.
ENDING_SOON_DAYS = 3
# Registrations that still protect (the daily job expires the others).
_PROTECTING = (RegistrationStatus.ACTIVE, RegistrationStatus.VISITED)


def marketer_me(*, user) -> Staff | None:
    """The marketer whose pages these are (None: not a marketer, or no staff record)."""
    return staff_for_user(user) if can(user, "use_marketer_pages") else None


def marketer_customer_list(*, user, today: date) -> QuerySet[Registration]:
    """The marketer's customers, one row each (their latest registration), annotated with
    ``stage``, ``protection_ends`` (the last protected day, None when no protection runs),
    ``protection_kind`` and the progress flags; soonest-ending protection first."""
    me = marketer_me(user=user)
    mine = registration_list(user=user)
    if me is None:
        return mine.none()
    channel = {"marketer": me}
    # 他人成交 is another channel's deal; a customer that went elsewhere without one (a
    # manager's override, another channel's protection, a walk-in) is "attributed elsewhere".
    rows = with_progress(
        latest_per_customer(mine).select_related("project", "customer"),
        channel=channel,
    )
    deal = Q(customer__owner_marketer=me, customer__owner_locked_until__gte=today)
    registration = Q(
        status__in=_PROTECTING, protected_until__isnull=False, protected_until__gte=today
    )
    no_protection = Q(has_signing=True) | Q(is_lost=True) | Q(is_elsewhere=True)
    lapsed = (
        Q(status__in=(RegistrationStatus.EXPIRED, RegistrationStatus.WITHDRAWN))
        | Q(protected_until__lt=today)
        | Q(customer__status=CustomerStatus.INVALID)
    )
    rows = rows.annotate(
        has_cancelled_signing=Exists(
            Signing.objects.filter(
                customer=OuterRef("customer_id"), status=SigningStatus.CANCELLED, **channel
            )
        ),
    ).annotate(
        stage=stage_case(
            before_lost=(When(has_cancelled_signing=True, then=Value(CANCELLED)),),
            after_lost=(When(is_elsewhere=True, then=Value(ELSEWHERE)),),
            after_visit=(When(lapsed, then=Value(INVALID)),),
        ),
        protection_ends=Case(
            When(no_protection, then=Value(None)),
            When(deal, then=F("customer__owner_locked_until")),
            When(registration, then=F("protected_until")),
            default=Value(None),
            output_field=DateField(),
        ),
        protection_kind=Case(
            When(no_protection, then=Value("")),
            When(deal, then=Value(DEAL_PROTECTION)),
            When(registration, then=Value(REGISTRATION_PROTECTION)),
            default=Value(""),
            output_field=CharField(),
        ),
    )
    return rows.order_by(F("protection_ends").asc(nulls_last=True), "-registered_at", "-id")


def marketer_assigned_customer_list(*, user) -> QuerySet[Customer]:
    """Customers the sales office gave this marketer (a manager's override, an upheld appeal)
    that they never registered, so `marketer_customer_list` has no row of them."""
    me = marketer_me(user=user)
    if me is None:
        return Customer.objects.none()
    registered = Registration.objects.filter(customer=OuterRef("pk"), marketer=me)
    return (
        customer_list(user=user)
        .filter(owner_marketer=me, owner_overridden=True)
        .exclude(Exists(registered))
    )


def marketer_customer_get(*, user, customer_id: int, today: date) -> Registration | None:
    """One of the marketer's customers (their latest registration of it), else None."""
    return (
        marketer_customer_list(user=user, today=today)
        .filter(customer_id=customer_id)
        .select_related("customer__owner_marketer", "customer__owner_partner")
        .first()
    )


def marketer_registration_history(*, user, customer_id: int) -> QuerySet[Registration]:
    """Every registration the marketer made of one customer, newest first."""
    return registration_list(user=user).filter(customer_id=customer_id).order_by("-registered_at")


def marketer_has_customer(*, user, customer_id: int) -> bool:
    """Whether the marketer registered this customer (so its page is theirs to open)."""
    return registration_list(user=user).filter(customer_id=customer_id).exists()


def marketer_visit_list(*, user) -> QuerySet[Visit]:
    """Visits the marketer brought (as logged) or is credited with, newest first; each says
    whether the credit is theirs (``credited_to_me``: a protection elsewhere may take it)."""
    me = marketer_me(user=user)
    if me is None:
        return Visit.objects.none()
    return (
        Visit.objects.filter(Q(brought_marketer=me) | Q(marketer=me))
        .select_related("project", "consultant")
        .annotate(
            credited_to_me=Case(
                When(marketer=me, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-visited_at", "-id")
    )


def marketer_visit_get(*, user, pk: int) -> Visit | None:
    return marketer_visit_list(user=user).filter(pk=pk).first()


def marketer_customer_visits(*, user, customer_id: int) -> QuerySet[Visit]:
    """The visits of one customer the marketer brought or is credited with."""
    return marketer_visit_list(user=user).filter(customer_id=customer_id)


def marketer_home_counts(*, user, today: date, month: Period) -> dict[str, int]:
    """The home page's figures: protections ending within ENDING_SOON_DAYS, protected
    customers, this month's registrations and the month's confirmed and valid visits."""
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    customers = marketer_customer_list(user=user, today=today).aggregate(
        ending_soon=Count("pk", filter=Q(protection_ends__lte=soon)),
        protected=Count("pk", filter=Q(protection_ends__isnull=False)),
    )
    registrations = (
        registration_list(user=user)
        .filter(registered_at__gte=month.start_at, registered_at__lt=month.end_at)
        .count()
    )
    me = marketer_me(user=user)
    visits = (
        marketer_visit_list(user=user)
        .filter(visited_at__gte=month.start_at, visited_at__lt=month.end_at)
        .order_by()
        .aggregate(
            confirmed=Count("pk", filter=Q(status=VisitStatus.CONFIRMED)),
            valid=Count("pk", filter=facts.valid_visit_q() & Q(marketer=me)),
            pending=Count("pk", filter=Q(status=VisitStatus.PENDING)),
        )
    )
    return {**customers, "registrations": registrations, **visits}

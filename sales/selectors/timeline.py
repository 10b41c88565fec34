"""A customer's timeline: every registration (and its extension), visit, subscription, signing
and its cancellation (退房), payment, mortgage, attribution change and appeal (申诉), in order.

Each kind of record has one source function below, listed in TIMELINE_SOURCES; a new kind of
event is one more function there. A source makes one query whatever the
number of rows, so the timeline costs the same number of queries for any customer.

A partner user reads only what is its own or nobody's: its registrations, visits it brought
or is credited with, walk-ins, deals credited to it or to nobody — never another channel's
record, and an attribution change without who made it, why, or whom it was from; of appeals
only its own (filed, and decided with the note), never another channel's.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import IntegerField, Model, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from common.access import can
from common.people import person_name
from common.periods import SHANGHAI, local_date
from partners.models import Partner
from partners.selectors import partner_for_user
from sales.choices import MortgageStatus, SigningStatus
from sales.models import Appeal, AttributionOverride, Customer, Mortgage, Payment, Staff

# Kinds of events, in the order they sort within one instant or one day.
REGISTRATION = "registration"
PROTECTION_EXTENSION = "protection_extension"
VISIT = "visit"
ATTRIBUTION_OVERRIDE = "attribution_override"
SUBSCRIPTION = "subscription"
SIGNING = "signing"
PAYMENT = "payment"
MORTGAGE = "mortgage"
MORTGAGE_DISBURSED = "mortgage_disbursed"
CANCELLATION = "cancellation"
APPEAL = "appeal"
APPEAL_DECIDED = "appeal_decided"
KIND_ORDER = {
    kind: index
    for index, kind in enumerate(
        (
            REGISTRATION,
            PROTECTION_EXTENSION,
            VISIT,
            ATTRIBUTION_OVERRIDE,
            SUBSCRIPTION,
            SIGNING,
            PAYMENT,
            MORTGAGE,
            MORTGAGE_DISBURSED,
            CANCELLATION,
            APPEAL,
            APPEAL_DECIDED,
        )
    )
}


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened to a customer: when (an instant, or a business date for
    deals), what kind, the record it comes from, and its facts as JSON-safe values."""

    at: datetime | date
    kind: str
    record: Model
    data: dict = field(default_factory=dict)

    @property
    def timed(self) -> bool:
        """An instant (registrations, visits, changes) rather than a business date (deals)."""
        return isinstance(self.at, datetime)

    @property
    def day(self) -> date:
        return local_date(self.at) if isinstance(self.at, datetime) else self.at

    @property
    def sort_key(self) -> tuple:
        # Deals carry a date only: they sort after the day's timed events (visits come first).
        if isinstance(self.at, datetime):
            moment = (0, self.at.astimezone(SHANGHAI).time())
        else:
            moment = (1, None)
        return (self.day, moment[0], moment[1] or datetime.min.time(), KIND_ORDER[self.kind])

    @property
    def at_iso(self) -> str:
        if isinstance(self.at, datetime):
            return self.at.astimezone(SHANGHAI).isoformat()
        return self.at.isoformat()


@dataclass(frozen=True)
class Viewer:
    """Who reads the timeline: a partner user (only its partner's rows and nobody's), or
    anyone else (every row)."""

    is_partner: bool = False
    partner: Partner | None = None

    def mine(self, partner_id: int | None) -> bool:
        return self.partner is not None and partner_id == self.partner.pk

    def sees(self, partner_id: int | None, marketer_id: int | None) -> bool:
        """A partner sees a record credited to itself or to no channel at all."""
        if not self.is_partner:
            return True
        if partner_id is not None:
            return self.mine(partner_id)
        return marketer_id is None


Source = Callable[[Customer, Viewer], Iterable[TimelineEvent]]


def _registrations(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = customer.registrations.select_related("extension", "marketer", "partner").order_by(
        "registered_at", "id"
    )
    if viewer.is_partner:
        rows = rows.filter(partner=viewer.partner)
    for registration in rows:
        yield TimelineEvent(
            registration.registered_at,
            REGISTRATION,
            registration,
            {
                "id": registration.pk,
                "marketer": registration.marketer_id,
                "partner": registration.partner_id,
                "protected_until": _iso(registration.protected_until),
                "status": registration.status,
            },
        )
        extension = getattr(registration, "extension", None)
        if extension is not None:
            data = {
                "registration": registration.pk,
                "days": extension.days,
                "protected_until": extension.protected_until_after.isoformat(),
            }
            if not viewer.is_partner:
                data["reason"] = extension.reason
            yield TimelineEvent(extension.created_at, PROTECTION_EXTENSION, extension, data)


def _visits(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = customer.visits.select_related(
        "marketer", "partner", "brought_marketer", "brought_partner", "consultant"
    ).order_by("visited_at", "id")
    for visit in rows:
        walk_in = visit.brought_marketer_id is None and visit.brought_partner_id is None
        if viewer.is_partner and not (
            walk_in or viewer.mine(visit.partner_id) or viewer.mine(visit.brought_partner_id)
        ):
            continue
        data = {
            "id": visit.pk,
            "status": visit.status,
            "valid": visit.is_valid,
            "walk_in": walk_in,
            "marketer": visit.marketer_id,
            "partner": visit.partner_id,
            "brought_marketer": visit.brought_marketer_id,
            "brought_partner": visit.brought_partner_id,
            "consultant": visit.consultant_id,
            "property_type": visit.property_type,
            "group_size": visit.group_size,
        }
        if viewer.is_partner:  # no other channel's id, no staff member's
            for name in ("marketer", "brought_marketer", "consultant"):
                data[name] = None
            for name in ("partner", "brought_partner"):
                data[name] = data[name] if viewer.mine(data[name]) else None
        yield TimelineEvent(visit.visited_at, VISIT, visit, data)


def _subscriptions(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    for subscription in customer.subscriptions.select_related("marketer", "partner").order_by(
        "subscribed_on", "id"
    ):
        if not viewer.sees(subscription.partner_id, subscription.marketer_id):
            continue
        yield TimelineEvent(
            subscription.subscribed_on,
            SUBSCRIPTION,
            subscription,
            {
                "id": subscription.pk,
                "unit": subscription.unit,
                "amount": str(subscription.amount),
                "status": subscription.status,
                "marketer": subscription.marketer_id,
                "partner": subscription.partner_id,
            },
        )


def _signings(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    for signing in customer.signings.select_related("marketer", "partner").order_by(
        "signed_on", "id"
    ):
        if not viewer.sees(signing.partner_id, signing.marketer_id):
            continue
        yield TimelineEvent(
            signing.signed_on,
            SIGNING,
            signing,
            {
                "id": signing.pk,
                "unit": signing.unit,
                "property_type": signing.property_type,
                "area": str(signing.area),
                "amount": str(signing.amount),
                "status": signing.status,
                "marketer": signing.marketer_id,
                "partner": signing.partner_id,
            },
        )
        if signing.status == SigningStatus.CANCELLED and signing.cancelled_on:
            yield TimelineEvent(
                signing.cancelled_on,
                CANCELLATION,
                signing,
                {"signing": signing.pk, "unit": signing.unit, "reason": signing.cancel_reason},
            )


def _payments(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = (
        Payment.objects.filter(signing__customer=customer)
        .select_related("signing")
        .order_by("paid_on", "id")
    )
    for payment in rows:
        if not viewer.sees(payment.signing.partner_id, payment.signing.marketer_id):
            continue
        yield TimelineEvent(
            payment.paid_on,
            PAYMENT,
            payment,
            {
                "id": payment.pk,
                "signing": payment.signing_id,
                "payment_kind": payment.kind,
                "amount": str(payment.amount),
            },
        )


def _mortgages(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = (
        Mortgage.objects.filter(signing__customer=customer)
        .select_related("signing")
        .order_by("applied_on", "id")
    )
    for mortgage in rows:
        if not viewer.sees(mortgage.signing.partner_id, mortgage.signing.marketer_id):
            continue
        data = {
            "id": mortgage.pk,
            "signing": mortgage.signing_id,
            "bank": mortgage.bank,
            "amount": str(mortgage.amount),
            "status": mortgage.status,
        }
        yield TimelineEvent(mortgage.applied_on, MORTGAGE, mortgage, data)
        if mortgage.status == MortgageStatus.DISBURSED and mortgage.disbursed_on:
            yield TimelineEvent(
                mortgage.disbursed_on,
                MORTGAGE_DISBURSED,
                mortgage,
                {"id": mortgage.pk, "signing": mortgage.signing_id, "amount": data["amount"]},
            )


def _overrides(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = AttributionOverride.objects.filter(customer=customer).order_by("created_at", "id")
    if viewer.is_partner:
        for override in rows:
            # Only that it changed, and whether to this partner: never from whom or why.
            to_you = viewer.mine((override.after or {}).get("partner"))
            data = {"id": override.pk, "to_you": to_you}
            yield TimelineEvent(override.created_at, ATTRIBUTION_OVERRIDE, override, data)
        return
    rows = rows.select_related("actor", "actor__staff").annotate(
        **{
            f"{side}_{kind}_name": _holder_name_of(model, side, kind)
            for side in ("before", "after")
            for kind, model in (("marketer", Staff), ("partner", Partner))
        }
    )
    for override in rows:
        data = {
            "id": override.pk,
            "actor": override.actor.get_username(),
            "actor_name": person_name(override.actor),
            "reason": override.reason,
            "before": override.before,
            "after": override.after,
            "from": _holder_name(override, "before"),
            "to": _holder_name(override, "after"),
        }
        yield TimelineEvent(override.created_at, ATTRIBUTION_OVERRIDE, override, data)


def _holder_name_of(model, side: str, kind: str) -> Subquery:
    """The name of the marketer or partner an override's before/after names (in the same
    query: a timeline costs the same queries with or without overrides)."""
    holder = Cast(KeyTextTransform(kind, OuterRef(side)), IntegerField())
    return Subquery(model.objects.filter(pk=holder).values("name")[:1])


def _holder_name(override, side: str) -> str:
    """Who held the customer before or after an override, in words."""
    snapshot = getattr(override, side) or {}
    for kind in ("marketer", "partner"):
        if snapshot.get(kind):
            return getattr(override, f"{side}_{kind}_name") or ""
    if snapshot.get("office"):
        return str(_("the sales office (walk-in)"))
    return str(_("Nobody yet"))


def _appeals(customer: Customer, viewer: Viewer) -> Iterable[TimelineEvent]:
    rows = Appeal.objects.filter(customer=customer).select_related("marketer", "partner")
    if viewer.is_partner:
        rows = rows.filter(partner=viewer.partner)
    for appeal in rows.order_by("created_at", "id"):
        data = {
            "id": appeal.pk,
            "status": appeal.status,
            "subject": appeal.subject,
            "marketer": appeal.marketer_id,
            "partner": appeal.partner_id,
        }
        yield TimelineEvent(appeal.created_at, APPEAL, appeal, data)
        if appeal.decided_at is not None:
            decided = {"id": appeal.pk, "status": appeal.status, "note": appeal.decision_note}
            yield TimelineEvent(appeal.decided_at, APPEAL_DECIDED, appeal, decided)


# Every kind of event a timeline lists.
TIMELINE_SOURCES: tuple[Source, ...] = (
    _registrations,
    _visits,
    _subscriptions,
    _signings,
    _payments,
    _mortgages,
    _overrides,
    _appeals,
)


def timeline_viewer(*, user) -> Viewer:
    """How a user reads timelines: a partner user narrowed to its own partner."""
    if can(user, "masked_phones_only"):
        return Viewer(is_partner=True, partner=partner_for_user(user))
    return Viewer()


def customer_timeline(*, customer: Customer, user) -> list[TimelineEvent]:
    """Everything that happened to a customer the user may see (scope the customer first:
    `customer_get`), oldest first; one query per source."""
    viewer = timeline_viewer(user=user)
    if viewer.is_partner and viewer.partner is None:
        return []
    events = [event for source in TIMELINE_SOURCES for event in source(customer, viewer)]
    return sorted(events, key=lambda event: event.sort_key)


def _iso(value) -> str | None:
    return value.isoformat() if value else None

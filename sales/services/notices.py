"""Who hears of a customer's events, and what they are told (common.notifications.notify).

The credited channel hears of its customer: a marketer through their login (and their team's
group robot), a partner through every portal login of it (and its group robot). The facts are
what that channel knows of its own customer — project, name, unit, dates — never another
channel's identity. Each event has its own key, so telling of it twice tells nobody twice.
Called inside the services' transactions: the inbox rows commit with the event, e-mail and
robots are queued when it commits.
"""

import logging
from datetime import date, timedelta

from django.urls import reverse

from common.locks import advisory_lock
from common.notifications.services import notify
from common.periods import local_date
from common.phones import mask_phone
from common.selectors import manager_user_list
from common.webhooks import RobotTarget
from partners.models import Partner
from partners.selectors import partner_user_list
from sales.choices import RegistrationStatus
from sales.models import (
    Appeal,
    Customer,
    ProtectionExtension,
    Registration,
    Signing,
    Staff,
    Subscription,
    Visit,
)

logger = logging.getLogger(__name__)

# Registrants hear of a protection ending this many days ahead (SPEC "Appeals and notifications").
PROTECTION_ENDING_DAYS = 3


def channel_notify(
    *,
    marketer: Staff | None,
    partner: Partner | None,
    customer: Customer,
    kind: str,
    facts: dict,
    key: str,
) -> int:
    """Tell a customer's channel (marketer or partner, either may be None) of an event."""
    told = 0
    if marketer is not None:
        team = marketer.team
        told += notify(
            users=[marketer.user] if marketer.user_id else [],
            kind=kind,
            facts=facts,
            key=key,
            link=reverse("marketer:customer", args=[customer.pk]),
            webhooks=[RobotTarget.of(team)],
        )
    if partner is not None:
        told += notify(
            users=partner_user_list(partner=partner),
            kind=kind,
            facts=facts,
            key=key,
            link=reverse("portal:customers"),
            webhooks=[RobotTarget.of(partner)],
        )
    return told


def _customer_facts(*, project, name: str) -> dict:
    return {"project": project.name, "customer": name}


def visit_notify(*, visit: Visit) -> int:
    """A confirmed visit: the channel it is credited to hears its customer visited."""
    visit = Visit.objects.select_related(
        "project", "customer", "marketer__team", "marketer__user", "partner"
    ).get(pk=visit.pk)
    return channel_notify(
        marketer=visit.marketer,
        partner=visit.partner,
        customer=visit.customer,
        kind="customer_visited",
        facts={
            **_customer_facts(project=visit.project, name=visit.customer_name),
            "on": local_date(visit.visited_at),
        },
        key=f"visit_confirmed:{visit.pk}",
    )


def subscription_notify(*, subscription: Subscription) -> int:
    """认购: the credited channel hears its customer subscribed."""
    return channel_notify(
        marketer=subscription.marketer,
        partner=subscription.partner,
        customer=subscription.customer,
        kind="customer_subscribed",
        facts={
            **_customer_facts(project=subscription.project, name=subscription.customer.name),
            "unit": subscription.unit,
            "on": subscription.subscribed_on,
        },
        key=f"subscription:{subscription.pk}",
    )


def signing_notify(*, signing: Signing, cancelled: bool = False) -> int:
    """签约 (or its 退房): the credited channel hears its customer signed (or cancelled)."""
    return channel_notify(
        marketer=signing.marketer,
        partner=signing.partner,
        customer=signing.customer,
        kind="customer_cancelled" if cancelled else "customer_signed",
        facts={
            **_customer_facts(project=signing.project, name=signing.customer_name),
            "unit": signing.unit,
            "on": signing.cancelled_on if cancelled else signing.signed_on,
        },
        key=f"signing_cancelled:{signing.pk}" if cancelled else f"signing:{signing.pk}",
    )


def _registration_rows():
    return Registration.objects.select_related(
        "project", "customer", "marketer__team", "marketer__user", "partner"
    )


def extension_notify(*, extension: ProtectionExtension) -> int:
    """A manager extended a protection: the registrant hears until when."""
    registration = _registration_rows().get(pk=extension.registration_id)
    return channel_notify(
        marketer=registration.marketer,
        partner=registration.partner,
        customer=registration.customer,
        kind="protection_extended",
        facts={
            **_customer_facts(project=registration.project, name=registration.customer_name),
            "days": extension.days,
            "until": registration.protected_until,
        },
        key=f"protection_extended:{registration.pk}",
    )


def protection_ending_notify(*, today: date) -> int:
    """Daily: registrants of running protections that end within 3 days hear when, once per
    registration and end date (a protection extended afterwards is told of again when its
    new end nears). One run at a time (advisory lock); a second run finds every key told."""
    with advisory_lock("sales.protection_ending_notices") as acquired:
        if not acquired:
            logger.info("protection ending notices already running elsewhere; skipped")
            return 0
        horizon = today + timedelta(days=PROTECTION_ENDING_DAYS)
        ending = _registration_rows().filter(
            status=RegistrationStatus.ACTIVE,
            protected_until__gte=today,
            protected_until__lte=horizon,
        )
        told = 0
        for registration in ending.order_by("protected_until", "pk").iterator(chunk_size=500):
            told += channel_notify(
                marketer=registration.marketer,
                partner=registration.partner,
                customer=registration.customer,
                kind="protection_ending",
                facts={
                    **_customer_facts(
                        project=registration.project, name=registration.customer_name
                    ),
                    "until": registration.protected_until,
                    "days_left": (registration.protected_until - today).days,
                },
                key=f"protection_ending:{registration.pk}:{registration.protected_until}",
            )
    logger.info("protection ending notices for %s: %d told", today.isoformat(), told)
    return told


def appeal_filed_notify(*, appeal: Appeal) -> int:
    """An appeal was filed: the channel managers (who decide it) hear who appealed about which
    customer; the office may know the appellant's identity."""
    appeal = Appeal.objects.select_related("project", "marketer", "partner").get(pk=appeal.pk)
    channel = appeal.marketer or appeal.partner
    return notify(
        users=manager_user_list(),
        kind="appeal_filed",
        facts={
            "appellant": channel.name if channel else "",
            "customer_phone": appeal.customer_phone,
            "project": appeal.project.name,
        },
        key=f"appeal_filed:{appeal.pk}",
        link=reverse("sales:appeal-detail", args=[appeal.pk]),
    )


def appeal_decided_notify(*, appeal: Appeal) -> int:
    """An appeal was decided: the appellant's channel hears the outcome and the manager's note
    (and nothing of the channel the customer was with)."""
    appeal = Appeal.objects.select_related(
        "project", "marketer__team", "marketer__user", "partner"
    ).get(pk=appeal.pk)
    facts = {
        "project": appeal.project.name,
        "customer_phone": appeal.customer_phone,
        "outcome": appeal.status,
        "note": appeal.decision_note,
    }
    key = f"appeal_decided:{appeal.pk}"
    if appeal.marketer is not None:
        return notify(
            users=[appeal.marketer.user] if appeal.marketer.user_id else [appeal.appellant],
            kind="appeal_decided",
            facts=facts,
            key=key,
            link=reverse("marketer:appeal-detail", args=[appeal.pk]),
            webhooks=[RobotTarget.of(appeal.marketer.team)],
        )
    return notify(
        users=partner_user_list(partner=appeal.partner),
        kind="appeal_decided",
        facts={**facts, "customer_phone": mask_phone(appeal.customer_phone)},  # as partners see
        key=key,
        link=reverse("portal:appeal-detail", args=[appeal.pk]),
        webhooks=[RobotTarget.of(appeal.partner)],
    )

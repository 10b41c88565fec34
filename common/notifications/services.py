"""Writes of notifications: `notify` (the one entry point every app calls), reading them,
the e-mail preference, and the two deliveries the jobs make (e-mail, group robot)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.models import Notification, NotificationPreference, WebhookDelivery
from common.notifications.kinds import KINDS, notification_text, notification_title
from common.services import audit_diff, audit_record, json_safe
from common.webhooks import (
    RobotError,
    RobotTarget,
    robot_clean,
    robot_payload,
    robot_post,
    robot_url_masked,
)

logger = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    """Hand one delivery to the workers; a broker that is down loses the delivery (logged),
    never the inbox row nor the request that caused it."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("could not queue %s%s", task.name, args)


@transaction.atomic
def notify(
    *,
    users: Iterable,
    kind: str,
    facts: dict,
    key: str,
    link: str = "",
    webhooks: Iterable[RobotTarget | None] = (),
) -> int:
    """Tell `users` that an event happened, once per user and event however often it is called.

    - `users`: logins (any iterable; None, inactive and repeated users are skipped);
    - `kind`: a key of `common.notifications.kinds.KINDS` (another is a ValueError);
    - `facts`: JSON-able values the kind's text names (dates become ISO strings); the words
      are rendered when read, in the reader's language — put nothing in the facts that a
      reader may not know (a partner never learns another channel's identity);
    - `key`: the event's identity (≤ 150 characters), e.g. ``"signing:42"`` or
      ``"appeal_decided:7"``: a user who already has a notification with this key gets no
      second one, and a group robot no second message;
    - `link`: a path in the portal the notification opens (``/marketer/customers/7/``);
    - `webhooks`: group robots (`RobotTarget.of(team)`) that get the message too, in the
      default language (None entries are skipped).

    Writes the inbox rows in the caller's transaction; e-mail (per user preference) and the
    robots' messages are queued for the workers when it commits, never sent in the request.
    Returns how many inbox rows it wrote."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    facts = json_safe(dict(facts))
    written = notices_write(
        notices=[
            Notice(user=user, kind=kind, facts=facts, key=key, link=link)
            for user in users
            if user is not None
        ]
    )
    for target in {target for target in webhooks if target is not None}:
        _robot_delivery_create(target=target, kind=kind, facts=facts, key=key, link=link)
    return written


@dataclass(frozen=True)
class Notice:
    """One inbox row to write: `notify`'s arguments for one user (see there)."""

    user: Any
    kind: str
    facts: dict
    key: str
    link: str = ""


@transaction.atomic
def notices_write(*, notices: Iterable[Notice]) -> int:
    """Write many users' notifications (of one or many events) in a constant number of
    queries — the batch decisions' way to notify; each (user, key) once, e-mail queued on
    commit for those who want it. No group robots: `notify` posts those. Returns how many
    rows it wrote."""
    wanted: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        if notice.kind not in KINDS:
            raise ValueError(f"unknown notification kind {notice.kind!r}")
        if notice.user is not None and notice.user.is_active:
            wanted.setdefault((notice.user.pk, notice.key), notice)
    if not wanted:
        return 0
    known = set(
        Notification.objects.filter(
            user_id__in={user_id for user_id, _key in wanted},
            key__in={key for _user_id, key in wanted},
        ).values_list("user_id", "key")
    )
    new = {pair: notice for pair, notice in wanted.items() if pair not in known}
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                kind=notice.kind,
                facts=json_safe(dict(notice.facts)),
                link=notice.link,
                key=key,
            )
            for (user_id, key), notice in new.items()
        ],
        ignore_conflicts=True,  # a second worker telling of the same event: the database says no
    )
    mailed = set(
        NotificationPreference.objects.filter(
            user_id__in={user_id for user_id, _key in new}, email_enabled=True
        )
        .exclude(user__email="")
        .values_list("user_id", flat=True)
    )
    for user_id, key in new:
        if user_id in mailed:
            transaction.on_commit(lambda u=user_id, k=key: _queue_email(user_id=u, key=k))
    return len(new)


def _queue_email(*, user_id: int, key: str) -> None:
    from common import tasks

    _enqueue(tasks.notification_email, user_id, key)


def _robot_text(*, kind: str, facts: dict, link: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        title, text = notification_title(kind), notification_text(kind, facts)
        if link:
            words = _("Open in ChannelHub")
            text = f"{text}\n[{words}]({settings.SITE_URL}{link})"
    return title, text


def _robot_delivery_create(*, target: RobotTarget, kind: str, facts: dict, key: str, link: str):
    url_hash = hashlib.sha256(target.url.encode()).hexdigest()[:16]
    title, text = _robot_text(kind=kind, facts=facts, link=link)
    delivery, created = WebhookDelivery.objects.get_or_create(
        key=f"{key}:{url_hash}"[:200],
        defaults={
            "robot_kind": target.kind,
            "url": target.url,
            "payload": robot_payload(kind=target.kind, title=title, text=text),
        },
    )
    if created:
        from common import tasks

        transaction.on_commit(lambda: _enqueue(tasks.robot_webhook_deliver, delivery.pk))


# --- reading --------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (reading it again keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read: how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preference_set(
    *, user, email_enabled: bool, language: str = ""
) -> NotificationPreference:
    """Whether the user also gets notifications by e-mail, and in which language."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"email_enabled": bool(email_enabled), "language": (language or "")[:10]},
    )
    return preference


# --- the deliveries the workers make --------------------------------------------------------
@transaction.atomic
def notification_email_send(*, user_id: int, key: str) -> bool:
    """E-mail one notification to its user, at most once, if the user still wants e-mail and
    has an address: the row is locked and marked e-mailed in the transaction that sends."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=user_id, key=key)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.user
    preference = NotificationPreference.objects.filter(user=user).first()
    if not user.email or preference is None or not preference.email_enabled:
        return False
    with translation.override(preference.language or settings.LANGUAGE_CODE):
        subject = notification_title(notification.kind)
        body = notification_text(notification.kind, notification.facts)
        if notification.link:
            body = f"{body}\n\n{settings.SITE_URL}{notification.link}"
        footer = _("You get these e-mails because you asked for them on your notifications page.")
    EmailMessage(f"ChannelHub · {subject}", f"{body}\n\n-- \n{footer}\n", to=[user.email]).send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def robot_delivery_attempt(*, delivery_id: int, last: bool) -> str:
    """Post one robot message once more, unless delivered: "delivered", "retry" (another
    attempt follows), "failed" (`last` attempt) or "done" (nothing left to do). The row is
    locked while posting, so two workers never post it twice; the post has a timeout."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return "done"
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        try:
            robot_post(url=delivery.url, payload=delivery.payload)
        except RobotError as exc:
            delivery.last_error = str(exc)[:2000]
            delivery.status = (
                WebhookDelivery.Status.FAILED if last else WebhookDelivery.Status.PENDING
            )
            outcome = "failed" if last else "retry"
            logger.warning("robot delivery %s attempt %d: %s", delivery.pk, delivery.attempts, exc)
        else:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            outcome = "delivered"
        delivery.save()
    return outcome


# --- group robots of teams and partners -----------------------------------------------------
@transaction.atomic
def robot_webhook_set(*, actor, owner, kind: str, url: str, action: str):
    """Set (or with no kind, remove) the group robot of a team or a partner (a RobotWebhook):
    https only, an empty URL keeps the stored one; audited with the URL masked, never whole."""
    kind, url = robot_clean(kind=kind, url=url, current_url=owner.robot_url)
    before = {"robot_kind": owner.robot_kind, "robot_url": robot_url_masked(owner.robot_url)}
    owner.robot_kind, owner.robot_url = kind, url
    owner.save(update_fields=["robot_kind", "robot_url"])
    after = {"robot_kind": kind, "robot_url": robot_url_masked(url)}
    audit_record(
        actor=actor, action=action, obj=owner, changes=audit_diff(before, after), summary=""
    )
    return owner

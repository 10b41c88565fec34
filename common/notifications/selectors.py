"""Reads of the inbox: only ever the signed-in user's own notifications."""

from django.db.models import QuerySet

from common.models import Notification, NotificationPreference


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first (nobody else's: another's id is not there)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (one COUNT on a partial index)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_preference_of(*, user) -> NotificationPreference:
    """The user's preference; an unsaved default (inbox only, no e-mail) when never set."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user, email_enabled=False)

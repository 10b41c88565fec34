from functools import cached_property

from common.access import Capabilities
from common.notifications.selectors import notification_unread_count


def access(request) -> dict:
    """`{% if can.log_visits %}`: the signed-in user's capabilities (navigation and tiles)."""
    return {"can": Capabilities(getattr(request, "user", None))}


class Bell:
    """The header's bell: the unread count, counted (one query) only when a page shows it."""

    def __init__(self, request):
        self._user = getattr(request, "user", None)

    @cached_property
    def unread(self) -> int:
        return notification_unread_count(user=self._user)


def notifications(request) -> dict:
    """`{{ bell.unread }}` for the header of every signed-in page."""
    return {"bell": Bell(request)}

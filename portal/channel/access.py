"""Who opens a channel's own pages: a signed-in user holding the pages' capability whom a
selector ties to the channel the pages are scoped to (a marketer's staff record, a partner
user's partner)."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from common.access import capability_required


def channel_required(*, capability: str, find: Callable, attribute: str):
    """A view decorator: signed in (else the login page), holding `capability` and tied to a
    channel by `find(user=...)` (else 403); the view reads that channel as
    ``request.<attribute>``."""

    def decorator(view):
        @capability_required(capability)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            channel = find(user=request.user)
            if channel is None:
                raise PermissionDenied
            setattr(request, attribute, channel)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

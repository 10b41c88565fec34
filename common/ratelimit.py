"""Fixed-window counters in Django's cache (Redis in production), e.g. submissions per IP."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, ident: str, window_seconds: int) -> str:
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


def rate_limit_reached(*, scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """True when `ident` has already been counted `limit` times in the current window."""
    return (cache.get(_key(scope, ident, window_seconds)) or 0) >= limit


def rate_limit_count(*, scope: str, ident: str, window_seconds: int) -> int:
    """Count one more hit for `ident` in the current window; returns the new count."""
    key = _key(scope, ident, window_seconds)
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_seconds + 5)
        return 1


def client_ip_behind_proxy(request) -> str | None:
    """The client's address as our one TLS proxy saw it: the right-most X-Forwarded-For hop
    (the one the proxy appended; hops left of it are the client's to forge), else REMOTE_ADDR.
    Also what axes locks out by behind the proxy (AXES_CLIENT_IP_CALLABLE)."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-1] if hops else request.META.get("REMOTE_ADDR")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind our TLS proxy the hop it appended."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        address = client_ip_behind_proxy(request)
    else:
        address = request.META.get("REMOTE_ADDR")
    return address or "unknown"

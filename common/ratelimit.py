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


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the hop our own TLS proxy appended to
    X-Forwarded-For (the right-most one: anything to its left is the client's to forge)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"

"""A fixed-window rate limit on the shared cache: enough to stop enumeration of dossier codes."""

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. nginx real_ip); X-Forwarded-For is not
    # trusted here because anybody can send it.
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on ``key``; True once more than ``limit`` hits fell in the current window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds)
        count = 1
    return count > limit

"""A small fixed-window rate limit on the cache, for public pages (the verification page).

Imports nothing of the project, so it can move to core/ or be swapped for a library (the
hardening work brings django-axes for sign-in; this is for anonymous look-ups). On the local
memory cache the limit is per process; on Redis (REDIS_URL) it holds across workers.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one request of `key` in `scope`; False once more than `limit` came in the current
    window of `window` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit

"""Rate limits for the public pages (no sign-in): django-ratelimit counting on the cache.

`public_rate_limit("group", "SETTING")` wraps a view: more requests from one client address
than the setting's rate (django-ratelimit's "30/m" form, read on each request) answer 429 with
the Thai page `429.html`. The counts live in the cache named by `RATELIMIT_USE_CACHE`: on
Redis (REDIS_URL) they hold across web processes; on the embedded default's local-memory cache
each process counts its own. The client address is the one sign-in throttling uses
(`RATELIMIT_IP_META_KEY`, which honours `USE_X_FORWARDED_FOR` behind a proxy).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def is_limited(request: HttpRequest, *, group: str, setting: str) -> bool:
    """Count this request in `group`; True once the client went over the setting's rate."""

    def rate(_group: str, _request: HttpRequest) -> str:
        value = str(getattr(settings, setting)).strip()
        return value if "/" in value else f"{value}/m"  # a bare number is per minute

    try:
        return bool(is_ratelimited(request, group=group, key="ip", rate=rate, increment=True))
    except (ImproperlyConfigured, ValueError):
        # No client address (a Unix socket without the proxy's header): one shared count.
        return bool(
            is_ratelimited(
                request, group=group, key=lambda _g, _r: "unknown", rate=rate, increment=True
            )
        )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


View = Callable[..., HttpResponse]


def public_rate_limit(group: str, setting: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_limited(request, group=group, setting=setting):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

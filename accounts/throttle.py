"""Sign-in throttling, configured on django-axes (settings `AXES_*`).

Axes checks every sign-in path at the authentication backend (the portal's form, the admin's,
anything calling `authenticate(request=...)`), and counts failures per username+address pair
and per address. Two hooks of axes are filled here:

- `PortalAxesHandler`: axes has one failure limit for all its counters, but a school's
  computers share one address, so the per-address counter gets a higher limit
  (`LOGIN_FAILURE_LIMIT_PER_ADDRESS`). The per-address count is scaled onto the pair limit, so
  axes's own comparison (`failures >= AXES_FAILURE_LIMIT`) locks at either limit.
- `username_of`: names are compared case- and space-insensitively, so "Director " and
  "director" share one counter.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render


def _failure_sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes's database handler with a separate, higher limit for the per-address counter."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, *per_address = self.get_user_attempts(request, credentials)
        failures = _failure_sum(pair)
        if per_address:
            pair_limit = settings.AXES_FAILURE_LIMIT
            address_limit = max(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, 1)
            scaled = _failure_sum(per_address[0]) * pair_limit // address_limit
            failures = max(failures, scaled)
        return failures


def username_of(request, credentials: dict | None) -> str:
    """The name a failure is counted under: trimmed and lower-cased."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return str(name or "").strip().lower()[:255]


def locked_out_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The page a paused sign-in gets (HTTP 429), in Thai, saying how long to wait."""
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": settings.LOGIN_LOCKOUT_MINUTES},
        status=429,
    )

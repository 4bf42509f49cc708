"""The data-round panel and the school director's certification list on the home page."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from core.home_cards import home_context
from dmc_emis.selectors import home_summary, rounds_to_certify


@home_context
def rounds_context(user: User, today: datetime.date, panels: set[str]) -> dict[str, Any]:
    context: dict[str, Any] = {"dmc_summary": home_summary(user)}
    if "dmc_certification" in panels:
        context["dmc_to_certify"] = rounds_to_certify(user)
    return context

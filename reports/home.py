"""The latest report jobs on the home page of those who may ask for reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from accounts.models import User
from core.home_cards import home_context
from reports.selectors import jobs_visible_to

SHOWN = 5


@home_context
def report_jobs_context(
    user: AbstractBaseUser, today: datetime.date, panels: set[str]
) -> dict[str, Any]:
    assert isinstance(user, User)  # core names Django's base; the portal's user is accounts.User
    if "reports" not in panels:
        return {}
    return {"report_jobs": list(jobs_visible_to(user)[:SHOWN])}

"""The latest report jobs on the home page of those who may ask for reports."""

from __future__ import annotations

import datetime

from accounts.models import User
from core.home_cards import home_context
from reports.selectors import jobs_visible_to

SHOWN = 5


@home_context
def report_jobs_context(user: User, today: datetime.date, panels: set[str]) -> dict:
    if "reports" not in panels:
        return {}
    return {"report_jobs": list(jobs_visible_to(user)[:SHOWN])}

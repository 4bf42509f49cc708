"""The schools' surveys section on the home page (core.home_cards)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.home_cards import EmptyState, home_context
from workplans.selectors import surveys_waiting_for


@home_context
def surveys_section(
    user: AbstractBaseUser, today: datetime.date, panels: set[str]
) -> dict[str, Any]:
    """A school sees the stakeholder surveys still to answer (they open from /workplans/)."""
    # core's registry names only Django's base user; the home page is for signed-in users.
    assert isinstance(user, User)
    if not user.is_school_side:
        return {}
    waiting = surveys_waiting_for(user).count()
    if not waiting:
        state = EmptyState(
            _("Surveys"),
            _("No survey is waiting for your school."),
            _("Surveys the office sends to schools are listed at /workplans/."),
        )
    else:
        state = EmptyState(
            _("Surveys"),
            ngettext(
                "%(count)s survey is waiting for your school's answer.",
                "%(count)s surveys are waiting for your school's answer.",
                waiting,
            )
            % {"count": waiting},
            _("Open /workplans/ to answer; each school answers once."),
        )
    return {"extra_sections": [{"key": "surveys", "state": state}]}

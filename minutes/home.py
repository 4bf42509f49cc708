"""The minutes card on the home page: the resolutions a person was asked to act on."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.home_cards import CardLine, HomeCard, home_card
from minutes.selectors import follow_ups_of


@home_card("minutes")
def minutes_card(user: User, today: datetime.date) -> HomeCard:
    index = reverse("minutes:index")
    counts = follow_ups_of(user).aggregate(
        open=Count("pk", filter=Q(done_at__isnull=True)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=today)),
    )
    return HomeCard(
        title=_("Meeting minutes"),
        lines=[
            CardLine(_("Resolutions for me to act on"), counts["open"], index, "primary"),
            CardLine(_("Past their due date"), counts["overdue"], index, "danger"),
        ],
        actions=[(_("Record meeting minutes"), reverse("minutes:new"))],
    )

"""The repairs card on the home page: the school's requests, or the desk's open work."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.home_cards import CardLine, HomeCard, home_card
from repairs.models import RepairTicket
from repairs.selectors import OPEN_STATUSES, tickets_visible_to


@home_card("repairs")
def repairs_card(user: User, today: datetime.date) -> HomeCard:
    index = reverse("repairs:index")
    # Every line counts open tickets, so only those are read (by status, from an index): an
    # office's closed tickets pile up year after year.
    counts = (
        tickets_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            new=Count("pk", filter=Q(status=RepairTicket.Status.NEW)),
            open=Count("pk"),
            overdue=Count("pk", filter=Q(resolve_due_on__lt=today)),
            confirm=Count("pk", filter=Q(status=RepairTicket.Status.RESOLVED)),
        )
    )
    school_side = user.is_school_side
    return HomeCard(
        title=_("My school's repair requests") if school_side else _("Repair requests"),
        lines=[
            CardLine(_("New, not yet triaged"), counts["new"], f"{index}?status=new", "info"),
            CardLine(_("Not closed"), counts["open"], f"{index}?status=open", "primary"),
            CardLine(_("Overdue"), counts["overdue"], f"{index}?status=open&overdue=1", "danger"),
            CardLine(
                _("Resolved: awaiting confirmation"),
                counts["confirm"],
                f"{index}?status=resolved",
                "warning",
            ),
        ],
        actions=[(_("File a repair request"), reverse("repairs:new"))],
    )

"""The loans card on the home page: what the user's school has out, or the desk's counts."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.home_cards import CardLine, HomeCard, home_card
from equipment_loans.models import Loan
from equipment_loans.selectors import loans_visible_to


@home_card("loans")
def loans_card(user: User, today: datetime.date) -> HomeCard:
    index = reverse("equipment_loans:index")
    waiting = [Loan.Status.PENDING, Loan.Status.REVISION]
    ready = [Loan.Status.APPROVED, Loan.Status.READY]
    # Only loans still in hand are counted, so only those are read (by status, from an index):
    # an office's returned loans pile up year after year.
    counts = (
        loans_visible_to(user)
        .filter(status__in=[*waiting, *ready, Loan.Status.ON_LOAN])
        .aggregate(
            waiting=Count("pk", filter=Q(status__in=waiting)),
            ready=Count("pk", filter=Q(status__in=ready)),
            out=Count("pk", filter=Q(status=Loan.Status.ON_LOAN)),
            overdue=Count("pk", filter=Q(status=Loan.Status.ON_LOAN, ends_on__lt=today)),
        )
    )
    school_side = user.is_school_side
    return HomeCard(
        title=_("My school's equipment loans") if school_side else _("Equipment loans"),
        lines=[
            CardLine(_("Awaiting approval"), counts["waiting"], f"{index}?status=pending"),
            CardLine(_("Approved, to pick up"), counts["ready"], f"{index}?status=ready", "info"),
            CardLine(_("On loan"), counts["out"], f"{index}?status=on_loan", "primary"),
            CardLine(_("Overdue"), counts["overdue"], f"{index}?status=overdue", "danger"),
        ],
        actions=[
            (_("Request equipment"), reverse("equipment_loans:new")),
            (_("Availability calendar"), reverse("equipment_loans:calendar")),
            *([] if school_side else [(_("Loan desk"), reverse("equipment_loans:desk"))]),
        ],
    )

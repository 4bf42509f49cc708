"""Reads for equipment loans: who sees which loans and items, the calendar, the desk."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import filter_by_school, requests_visible_to
from core.params import int_param
from equipment_loans.models import ItemCategory, Loan, LoanItem, LoanLine
from equipment_loans.services import booked_by_day


def loans_visible_to(user: User) -> QuerySet[Loan]:
    """A school's people see their school's loans; the office sees all of its own."""
    return requests_visible_to(user, Loan.objects.select_related("school", "requester"))


def get_loan_for_user(user: User, reference: str) -> Loan:
    return get_object_or_404(
        loans_visible_to(user).prefetch_related(
            Prefetch("lines", LoanLine.objects.select_related("item", "repair_ticket"))
        ),
        reference=reference,
    )


def items_visible_to(user: User) -> QuerySet[LoanItem]:
    """The equipment an office lends; a school sees its own office's items to book them."""
    items = LoanItem.objects.select_related("asset")
    if user.is_superuser:
        return items
    office_id = (
        user.school.office_id if user.is_school_side and user.school is not None else user.office_id
    )
    return items.filter(office_id=office_id) if office_id else items.none()


def get_item_for_user(user: User, pk: int) -> LoanItem:
    return get_object_or_404(items_visible_to(user), pk=pk)


def bookable_items(user: User) -> QuerySet[LoanItem]:
    return items_visible_to(user).exclude(status=LoanItem.Status.RETIRED)


def loan_status_choices() -> list[tuple[str, str | Promise]]:
    """The list's status filter: "not finished" and "overdue", then every loan status."""
    return [("active", _("Not finished")), ("overdue", _("Overdue")), *Loan.Status.choices]


def filter_loans(loans: QuerySet[Loan], params, *, user: User | None = None) -> QuerySet[Loan]:
    """The list's filters from GET parameters; unknown values are ignored, never an error."""
    if params.get("mine") == "1" and user is not None:
        loans = loans.filter(requester=user)
    status = params.get("status", "")
    if status == "active":
        loans = loans.filter(status__in=Loan.HOLDING)
    elif status == "overdue":
        loans = loans.filter(status=Loan.Status.ON_LOAN, ends_on__lt=timezone.localdate())
    elif status in Loan.Status.values:
        loans = loans.filter(status=status)
    if params.get("kind") in Loan.Kind.values:
        loans = loans.filter(kind=params["kind"])
    loans = filter_by_school(loans, params)
    if (item_id := int_param(params.get("item"))) is not None:
        loans = loans.filter(lines__item_id=item_id).distinct()
    query = str(params.get("q", "")).strip()
    if query:
        loans = loans.filter(
            Q(reference__icontains=query)
            | Q(school__name_th__icontains=query)
            | Q(requester__first_name__icontains=query)
            | Q(requester__last_name__icontains=query)
            | Q(purpose__icontains=query)
            | Q(project__icontains=query)
        )
    return loans


def filter_items(items: QuerySet[LoanItem], params) -> QuerySet[LoanItem]:
    if params.get("category") in ItemCategory.values:
        items = items.filter(category=params["category"])
    if params.get("status") in LoanItem.Status.values:
        items = items.filter(status=params["status"])
    if (item_id := int_param(params.get("item"))) is not None:
        items = items.filter(pk=item_id)
    query = str(params.get("q", "")).strip()
    if query:
        items = items.filter(
            Q(name__icontains=query)
            | Q(asset__asset_number__icontains=query)
            | Q(location__icontains=query)
        )
    return items


# ---------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------


@dataclass
class DayCell:
    day: datetime.date
    free: int
    total: int
    references: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """free / partly / full, for the colour and the text of the cell."""
        if self.total == 0 or self.free <= 0:
            return "full"
        return "free" if self.free == self.total else "partly"


@dataclass
class ItemRow:
    item: LoanItem
    cells: list[DayCell]


def calendar_span(view: str, anchor: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days a month or week view shows around `anchor` (weeks start on Monday)."""
    if view == "week":
        first = anchor - datetime.timedelta(days=anchor.weekday())
        return first, first + datetime.timedelta(days=6)
    last_day = calendar.monthrange(anchor.year, anchor.month)[1]
    return anchor.replace(day=1), anchor.replace(day=last_day)


def availability(
    items: QuerySet[LoanItem] | list[LoanItem],
    first: datetime.date,
    last: datetime.date,
    *,
    show_references: bool = False,
) -> list[ItemRow]:
    """Free units of each item on each day from `first` to `last`.

    References of the bookings are only read when asked for (the office side); a school sees
    how much is free, not who booked it.
    """
    items = list(items)
    booked = booked_by_day([item.pk for item in items], first, last)
    who: dict[tuple[int, datetime.date], list[str]] = {}
    if show_references:
        lines = LoanLine.objects.filter(
            item_id__in=[item.pk for item in items],
            holds=True,
            starts_on__lte=last,
            ends_on__gte=first,
        ).values_list("item_id", "starts_on", "ends_on", "loan__reference")
        for item_id, starts_on, ends_on, reference in lines:
            day = max(starts_on, first)
            while day <= min(ends_on, last):
                who.setdefault((item_id, day), []).append(reference)
                day += datetime.timedelta(days=1)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    rows = []
    for item in items:
        total = item.lendable_units
        per_day = booked.get(item.pk, {})
        rows.append(
            ItemRow(
                item=item,
                cells=[
                    DayCell(
                        day=day,
                        free=max(0, total - per_day.get(day, 0)),
                        total=total,
                        references=who.get((item.pk, day), []),
                    )
                    for day in days
                ],
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Desk and history
# ---------------------------------------------------------------------------------------------


@dataclass
class Desk:
    pickups: list[Loan]
    returns_today: list[Loan]
    overdue: list[Loan]
    awaiting_approval: list[Loan]


def desk_for(user: User, *, today: datetime.date | None = None) -> Desk:
    today = today or timezone.localdate()
    loans = loans_visible_to(user)
    return Desk(
        pickups=list(
            loans.filter(
                status__in=[Loan.Status.APPROVED, Loan.Status.READY], starts_on__lte=today
            ).order_by("starts_on", "pk")
        ),
        returns_today=list(loans.filter(status=Loan.Status.ON_LOAN, ends_on=today).order_by("pk")),
        overdue=list(
            loans.filter(status=Loan.Status.ON_LOAN, ends_on__lt=today).order_by("ends_on", "pk")
        ),
        awaiting_approval=list(
            loans.filter(status=Loan.Status.PENDING).order_by("starts_on", "pk")
        ),
    )


def item_history(item: LoanItem) -> QuerySet[LoanLine]:
    """Every loan of the item, newest first, with its conditions out and back."""
    return item.lines.select_related(
        "loan", "loan__requester", "loan__school", "repair_ticket"
    ).order_by("-starts_on", "-pk")

"""Reads for repairs: who sees which tickets, and the desk's filtered list."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import filter_by_school, requests_visible_to
from core.params import int_param
from repairs.models import RepairTicket

OPEN_STATUSES = [
    RepairTicket.Status.NEW,
    RepairTicket.Status.IN_PROGRESS,
    RepairTicket.Status.AWAITING_APPROVAL,
    RepairTicket.Status.WAITING,
    RepairTicket.Status.RESOLVED,
]


def tickets_visible_to(user: User) -> QuerySet[RepairTicket]:
    """A school's people see their school's tickets; the office sees all of its own."""
    return requests_visible_to(
        user, RepairTicket.objects.select_related("school", "technician", "requester", "asset")
    )


def get_ticket_for_user(user: User, reference: str) -> RepairTicket:
    return get_object_or_404(tickets_visible_to(user), reference=reference)


def ticket_status_choices() -> list[tuple[str, str | Promise]]:
    """The desk's status filter: "not closed" (open), then every ticket status."""
    return [("open", _("Not closed")), *RepairTicket.Status.choices]


def filter_tickets(tickets: QuerySet[RepairTicket], params) -> QuerySet[RepairTicket]:
    """The desk's filters, from GET parameters; unknown values are ignored, never an error."""
    status = params.get("status", "")
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status in RepairTicket.Status.values:
        tickets = tickets.filter(status=status)
    category_choices = RepairTicket._meta.get_field("category").choices
    assert category_choices is not None  # category is a choices field
    if params.get("category") in dict(category_choices):
        tickets = tickets.filter(category=params["category"])
    tickets = filter_by_school(tickets, params)
    if (technician_id := int_param(params.get("technician"))) is not None:
        tickets = tickets.filter(technician_id=technician_id)
    if params.get("overdue") == "1":
        tickets = tickets.filter(status__in=OPEN_STATUSES, resolve_due_on__lt=timezone.localdate())
    query = str(params.get("q", "")).strip()
    if query:
        tickets = tickets.filter(
            Q(reference__icontains=query)
            | Q(school__name_th__icontains=query)
            | Q(asset__asset_number__icontains=query)
            | Q(asset_number_text__icontains=query)
            | Q(symptom__icontains=query)
        )
    return tickets

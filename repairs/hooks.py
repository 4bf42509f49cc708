"""A ticket follows its case: status, technician hand-over, waiting time, satisfaction."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import thaitime
from core.params import int_param
from processes.hooks import CaseChange, TaskPlan, on_case_change, on_task_opening
from processes.models import Task
from processes.services import notify
from repairs.models import Asset, RepairTicket

STATUS_BY_STEP = {
    "triage": RepairTicket.Status.NEW,
    "diagnose": RepairTicket.Status.IN_PROGRESS,
    "purchase_request": RepairTicket.Status.IN_PROGRESS,
    "purchase_approval": RepairTicket.Status.AWAITING_APPROVAL,
    "wait_parts": RepairTicket.Status.WAITING,
    "repair": RepairTicket.Status.IN_PROGRESS,
    "confirm": RepairTicket.Status.RESOLVED,
}
TECHNICIAN_STEPS = {"diagnose", "purchase_request", "wait_parts", "repair"}


@on_task_opening("repair-ticket")
def technician_works_the_ticket(case, step, level) -> TaskPlan | None:
    """The technician chosen at triage works the ticket's technical steps from the start."""
    if step.key not in TECHNICIAN_STEPS:
        return None
    ticket = RepairTicket.objects.filter(case=case).select_related("technician").first()
    if ticket is None or ticket.technician is None:
        return None
    return TaskPlan(assignee=ticket.technician)


@on_case_change("repair-ticket")
def follow_case(change: CaseChange) -> None:
    ticket = RepairTicket.objects.filter(case=change.case).first()
    if ticket is None:
        return  # the case is being started; the ticket is created right after
    now = timezone.now()
    changed: set[str] = set()
    if change.kind == "entered":
        assert change.step is not None and change.task is not None  # entered carries both
        new_status = STATUS_BY_STEP.get(change.step.key, ticket.status)
        if new_status != ticket.status:
            _tell_requester(ticket, new_status, change.task)
        ticket.status = new_status
        changed.add("status")
        if change.step.key == "wait_parts":
            ticket.waiting_since = now
            changed.add("waiting_since")
        if change.step.key == "confirm":
            ticket.resolved_at = now
            changed.add("resolved_at")
        if change.step.key in ("diagnose", "repair") and ticket.asset_id:
            Asset.objects.filter(pk=ticket.asset_id).update(status=Asset.Status.IN_REPAIR)
    elif change.kind == "decided":
        assert change.step is not None and change.task is not None  # decided carries both
        if change.step.key == "triage" and ticket.first_response_at is None:
            ticket.first_response_at = now
            changed.add("first_response_at")
        if change.step.key == "wait_parts":
            changed |= _stop_waiting(ticket, now)
        if change.step.key == "confirm" and change.outcome == "accepted":
            rating = (change.task.data or {}).get("rating")
            if (score := int_param(rating, maximum=5)) is not None and score >= 1:
                ticket.satisfaction = score
                ticket.satisfaction_comment = (change.task.data or {}).get("feedback", "")
                changed |= {"satisfaction", "satisfaction_comment"}
    elif change.kind == "paused" and ticket.waiting_since is None:
        # A step paused while waiting on the school (or a vendor) stops the repair clock too.
        ticket.waiting_since = now
        changed.add("waiting_since")
    elif change.kind == "resumed":
        changed |= _stop_waiting(ticket, now)
    elif change.kind == "closed":
        rejected = change.outcome == "reject"
        ticket.status = RepairTicket.Status.CANCELLED if rejected else RepairTicket.Status.CLOSED
        ticket.closed_at = now
        changed |= {"status", "closed_at"}
        # The engine itself tells the requester that the case closed.
        if ticket.asset_id and not rejected:
            Asset.objects.filter(pk=ticket.asset_id, status=Asset.Status.IN_REPAIR).update(
                status=Asset.Status.IN_USE
            )
    if changed:
        ticket.save(update_fields=sorted(changed))


def _stop_waiting(ticket: RepairTicket, now) -> set[str]:
    """Move the resolve date by the working days spent waiting; return the changed fields."""
    if ticket.waiting_since is None:
        return set()
    waited, ticket.resolve_due_on = thaitime.pause_extension(
        ticket.resolve_due_on, timezone.localdate(ticket.waiting_since), timezone.localdate(now)
    )
    ticket.paused_working_days += waited
    ticket.waiting_since = None
    return {"paused_working_days", "resolve_due_on", "waiting_since"}


def _tell_requester(ticket: RepairTicket, status: str, task: Task) -> None:
    """The school hears of every change of its request's status (e-mail and the portal)."""
    notify(
        recipients=[ticket.requester],
        case=ticket.case,
        kind="ticket_status",
        subject=_("%(reference)s: %(status)s")
        % {"reference": ticket.reference, "status": RepairTicket.Status(status).label},
        dedupe=f"ticket-status:{task.pk}",
    )

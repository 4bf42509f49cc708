"""Writes for repairs: filing a ticket, triage, comments, the work log; each through the engine."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleCode, School, User
from accounts.selectors import authority_for
from accounts.services import check_request_scope
from core import thaitime
from core.uploads import CONTENT_TYPES, check_uploads
from processes.models import ProcessDefinition, Task
from processes.services import case_start, notify, task_assign, task_complete
from repairs.hooks import TECHNICIAN_STEPS
from repairs.models import (
    Asset,
    Category,
    Priority,
    RepairTicket,
    SlaTarget,
    TicketAttachment,
    TicketComment,
    WorkLog,
)

REPAIR_PROCESS = "repair-ticket"


# Categories whose trouble need not be a piece of registered equipment.
NO_EQUIPMENT_CATEGORIES = (Category.SOFTWARE, Category.NETWORK, Category.OTHER)


def _check_equipment_named(
    *, category: str, asset: Asset | None, asset_number_text: str, serial_text: str
) -> None:
    """The technician must know which machine: from the register, or by its number."""
    if asset or asset_number_text.strip() or serial_text.strip():
        return
    if category not in NO_EQUIPMENT_CATEGORIES:
        raise ValidationError(
            {
                "asset_number_text": _(
                    "Choose the asset from the list, or type its asset number or serial number."
                )
            }
        )


def service_targets(
    *, filed_at: datetime.datetime, priority: str
) -> tuple[datetime.datetime, datetime.date]:
    """(first response due, resolve due) for a ticket filed at `filed_at` with `priority`."""
    target = SlaTarget.objects.filter(priority=priority).first()
    hours, days = (target.first_response_hours, target.resolve_days) if target else (8, 5)
    return (
        thaitime.add_working_hours(filed_at, hours),
        thaitime.add_working_days(timezone.localdate(filed_at), days),
    )


def _check_filing_scope(*, requester: User, school: School | None, asset: Asset | None) -> None:
    check_request_scope(requester=requester, school=school)
    if asset is not None:
        same_place = asset.school_id == (school.pk if school else None)
        if not same_place or asset.office_id != (
            school.office_id if school else requester.office_id
        ):
            raise ValidationError(
                {"asset": _("This asset is not registered to the school of the request.")}
            )


def ticket_file(
    *,
    requester: User,
    school: School | None,
    category: str,
    symptom: str,
    location: str,
    urgency: str,
    contact_phone: str,
    asset: Asset | None = None,
    asset_number_text: str = "",
    serial_text: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> RepairTicket:
    """File a repair request (แบบแจ้งซ่อมออนไลน์) and start its case; nothing is kept on error."""
    _check_filing_scope(requester=requester, school=school, asset=asset)
    _check_equipment_named(
        category=category, asset=asset, asset_number_text=asset_number_text, serial_text=serial_text
    )
    check_uploads(uploads)
    definition = ProcessDefinition.objects.filter(code=REPAIR_PROCESS, is_active=True).first()
    if definition is None:
        raise ValidationError(_("The repair process is not set up; ask the administrator."))
    office = school.office if school else requester.office
    with transaction.atomic():
        case = case_start(
            definition=definition,
            requester=requester,
            title=f"{symptom.strip()[:120]}",
            office=office,
            school=school,
        )
        now = timezone.now()
        response_due, resolve_due = service_targets(filed_at=now, priority=urgency)
        ticket = RepairTicket(
            office=office,
            school=school,
            case=case,
            reference=case.reference,
            requester=requester,
            category=category,
            asset=asset,
            asset_number_text=asset_number_text.strip(),
            serial_text=serial_text.strip(),
            symptom=symptom.strip(),
            location=location.strip(),
            urgency=urgency,
            priority=urgency,
            contact_phone=contact_phone.strip(),
            response_due_at=response_due,
            resolve_due_on=resolve_due,
        )
        ticket.full_clean(exclude=["case"])
        ticket.save()
        for upload in uploads:
            assert upload.name is not None and upload.size is not None  # set on every upload
            TicketAttachment.objects.create(
                ticket=ticket,
                file=upload,
                original_name=upload.name[:255],
                content_type=CONTENT_TYPES[Path(upload.name).suffix.lower()],
                size=upload.size,
                uploaded_by=requester,
            )
    return ticket


def _open_task(ticket: RepairTicket, step_key: str) -> Task | None:
    return (
        ticket.case.tasks.filter(status=Task.Status.OPEN, step__key=step_key)
        .select_related("step")
        .first()
    )


def ticket_triage(
    *, ticket: RepairTicket, user: User, priority: str, technician: User
) -> RepairTicket:
    """Set the priority and technician and finish the triage step (the first response)."""
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    works_here = technician.office_id == ticket.office_id and (
        authority_for(technician, RoleCode.STAFF) or authority_for(technician, RoleCode.GROUP_HEAD)
    )
    if not works_here:
        raise ValidationError({"technician": _("The technician must be staff of this office.")})
    task = _open_task(ticket, "triage")
    if task is None:
        raise ValidationError(_("This ticket has already been triaged."))
    with transaction.atomic():
        ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
        ticket.priority = priority
        ticket.technician = technician
        _response_due, ticket.resolve_due_on = service_targets(
            filed_at=ticket.created_at, priority=priority
        )
        ticket.save(update_fields=["priority", "technician", "resolve_due_on"])
        # The case hook hands the next steps to the technician.
        task_complete(task=task, user=user, outcome="done")
    ticket.refresh_from_db()
    return ticket


def ticket_comment(*, ticket: RepairTicket, user: User, body: str) -> TicketComment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Please write a comment.")})
    with transaction.atomic():
        comment = TicketComment.objects.create(ticket=ticket, author=user, body=body[:5000])
        others = cast(set[User], {ticket.requester, ticket.technician} - {user, None})
        notify(
            recipients=others,
            case=ticket.case,
            kind="ticket_comment",
            subject=_("%(reference)s: new comment") % {"reference": ticket.reference},
            body=comment.body,
            dedupe=f"ticket-comment:{comment.pk}",
        )
    return comment


def work_log_add(
    *,
    ticket: RepairTicket,
    user: User,
    worked_on: datetime.date,
    minutes: int,
    action: str,
    parts: str = "",
    parts_cost: Decimal = Decimal(0),
) -> WorkLog:
    if user.is_school_side:
        raise PermissionDenied(_("Only the ICT group records work."))
    entry = WorkLog(
        ticket=ticket,
        author=user,
        worked_on=worked_on,
        minutes=minutes,
        action=action.strip(),
        parts=parts.strip(),
        parts_cost=parts_cost,
    )
    entry.full_clean()
    entry.save()
    return entry


def ticket_assign(*, ticket: RepairTicket, user: User, technician: User) -> RepairTicket:
    """Hand a ticket to a technician: triage it if still new, else pass its current work on."""
    if authority_for(user, RoleCode.GROUP_HEAD) is None or user.office_id != ticket.office_id:
        raise PermissionDenied(_("Only the group head assigns technicians."))
    if _open_task(ticket, "triage") is not None:
        return ticket_triage(
            ticket=ticket, user=user, priority=ticket.priority, technician=technician
        )
    with transaction.atomic():
        ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
        ticket.technician = technician
        ticket.save(update_fields=["technician"])
        open_work = ticket.case.tasks.filter(
            status=Task.Status.OPEN, step__key__in=sorted(TECHNICIAN_STEPS)
        )
        for task in open_work:
            task_assign(task=task, assignee=technician, user=user)
    return ticket


def tickets_bulk_assign(
    *, tickets: Sequence[RepairTicket], user: User, technician: User
) -> tuple[int, list[str]]:
    """Assign many tickets; each one stands alone, so one refusal does not undo the others."""
    done, problems = 0, []
    for ticket in tickets:
        try:
            ticket_assign(ticket=ticket, user=user, technician=technician)
        except (ValidationError, PermissionDenied) as error:
            problems.append(
                f"{ticket.reference}: {' '.join(getattr(error, 'messages', [str(error)]))}"
            )
        else:
            done += 1
    return done, problems


def service_target_pass(*, now: datetime.datetime) -> dict[str, int]:
    """Tell the group head about tickets past their service targets; once per ticket and target.

    Runs hourly (first responses are counted in working hours); the dedupe keys of the outbox
    make a second run send nothing.
    """
    from processes.selectors import role_holders
    from repairs.selectors import OPEN_STATUSES

    counts = {"response": 0, "resolve": 0}
    late_answers = RepairTicket.objects.filter(
        status=RepairTicket.Status.NEW, first_response_at__isnull=True, response_due_at__lt=now
    ).select_related("case")
    for ticket in late_answers:
        notify(
            recipients=role_holders(role=RoleCode.GROUP_HEAD, case=ticket.case),
            case=ticket.case,
            kind="ticket_response_late",
            subject=_("%(reference)s: no first response yet (due %(due)s)")
            % {
                "reference": ticket.reference,
                "due": thaitime.format_thai_datetime(ticket.response_due_at),
            },
            dedupe=f"rp-response:{ticket.pk}",
        )
        counts["response"] += 1
    late_fixes = (
        RepairTicket.objects.filter(
            status__in=OPEN_STATUSES, resolve_due_on__lt=timezone.localdate(now)
        )
        .exclude(status__in=[RepairTicket.Status.WAITING, RepairTicket.Status.RESOLVED])
        .select_related("case", "technician")
    )
    for ticket in late_fixes:
        heads = role_holders(role=RoleCode.GROUP_HEAD, case=ticket.case)
        notify(
            recipients=[*heads, *([ticket.technician] if ticket.technician else [])],
            case=ticket.case,
            kind="ticket_resolve_late",
            subject=_("%(reference)s: past its repair target (%(due)s)")
            % {
                "reference": ticket.reference,
                "due": thaitime.format_thai_date(ticket.resolve_due_on),
            },
            dedupe=f"rp-resolve:{ticket.pk}:{ticket.resolve_due_on}",
        )
        counts["resolve"] += 1
    return counts

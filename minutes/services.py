"""Writes of the minutes. A resolution's follow-up tells its assignee through the engine's
outbox (processes.services.notify), tied to the case, once."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from minutes.models import AgendaItem, Attendee, FollowUp, Meeting
from minutes.selectors import can_record
from processes.models import Case
from processes.selectors import cases_visible_to
from processes.services import notify

MEETING_FIELDS = (
    "step",
    "title",
    "number",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "recorder",
    "checker",
)


def _require_recorder(user: User, office_id: int) -> None:
    if not can_record(user, office_id):
        raise PermissionDenied(_("Only the office's staff and group head record minutes."))


@transaction.atomic
def meeting_save(
    *,
    user: User,
    case: Case | None = None,
    meeting: Meeting | None = None,
    values: Mapping[str, Any],
    attendees: Sequence[Mapping[str, Any]],
    items: Sequence[Mapping[str, Any]],
) -> Meeting:
    """Create or change a meeting with its attendees (replaced) and agenda items (kept by id;
    an item whose resolution has follow-ups cannot be removed)."""
    if meeting is None:
        if case is None or not cases_visible_to(user).filter(pk=case.pk).exists():
            raise PermissionDenied
        _require_recorder(user, case.office_id)
        meeting = Meeting(office_id=case.office_id, case=case, created_by=user)
    else:
        _require_recorder(user, meeting.office_id)
    for name in MEETING_FIELDS:
        if name in values:
            setattr(meeting, name, values[name])
    if (
        meeting.step_id
        and meeting.step is not None
        and meeting.step.version_id != meeting.case.version_id
    ):
        raise ValidationError({"step": _("The step is not one of this case's steps.")})
    present = [a for a in attendees if (a.get("name") or "").strip()]
    if not any(a.get("present", True) for a in present):
        raise ValidationError(_("List at least one person present at the meeting."))
    meeting.full_clean()
    meeting.save()
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            position=i,
            name=a["name"].strip(),
            post=(a.get("post") or "").strip(),
            role=(a.get("role") or "").strip(),
            present=a.get("present", True),
            absence_reason=(a.get("absence_reason") or "").strip(),
        )
        for i, a in enumerate(present, start=1)
    )
    kept = []
    number = 0
    for row in items:
        if not (row.get("title") or "").strip():
            continue
        number += 1
        item = meeting.items.filter(pk=row["pk"]).first() if row.get("pk") else None
        item = item or AgendaItem(meeting=meeting)
        item.number = number
        item.title = row["title"].strip()
        item.details = (row.get("details") or "").strip()
        item.resolution = (row.get("resolution") or "").strip()
        item.full_clean()
        item.save()
        kept.append(item.pk)
    dropped = meeting.items.exclude(pk__in=kept)
    if dropped.filter(follow_ups__isnull=False).exists():
        raise ValidationError(_("An agenda item whose resolution has follow-ups stays."))
    dropped.delete()
    return meeting


@transaction.atomic
def follow_up_create(
    *, user: User, item: AgendaItem, assignee: User, action: str, due_on: datetime.date
) -> FollowUp:
    meeting = item.meeting
    _require_recorder(user, meeting.office_id)
    if not item.resolution.strip():
        raise ValidationError(_("Record the resolution first."))
    if assignee.office_id != meeting.office_id or assignee.is_school_side or not assignee.is_active:
        raise ValidationError({"assignee": _("The assignee must be one of the office's people.")})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _("The due date is before the meeting.")})
    follow_up = FollowUp(
        item=item, assignee=assignee, action=action.strip(), due_on=due_on, created_by=user
    )
    follow_up.full_clean()
    follow_up.save()
    notify(
        recipients=[assignee],
        case=meeting.case,
        kind="meeting_follow_up",
        subject=_("%(reference)s: follow the resolution of %(meeting)s by %(due)s")
        % {
            "reference": meeting.case.reference,
            "meeting": meeting.title,
            "due": due_on.strftime("%d/%m/") + str(due_on.year + 543),
        },
        body=f"{item.number}. {item.title}\n{_('Resolution')}: {item.resolution}\n"
        f"{_('To do')}: {follow_up.action}",
        dedupe=f"meeting-follow-up:{follow_up.pk}",
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, user: User, follow_up: FollowUp, note: str) -> FollowUp:
    """The assignee (or the office's staff and group head) reports the follow-up done."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.assignee_id != user.pk:
        _require_recorder(user, follow_up.item.meeting.office_id)
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.done_note = note.strip()[:500]
        follow_up.save(update_fields=["done_at", "done_note"])
    return follow_up

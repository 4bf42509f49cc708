"""The minutes (รายงานการประชุม) as a PDF in the official style, through core.pdf, rendered in
the background (core.render_jobs) for whoever may read the meeting."""

from __future__ import annotations

from typing import Any

from core.pdf import render_pdf
from core.render_jobs import digest, register_renderer, rows
from minutes.models import AgendaItem, FollowUp, Meeting
from minutes.selectors import get_meeting_for_user


def minutes_pdf(meeting: Meeting) -> bytes:
    attendees = list(meeting.attendees.all())
    return render_pdf(
        "minutes/minutes_pdf.html",
        {
            "meeting": meeting,
            "office": meeting.case.office,
            "present": [a for a in attendees if a.present],
            "absent": [a for a in attendees if not a.present],
            "items": list(meeting.items.prefetch_related("follow_ups__assignee")),
        },
    )


def minutes_version(meeting: Meeting) -> str:
    """Everything the minutes print: the meeting, its attendees, items and follow-ups."""
    return digest(
        rows(Meeting.objects.filter(pk=meeting.pk)),
        rows(meeting.attendees.all()),
        rows(AgendaItem.objects.filter(meeting=meeting)),
        rows(FollowUp.objects.filter(item__meeting=meeting)),
    )


def _render(meeting: Meeting, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return minutes_pdf(meeting), f"minutes-{meeting.pk}.pdf"


register_renderer(
    "minutes.meeting",
    access=lambda user, arguments: get_meeting_for_user(user, arguments["pk"]),
    render=_render,
    title=lambda meeting: f"รายงานการประชุม {meeting.title} ครั้งที่ {meeting.number}",
    version=minutes_version,
)

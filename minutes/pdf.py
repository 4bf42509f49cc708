"""The minutes (รายงานการประชุม) as a PDF in the official style, through core.pdf."""

from __future__ import annotations

from core.pdf import render_pdf
from minutes.models import Meeting


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

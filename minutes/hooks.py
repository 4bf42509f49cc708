"""How minutes show on the engine's case page (processes.case_links)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from minutes.models import Meeting
from minutes.selectors import can_record
from processes.case_links import CaseLink, case_links


@case_links
def minutes_links(case, user) -> list[CaseLink]:
    if user.is_school_side:
        return []
    links = [
        CaseLink(_("Minutes: %(meeting)s") % {"meeting": m}, m.get_absolute_url())
        for m in Meeting.objects.filter(case=case).order_by("held_on", "pk")
    ]
    if can_record(user, case.office_id) and case.is_open:
        links.append(
            CaseLink(
                _("Record meeting minutes"),
                f"{reverse('minutes:new')}?case={case.reference}",
                action=True,
            )
        )
    return links

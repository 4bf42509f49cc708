"""How trainings show on the engine's case page: the case's trainings, and "new training" for
the office's staff and group head. The engine does not know this app (processes.case_links)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from processes.case_links import CaseLink, case_links
from trainings.selectors import can_manage, trainings_visible_to


@case_links
def training_links(case, user) -> list[CaseLink]:
    links = [
        CaseLink(_("Training: %(title)s") % {"title": t.title}, t.get_absolute_url())
        for t in trainings_visible_to(user).filter(case=case).order_by("created_at")
    ]
    if can_manage(user, case.office_id) and case.state != case.State.CANCELLED:
        links.append(
            CaseLink(
                _("New training on this case"),
                f"{reverse('trainings:new')}?case={case.reference}",
                action=True,
            )
        )
    return links

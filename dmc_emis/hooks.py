"""A school's round entry follows its case: each decision moves the status the board shows."""

from __future__ import annotations

from django.utils import timezone

from dmc_emis.models import RoundSchool, SchoolStatus
from processes.hooks import CaseChange, on_case_change

# (step decided, outcome) -> the school's status afterwards.
STATUS_AFTER = {
    ("school_submit", "done"): SchoolStatus.SUBMITTED,
    ("check", "issues_found"): SchoolStatus.ISSUES_FOUND,
    ("check", "clean"): SchoolStatus.CHECKED_CLEAN,
    ("school_fix", "done"): SchoolStatus.CORRECTED,
    ("school_confirm", "done"): SchoolStatus.CONFIRMED,
    ("school_certify", "certified"): SchoolStatus.CERTIFIED,
    ("school_certify", "send_back"): SchoolStatus.ISSUES_FOUND,
    ("office_certify", "send_back"): SchoolStatus.ISSUES_FOUND,
}


@on_case_change("dmc-round")
def follow_case(change: CaseChange) -> None:
    fields: dict = {"last_activity_at": timezone.now()}
    if change.kind == "decided" and change.step is not None:
        status = STATUS_AFTER.get((change.step.key, change.outcome))
        if status:
            fields["status"] = status
    elif change.kind == "closed":
        fields["status"] = SchoolStatus.ACKNOWLEDGED
    # Cases opened outside a round (e.g. demo cases started by hand) have no entry: no rows match.
    RoundSchool.objects.filter(case_id=change.case.pk).update(**fields)

"""A school's round entry follows its case: each decision moves the status the board shows.

Student-data rounds run `dmc-round` cases (8 statuses); simple duties run `data-duty` cases
(4 statuses). Each map writes only statuses of its own kind's subset.
"""

from __future__ import annotations

from django.utils import timezone

from dmc_emis.models import RoundSchool, SchoolStatus
from processes.hooks import CaseChange, TaskPlan, on_case_change, on_task_opening

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


# A simple duty: the school starts, submits (note, optional evidence); the office checks or
# sends it back with a note (the engine's "return" asks for one), and the school submits again.
DUTY_STATUS_AFTER = {
    ("school_start", "done"): SchoolStatus.IN_PROGRESS,
    ("school_submit", "done"): SchoolStatus.SUBMITTED,
    ("office_check", "checked"): SchoolStatus.CHECKED,
    ("office_check", "return"): SchoolStatus.IN_PROGRESS,
}


@on_case_change("data-duty")
def follow_duty_case(change: CaseChange) -> None:
    fields: dict = {"last_activity_at": timezone.now()}
    if change.kind == "decided" and change.step is not None:
        status = DUTY_STATUS_AFTER.get((change.step.key, change.outcome))
        if status:
            fields["status"] = status
    RoundSchool.objects.filter(case_id=change.case.pk).update(**fields)


@on_task_opening("data-duty")
def check_by_responsible_staff(case, step, level) -> TaskPlan | None:
    """The office's check goes to the round's responsible staff member when the round names
    exactly one; with several (or none) it stays with the staff role, so any of them, or the
    group head, takes it, and the engine's assignment hands it on."""
    if step.key != "office_check":
        return None
    entry = RoundSchool.objects.filter(case_id=case.pk).select_related("round").first()
    if entry is None:
        return None
    staff = list(entry.round.responsible_staff.filter(is_active=True)[:2])
    return TaskPlan(assignee=staff[0]) if len(staff) == 1 else None

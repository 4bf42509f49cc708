"""What each kind of notification is called, for people (the admin's outbox list).

`Notification.kind` is a free code that every app writes (`task_assigned`, `loan_due`, …);
these are their names. A code missing here shows as "other notice (code)" and a test lists
every kind the project's code queues, so a new kind without a name fails it.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    # the engine
    "task_assigned": _("task assigned"),
    "task_opened": _("new task"),
    "task_return": _("returned for revision"),
    "task_reject": _("rejected"),
    "case_closed": _("case closed"),
    "step_notice": _("step notice"),
    "daily_digest": _("daily digest"),
    # repairs
    "ticket_status": _("repair ticket status"),
    "ticket_comment": _("repair ticket comment"),
    "ticket_response_late": _("repair response late"),
    "ticket_resolve_late": _("repair resolution late"),
    # equipment loans
    "loan_ready": _("loan ready for pick-up"),
    "loan_due": _("loan due for return"),
    "loan_overdue": _("loan overdue"),
    "loan_escalated": _("overdue loan escalated"),
    # student-data rounds
    "dmc_findings": _("data round findings"),
    "dmc_reminder": _("data round reminder"),
    "dmc_deadline_summary": _("data round deadline summary"),
    "duty_staff_reminder": _("data duty reminder to the responsible staff"),
    # plans, registers, minutes, reports
    "plan_year_end": _("plan year-end follow-up"),
    "survey_open": _("survey open"),
    "log_check_due": _("traffic-log check due"),
    "log_check_missed": _("traffic-log check missed"),
    "meeting_follow_up": _("meeting follow-up"),
    "monthly_summary": _("monthly summary"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    if label is not None:
        return str(label)
    return gettext("other notice (%(code)s)") % {"code": kind}

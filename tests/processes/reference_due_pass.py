"""The daily pass as it was before it became set-based (commit c7cc286): one task at a time,
one transaction per task, the people told found per task, one digest per person composed one
by one. (It wrote a line per person and task; here the lines are kept in memory and a notice
per task is written instead, which is what the set-based pass stores.)

Kept only as the oracle of `test_set_based_pass.py`: on the same data, on a day with no digest
yet, the set-based pass must stamp the same tasks, record the same notices and compose the same
digests for the same people. It lists every line (set the per-stage limit high to compare).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import thaitime
from processes.models import Case, Notification, StepKind, Task, TaskNotice
from processes.selectors import ESCALATION, role_holders, task_holders
from processes.services import _complete_by_itself


def reference_due_date_pass(*, today: datetime.date) -> dict[str, int]:
    counts = {"woken": 0, "auto_done": 0, "reminded": 0, "breached": 0, "escalated": 0}
    open_tasks = Task.objects.open().filter(case__state=Case.State.RUNNING)
    for task in open_tasks.filter(step__kind=StepKind.WAIT_UNTIL, due_on__lte=today):
        counts["woken"] += _complete_by_itself(task, _("The date arrived."))
    lapsing = open_tasks.filter(step__auto_done_after_days__isnull=False, paused_at__isnull=True)
    for task in lapsing.select_related("step"):
        started = timezone.localdate(task.started_at)
        days = task.step.auto_done_after_days
        if days is not None and thaitime.add_working_days(started, days) <= today:
            counts["auto_done"] += _complete_by_itself(
                task,
                _("Closed by itself after %(days)s working days without an answer.")
                % {"days": task.step.auto_done_after_days},
            )
    running = open_tasks.exclude(step__kind=StepKind.WAIT_UNTIL).filter(
        paused_at__isnull=True, due_on__isnull=False
    )
    running = running.select_related("case", "step", "assignee")
    tomorrow = thaitime.add_working_days(today, 1)
    escalate_before = thaitime.add_working_days(today, -settings.ESCALATE_AFTER_WORKING_DAYS)
    Stage = TaskNotice.Stage
    stages = [
        ("reminded", "reminded_on", Q(due_on__gt=today, due_on__lte=tomorrow), Stage.DUE_SOON),
        ("breached", "breach_notified_on", Q(due_on__lt=today), Stage.OVERDUE),
        ("escalated", "escalated_on", Q(due_on__lte=escalate_before), Stage.ESCALATED),
    ]
    lines: dict[int, list[tuple[str, Task]]] = {}
    for count_key, stamp, condition, stage in stages:
        for task in running.filter(condition, **{f"{stamp}__isnull": True}).iterator(2000):
            recipients = _recipients(task, stage)
            with transaction.atomic():
                claimed = Task.objects.filter(pk=task.pk, **{f"{stamp}__isnull": True}).update(
                    **{stamp: today}
                )
                if claimed:
                    TaskNotice.objects.create(task=task, stage=stage, day=today)
                    for person in recipients:
                        lines.setdefault(person.pk, []).append((stage, task))
                    counts[count_key] += 1
    counts["digests"] = _compose(lines, today=today)
    return counts


def _recipients(task: Task, stage: str) -> list[User]:
    if stage != TaskNotice.Stage.ESCALATED:
        return task_holders(task)
    role = ESCALATION.get(task.role)
    return role_holders(role=role, case=task.case) if role else []


def _compose(lines: dict[int, list[tuple[str, Task]]], *, today: datetime.date) -> int:
    for person, person_lines in lines.items():
        with transaction.atomic():
            subject, body = _text(person_lines, today)
            Notification.objects.create(
                recipient=User.objects.get(pk=person),
                kind="daily_digest",
                subject=subject,
                body=body,
                url=reverse("processes:my_tasks"),
                dedupe_key=f"digest:{today.isoformat()}:{person}",
            )
    return len(lines)


def _text(person_lines: list[tuple[str, Task]], today: datetime.date) -> tuple[str, str]:
    ordered = sorted(person_lines, key=lambda line: (line[1].due_on, line[1].pk))
    by_stage = {stage: [t for s, t in ordered if s == stage] for stage in TaskNotice.Stage}
    subject = _(
        "Your work on %(date)s: %(soon)s due soon, %(late)s overdue, %(up)s to follow up"
    ) % {
        "date": thaitime.format_thai_date(today),
        "soon": len(by_stage[TaskNotice.Stage.DUE_SOON]),
        "late": len(by_stage[TaskNotice.Stage.OVERDUE]),
        "up": len(by_stage[TaskNotice.Stage.ESCALATED]),
    }
    body = []
    for stage, tasks in by_stage.items():
        if not tasks:
            continue
        body.append(f"{TaskNotice.Stage(stage).label}:")
        for task in tasks:
            late = thaitime.working_days_between(task.due_on, today) if task.due_on else 0
            body.append(
                "- "
                + _("%(reference)s %(step)s, due %(due)s")
                % {
                    "reference": task.case.reference,
                    "step": task.step.name_th,
                    "due": thaitime.format_thai_date(task.due_on),
                }
                + (" " + _("(%(days)s working days late)") % {"days": late} if late > 0 else "")
            )
    return subject[:255], "\n".join(body)

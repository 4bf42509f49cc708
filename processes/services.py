"""Writes of the workflow engine. Every change of a case goes through `task_complete` and friends,
which lock the case, check authority and source state, and write the audit event in the same
transaction as the change."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, RoleCode, School, User
from core import thaitime
from processes.form_schema import validate_form_data
from processes.hooks import CaseChange, notify_listeners
from processes.models import (
    Case,
    CaseEvent,
    DefinitionVersion,
    Notification,
    Outcome,
    ProcessDefinition,
    ReferenceCounter,
    Responsible,
    StepDefinition,
    StepKind,
    Task,
    TaskAttachment,
)
from processes.selectors import (
    ESCALATION,
    can_assign,
    role_holders,
    task_authority,
    task_holders,
)

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 8


class TaskAlreadyDecided(Exception):
    """Someone else decided the task first; the message says who and when."""


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


def next_reference(*, prefix: str, fiscal_year: int) -> str:
    """`PREFIX-2570-000123`: numbered per prefix and fiscal year, gap-free under concurrency."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, fiscal_year=fiscal_year
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{prefix}-{fiscal_year}-{counter.last_number:06d}"


# ---------------------------------------------------------------------------
# Cases and tasks
# ---------------------------------------------------------------------------


@transaction.atomic
def case_start(
    *,
    definition: ProcessDefinition,
    requester: User,
    title: str,
    office: Office | None = None,
    school: School | None = None,
    subject: Any = None,
    data: Mapping[str, Any] | None = None,
    reference_prefix: str | None = None,
) -> Case:
    """Start a case on the definition's published version and open its first task."""
    version = definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if version is None:
        raise ValidationError(_("This process has no published version yet."))
    office = office or (school.office if school else requester.office)
    if office is None:
        raise ValidationError(_("The case needs an office."))
    today = timezone.localdate()
    fiscal_year = thaitime.fiscal_year_of(today)
    case = Case(
        office=office,
        version=version,
        reference=next_reference(
            prefix=reference_prefix or definition.reference_prefix, fiscal_year=fiscal_year
        ),
        title=title,
        fiscal_year=fiscal_year,
        requester=requester,
        school=school,
        data=dict(data or {}),
    )
    if subject is not None:
        case.subject = subject
    case.full_clean()
    case.save()
    first = version.first_step()
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STARTED, actor=requester, to_step=first)
    notify_listeners(CaseChange(kind="started", case=case, step=first, actor=requester))
    _enter_step(case=case, step=first, actor=requester)
    return case


def _enter_step(*, case: Case, step: StepDefinition, actor: User | None, outcome: str = "") -> None:
    """Open the work of `step`, or pass through the steps that need no one (notify, due waits).

    `outcome` is the decision that led here: a reject that reaches the end closes the case as
    not approved.
    """
    # Notify and due wait steps complete themselves; a loop bound guards against a cycle of
    # such steps slipping past validation.
    for _hop in range(100):
        if step.kind == StepKind.END:
            _close_case(case=case, step=step, actor=actor, outcome=outcome)
            return
        if step.kind == StepKind.NOTIFY:
            _notify_step_holders(case=case, step=step)
            step = _next_step(step, Outcome.DONE)
            continue
        if step.kind == StepKind.WAIT_UNTIL:
            wait_for = _wait_date(case, step)
            if wait_for is None or wait_for <= timezone.localdate():
                step = _next_step(step, Outcome.DONE)
                continue
            _open_task(case=case, step=step, level=0, due_on=wait_for)
            return
        _open_task(case=case, step=step, level=0)
        return
    raise ValidationError(_("The process loops through automatic steps without end."))


def _wait_date(case: Case, step: StepDefinition) -> datetime.date | None:
    raw = case.data.get(step.wait_until_field) if step.wait_until_field else None
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        return None


def _next_step(step: StepDefinition, outcome: str) -> StepDefinition:
    transition = step.exits.select_related("to_step").filter(outcome=outcome).first()
    if transition is None:
        raise ValidationError(
            _("Step “%(step)s” has no “%(outcome)s” transition.")
            % {"step": step.name_th, "outcome": step.outcome_label(outcome)}
        )
    return transition.to_step


def _open_task(
    *, case: Case, step: StepDefinition, level: int, due_on: datetime.date | None = None
) -> Task:
    now = timezone.now()
    role = step.chain_for(case.data)[level]
    if due_on is None:
        due_on = thaitime.add_working_days(timezone.localdate(now), step.standard_days)
    task = Task.objects.create(
        case=case, step=step, level=level, role=role, started_at=now, due_on=due_on
    )
    _notify_task_holders(task)
    notify_listeners(CaseChange(kind="entered", case=case, step=step, task=task))
    return task


def _close_case(*, case: Case, step: StepDefinition, actor: User | None, outcome: str = "") -> None:
    case.state = Case.State.REJECTED if outcome == Outcome.REJECT else Case.State.COMPLETED
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at"])
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.CLOSED, actor=actor, to_step=step, outcome=outcome
    )
    notify_listeners(CaseChange(kind="closed", case=case, step=step, outcome=outcome, actor=actor))
    notify(
        recipients=[case.requester],
        case=case,
        kind="case_closed",
        subject=_("%(reference)s: %(state)s")
        % {"reference": case.reference, "state": case.get_state_display()},
        dedupe=f"closed:{case.pk}:{case.closed_at.isoformat()}",
    )


def task_complete(
    *,
    task: Task,
    user: User,
    outcome: str,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    files: Iterable[tuple[str, Any]] = (),
) -> Task:
    """Decide a task: the one door through which every case moves.

    Locks the case row first, so two people deciding the same task at once are serialised and
    the second one finds it already decided (TaskAlreadyDecided names who got there first).
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        case, task = _lock(task)
        if task.status != Task.Status.OPEN:
            raise TaskAlreadyDecided(_already_decided_message(task))
        if not case.is_open:
            raise ValidationError(_("This case is already closed."))
        authority = task_authority(task=task, user=user, case=case)
        if authority is None:
            raise PermissionDenied(_("You cannot decide this step."))
        step = task.step
        if outcome not in dict(step.outcomes):
            raise ValidationError({"outcome": _("This decision is not possible at this step.")})
        if outcome in (Outcome.RETURN, Outcome.REJECT) and not comment:
            raise ValidationError(
                {"comment": _("Please give a reason when returning or rejecting.")}
            )
        files = list(files)
        cleaned = {}
        if outcome not in (Outcome.RETURN, Outcome.REJECT):
            cleaned = validate_form_data(
                step.form_schema,
                data or {},
                files=files,
                existing_files=task.files.values_list("label", flat=True),
            )
            _check_required_attachments(step, task, files)

        now = timezone.now()
        task.status = Task.Status.DONE
        task.outcome = outcome
        task.comment = comment
        task.data = cleaned
        task.finished_at = now
        task.finished_by = user
        task.acting_for = authority.principal
        task.save(
            update_fields=[
                "status",
                "outcome",
                "comment",
                "data",
                "finished_at",
                "finished_by",
                "acting_for",
            ]
        )
        for label, upload in files:
            TaskAttachment.objects.create(
                task=task,
                label=label,
                file=upload,
                original_name=getattr(upload, "name", label),
                uploaded_by=user,
            )
        if cleaned:
            case.data = {**case.data, **{step.key: cleaned}}
            case.save(update_fields=["data"])

        climbs_chain = outcome == Outcome.APPROVE and task.level + 1 < len(
            step.chain_for(case.data)
        )
        to_step = step if climbs_chain else _next_step(step, outcome)
        CaseEvent.objects.create(
            case=case,
            task=task,
            kind=CaseEvent.Kind.DECIDED,
            actor=user,
            acting_for=authority.principal,
            at=now,
            from_step=step,
            to_step=to_step,
            outcome=outcome,
            comment=comment,
        )
        notify_listeners(
            CaseChange(kind="decided", case=case, step=step, task=task, outcome=outcome, actor=user)
        )
        if outcome in (Outcome.RETURN, Outcome.REJECT):
            notify(
                recipients=[case.requester],
                case=case,
                task=task,
                kind=f"task_{outcome}",
                subject=_("%(reference)s: %(decision)s at “%(step)s”")
                % {
                    "reference": case.reference,
                    "decision": step.outcome_label(outcome),
                    "step": step.name_th,
                },
                body=comment,
                dedupe=f"{outcome}:{task.pk}",
            )
        if climbs_chain:
            _open_task(case=case, step=step, level=task.level + 1)
        else:
            _enter_step(case=case, step=to_step, actor=user, outcome=outcome)
    return task


def _lock(task: Task) -> tuple[Case, Task]:
    """Lock the case row, then read the task again under the lock: the caller's copy may be
    stale, and every change of a case is serialised on its row."""
    case = Case.objects.select_for_update().get(pk=task.case_id)
    return case, Task.objects.select_related("step", "finished_by").get(pk=task.pk)


def _record_on_step(case: Case, task: Task, kind: str, actor: User, comment: str) -> None:
    """An audit event that stays on the task's step (assigned, paused, resumed)."""
    CaseEvent.objects.create(
        case=case,
        task=task,
        kind=kind,
        actor=actor,
        from_step=task.step,
        to_step=task.step,
        comment=comment,
    )


def _already_decided_message(task: Task) -> str:
    if task.status == Task.Status.CANCELLED:
        return _("This step was cancelled; nothing was recorded.")
    return _(
        "%(who)s already decided this step (%(outcome)s) at %(when)s;"
        " your decision was not recorded."
    ) % {
        "who": task.finished_by.display_name if task.finished_by else "-",
        "outcome": task.outcome_label,
        "when": thaitime.format_thai_datetime(task.finished_at),
    }


def _check_required_attachments(
    step: StepDefinition, task: Task, files: list[tuple[str, Any]]
) -> None:
    have = {label for label, _upload in files} | set(task.files.values_list("label", flat=True))
    missing = [label for label in step.attachments if label not in have]
    if missing:
        raise ValidationError(
            {"files": _("Please attach: %(documents)s") % {"documents": ", ".join(missing)}}
        )


@transaction.atomic
def task_assign(*, task: Task, assignee: User, user: User) -> Task:
    """The group head (or the role holder) hands a task to one person."""
    case, task = _lock(task)
    if not task.is_open:
        raise TaskAlreadyDecided(_already_decided_message(task))
    if not can_assign(user=user, task=task, case=case):
        raise PermissionDenied(_("You cannot assign this step."))
    if task.step.kind != StepKind.TASK:
        raise ValidationError(_("Only work steps are assigned; approvals go to the role."))
    if task_authority(task=task, user=assignee, case=case, ignore_assignee=True) is None:
        raise ValidationError({"assignee": _("This person cannot work this step.")})
    task.assignee = assignee
    task.save(update_fields=["assignee"])
    _record_on_step(case, task, CaseEvent.Kind.ASSIGNED, user, assignee.display_name)
    notify(
        recipients=[assignee],
        case=case,
        task=task,
        kind="task_assigned",
        subject=_("%(reference)s: assigned to you — %(step)s")
        % {"reference": case.reference, "step": task.step.name_th},
        dedupe=f"assigned:{task.pk}:{assignee.pk}:{timezone.now().isoformat()}",
    )
    return task


@transaction.atomic
def task_pause(*, task: Task, user: User, reason: str) -> Task:
    """Stop the SLA clock while the task waits on a school or a vendor."""
    case, task = _lock(task)
    if not task.is_open or task.is_paused or task.step.kind != StepKind.TASK:
        raise ValidationError(_("Only a running work step can be paused."))
    if task_authority(task=task, user=user, case=case) is None:
        raise PermissionDenied(_("You cannot pause this step."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please say what the task is waiting for.")})
    task.paused_at = timezone.now()
    task.paused_reason = reason.strip()
    task.save(update_fields=["paused_at", "paused_reason"])
    notify_listeners(CaseChange(kind="paused", case=case, step=task.step, task=task, actor=user))
    _record_on_step(case, task, CaseEvent.Kind.PAUSED, user, task.paused_reason)
    return task


@transaction.atomic
def task_resume(*, task: Task, user: User) -> Task:
    """Restart the SLA clock; the due date moves by the working days spent waiting."""
    case, task = _lock(task)
    if not task.is_paused:
        raise ValidationError(_("This task is not paused."))
    if task_authority(task=task, user=user, case=case) is None:
        raise PermissionDenied(_("You cannot resume this step."))
    paused_days, task.due_on = thaitime.pause_extension(
        task.due_on, timezone.localdate(task.paused_at), timezone.localdate()
    )
    task.paused_working_days += paused_days
    task.paused_at = None
    task.save(update_fields=["paused_at", "paused_working_days", "due_on"])
    notify_listeners(CaseChange(kind="resumed", case=case, step=task.step, task=task, actor=user))
    _record_on_step(case, task, CaseEvent.Kind.RESUMED, user, task.paused_reason)
    return task


# ---------------------------------------------------------------------------
# Notifications: an outbox written with the change, delivered after commit
# ---------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    dedupe: str,
    case: Case | None = None,
    task: Task | None = None,
    body: str = "",
) -> None:
    """Queue one notification per recipient. The same `dedupe` key never queues twice."""
    url = case.get_absolute_url() if case else ""
    rows = [
        Notification(
            recipient=recipient,
            case=case,
            task=task,
            kind=kind,
            subject=subject[:255],
            body=body or subject,
            url=url,
            dedupe_key=f"{dedupe}:{recipient.pk}"[:200],
        )
        for recipient in {r.pk: r for r in recipients}.values()
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_kick_delivery)


def _kick_delivery() -> None:
    from processes.tasks import deliver_notifications_task

    try:
        deliver_notifications_task.delay()
    except Exception:  # any broker failure: the outbox row waits for beat
        logger.warning("Broker unavailable; notifications stay queued for the next pass.")


def _notify_task_holders(task: Task) -> None:
    case = task.case
    notify(
        recipients=task_holders(task, case=case),
        case=case,
        task=task,
        kind="task_opened",
        subject=_("%(reference)s: new step for you — %(step)s")
        % {"reference": case.reference, "step": task.step.name_th},
        body=_("%(title)s\nDue %(due)s.")
        % {"title": case.title, "due": thaitime.format_thai_date(task.due_on)},
        dedupe=f"opened:{task.pk}",
    )


def _notify_step_holders(*, case: Case, step: StepDefinition) -> None:
    recipients = (
        [case.requester]
        if step.responsible == Responsible.REQUESTER
        else role_holders(role=step.responsible, case=case)
    )
    notify(
        recipients=recipients,
        case=case,
        kind="step_notice",
        subject=f"{case.reference}: {step.name_th}",
        body=case.title,
        dedupe=f"notice:{case.pk}:{step.pk}:{timezone.now().isoformat()}",
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTIFIED, from_step=step, to_step=step)


def notifications_deliver(*, limit: int = 200) -> int:
    """Send pending notifications by e-mail; failures stay pending and are retried later."""
    sent = 0
    pending = Notification.objects.filter(status=Notification.Status.PENDING).order_by("pk")
    for notification_id in pending.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, status=Notification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue  # another worker has it
            sent += _deliver_one(notification)
    return sent


def _deliver_one(notification: Notification) -> int:
    recipient = notification.recipient
    notification.attempts += 1
    try:
        if recipient.email:
            send_mail(
                subject=notification.subject,
                message=_email_body(notification),
                from_email=None,
                recipient_list=[recipient.email],
            )
    except Exception as error:  # any transport error: retry later
        notification.last_error = str(error)[:2000]
        if notification.attempts >= MAX_DELIVERY_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        notification.save(update_fields=["attempts", "last_error", "status"])
        return 0
    # Without an e-mail address the notification still shows in the portal.
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "sent_at"])
    return 1


def _email_body(notification: Notification) -> str:
    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    return "\n\n".join(part for part in (notification.body, link) if part)


# ---------------------------------------------------------------------------
# The daily due-date pass
# ---------------------------------------------------------------------------


def due_date_pass(*, today: datetime.date) -> dict[str, int]:
    """Wake due waits, remind the day before due, notify on breach, escalate when long overdue.

    Idempotent: each stage stamps the task (reminded_on, breach_notified_on, escalated_on) and
    every notification carries a dedupe key, so a second run on the same day sends nothing.
    """
    counts = {"woken": 0, "auto_done": 0, "reminded": 0, "breached": 0, "escalated": 0}
    open_tasks = Task.objects.open().filter(case__state=Case.State.RUNNING)
    for task in open_tasks.filter(step__kind=StepKind.WAIT_UNTIL, due_on__lte=today):
        counts["woken"] += _complete_by_itself(task, _("The date arrived."))
    lapsing = open_tasks.filter(step__auto_done_after_days__isnull=False, paused_at__isnull=True)
    for task in lapsing.select_related("step"):
        started = timezone.localdate(task.started_at)
        if thaitime.add_working_days(started, task.step.auto_done_after_days) <= today:
            counts["auto_done"] += _complete_by_itself(
                task,
                _("Closed by itself after %(days)s working days without an answer.")
                % {"days": task.step.auto_done_after_days},
            )

    running = open_tasks.exclude(step__kind=StepKind.WAIT_UNTIL).filter(paused_at__isnull=True)
    running = running.select_related("case", "step", "assignee")
    tomorrow = thaitime.add_working_days(today, 1)
    escalate_before = thaitime.add_working_days(today, -settings.ESCALATE_AFTER_WORKING_DAYS)
    stages = [
        ("reminded", "reminded_on", Q(due_on__gt=today, due_on__lte=tomorrow), _remind),
        ("breached", "breach_notified_on", Q(due_on__lt=today), _notify_breach),
        ("escalated", "escalated_on", Q(due_on__lte=escalate_before), _escalate),
    ]
    for count_key, stamp, condition, send in stages:
        for task in running.filter(condition, **{f"{stamp}__isnull": True}).iterator(2000):
            with transaction.atomic():
                # The stamp is claimed first: a concurrent pass that lost the race skips it.
                claimed = Task.objects.filter(pk=task.pk, **{f"{stamp}__isnull": True}).update(
                    **{stamp: today}
                )
                if claimed:
                    send(task)
                    counts[count_key] += 1
    return counts


def _complete_by_itself(task: Task, reason: str) -> int:
    """Finish a task nobody has to act on any more (a due wait, a lapsed confirmation)."""
    with transaction.atomic():
        case, task = _lock(task)
        if not task.is_open:
            return 0
        outcome = task.step.outcomes[0][0]
        task.status = Task.Status.DONE
        task.outcome = outcome
        task.comment = reason
        task.finished_at = timezone.now()
        task.save(update_fields=["status", "outcome", "comment", "finished_at"])
        to_step = _next_step(task.step, outcome)
        CaseEvent.objects.create(
            case=case,
            task=task,
            kind=CaseEvent.Kind.DECIDED,
            from_step=task.step,
            to_step=to_step,
            outcome=outcome,
            comment=reason,
        )
        notify_listeners(
            CaseChange(kind="decided", case=case, step=task.step, task=task, outcome=outcome)
        )
        _enter_step(case=case, step=to_step, actor=None, outcome=outcome)
    return 1


def _tell_holders_about_due_date(task: Task, *, kind: str, subject: str, dedupe: str) -> None:
    """`subject` is a translated template with %(reference)s, %(due)s and %(step)s."""
    notify(
        recipients=task_holders(task),
        case=task.case,
        task=task,
        kind=kind,
        subject=subject
        % {
            "reference": task.case.reference,
            "due": thaitime.format_thai_date(task.due_on),
            "step": task.step.name_th,
        },
        dedupe=f"{dedupe}:{task.pk}:{task.due_on}",
    )


def _remind(task: Task) -> None:
    _tell_holders_about_due_date(
        task,
        kind="task_due_soon",
        subject=_("%(reference)s: due %(due)s — %(step)s"),
        dedupe="remind",
    )


def _notify_breach(task: Task) -> None:
    _tell_holders_about_due_date(
        task,
        kind="task_overdue",
        subject=_("%(reference)s: overdue since %(due)s — %(step)s"),
        dedupe="breach",
    )


def _escalate(task: Task) -> None:
    role = ESCALATION.get(task.role, RoleCode.DIRECTOR)
    notify(
        recipients=role_holders(role=role, case=task.case),
        case=task.case,
        task=task,
        kind="task_escalated",
        subject=_("%(reference)s: %(days)s working days overdue — %(step)s")
        % {
            "reference": task.case.reference,
            "days": thaitime.working_days_between(task.due_on, timezone.localdate()),
            "step": task.step.name_th,
        },
        dedupe=f"escalate:{task.pk}:{task.due_on}",
    )

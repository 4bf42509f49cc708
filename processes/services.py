"""Writes of the workflow engine. Every change of a case goes through `task_complete` and friends,
which lock the case, check authority and source state, and write the audit event in the same
transaction as the change."""

from __future__ import annotations

import datetime
import logging
import random
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, RoleCode, School, User
from core import thaitime
from processes import due_pass, timing
from processes.channels import registered_channels
from processes.form_schema import is_signature, signature_matches, validate_form_data
from processes.hooks import CaseChange, notify_listeners, plan_task
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
    TaskNotice,
    TimeModel,
)
from processes.selectors import (
    can_assign,
    role_holders,
    task_authority,
    task_holders,
)

logger = logging.getLogger(__name__)


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
    first = version.first_step()
    if first is None:  # publishing refuses a process without steps
        raise ValidationError(_("The process has no steps."))
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
            wait_for = timing.case_date(case.data, step.case_date_field)
            if wait_for is None or wait_for <= timezone.localdate():
                step = _next_step(step, Outcome.DONE)
                continue
        _open_task(case=case, step=step, level=0)
        return
    raise ValidationError(_("The process loops through automatic steps without end."))


def _next_step(step: StepDefinition, outcome: str) -> StepDefinition:
    transition = step.exits.select_related("to_step").filter(outcome=outcome).first()
    if transition is None:
        raise ValidationError(
            _("Step “%(step)s” has no “%(outcome)s” transition.")
            % {"step": step.name_th, "outcome": step.outcome_label(outcome)}
        )
    return transition.to_step


_COMPUTE = object()


def _open_task(*, case: Case, step: StepDefinition, level: int, due_on: Any = _COMPUTE) -> Task:
    """Open one task of `step`. Its due date comes from the step's time model
    (`timing.due_on_for`), unless given: the next level of an approval chain inherits the
    date of the level before, as the step's time covers the whole chain. Domain planners
    (`hooks.on_task_opening`) may name the assignee and the due date first, so the task opens
    with them: its `assigned` event is written and its first notice says the right date."""
    now = timezone.now()
    role = step.chain_for(case)[level]
    plan = plan_task(case, step, level)
    if plan.due_on is not None:
        due_on = plan.due_on
    elif due_on is _COMPUTE:
        due_on = timing.due_on_for(step, start=timezone.localdate(now), case_data=case.data)
    task = Task.objects.create(
        case=case,
        step=step,
        level=level,
        role=role,
        started_at=now,
        due_on=due_on,
        assignee=plan.assignee,
    )
    if plan.assignee is not None:
        CaseEvent.objects.create(
            case=case,
            task=task,
            kind=CaseEvent.Kind.ASSIGNED,
            at=now,
            from_step=step,
            to_step=step,
            comment=plan.assignee.display_name,
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
            _check_signatures(step, task, cleaned, user)

        for label, upload in files:
            TaskAttachment.objects.create(
                task=task,
                label=label,
                file=upload,
                original_name=getattr(upload, "name", label),
                uploaded_by=user,
            )
        _finish(
            case=case,
            task=task,
            outcome=outcome,
            comment=comment,
            data=cleaned,
            actor=user,
            acting_for=authority.principal,
        )
    return task


def _finish(
    *,
    case: Case,
    task: Task,
    outcome: str,
    comment: str,
    data: Mapping[str, Any],
    actor: User | None,
    acting_for: User | None = None,
) -> None:
    """The end of every decision, by a person (`task_complete`) or by the calendar (a due
    wait, a lapsed confirmation): freeze the task, keep its data on the case, write the
    event, tell the listeners and the requester, and move on (up the chain or to the next
    step). The caller holds the case row's lock."""
    step = task.step
    now = timezone.now()
    task.status = Task.Status.DONE
    task.outcome = outcome
    task.comment = comment
    task.data = dict(data)
    task.finished_at = now
    task.finished_by = actor
    task.acting_for = acting_for
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
    if data:
        case.data = {**case.data, **{step.key: dict(data)}}
        case.save(update_fields=["data"])

    climbs_chain = outcome == Outcome.APPROVE and task.level + 1 < len(step.chain_for(case))
    to_step = step if climbs_chain else _next_step(step, outcome)
    CaseEvent.objects.create(
        case=case,
        task=task,
        kind=CaseEvent.Kind.DECIDED,
        actor=actor,
        acting_for=acting_for,
        at=now,
        from_step=step,
        to_step=to_step,
        outcome=outcome,
        comment=comment,
    )
    notify_listeners(
        CaseChange(kind="decided", case=case, step=step, task=task, outcome=outcome, actor=actor)
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
        _open_task(case=case, step=step, level=task.level + 1, due_on=task.due_on)
    else:
        _enter_step(case=case, step=to_step, actor=actor, outcome=outcome)


def tasks_acknowledge(
    *, tasks: Iterable[Task], user: User, comment: str = ""
) -> tuple[list[Task], list[str]]:
    """The director's "รับทราบ" for one or several reports at once. Each goes through
    `task_complete` in its own transaction, so a report someone else acknowledged first (or
    one this user may not acknowledge) is named in the problems and does not stop the rest.
    Returns (acknowledged tasks, problems)."""
    acknowledged, problems = [], []
    for task in tasks:
        if task.step.kind != StepKind.ACKNOWLEDGE:
            problems.append(
                _("%(reference)s: this step is not an acknowledgement.")
                % {"reference": task.case.reference}
            )
            continue
        try:
            task_complete(task=task, user=user, outcome=Outcome.ACKNOWLEDGE, comment=comment)
        except (TaskAlreadyDecided, ValidationError, PermissionDenied) as error:
            text = " ".join(getattr(error, "messages", None) or [str(error)])
            problems.append(f"{task.case.reference}: {text}")
        else:
            acknowledged.append(task)
    return acknowledged, problems


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


def _check_signatures(
    step: StepDefinition, task: Task, cleaned: Mapping[str, Any], user: User
) -> None:
    """A typed-name signature is the decider's own full name, whatever form it came from (case
    page, inbox, phone, a plan's reading view). The district director's level always signs; at
    other levels a signature is needed when the field is required, and checked when given."""
    for field in step.form_schema:
        if not is_signature(field):
            continue
        typed = str(cleaned.get(field["name"], ""))
        needed = bool(field.get("required")) or task.role == RoleCode.DIRECTOR
        if (typed or needed) and not signature_matches(typed, user):
            raise ValidationError(
                {
                    field["name"]: _("Type your own full name (%(name)s) to sign the approval.")
                    % {"name": user.display_name}
                }
            )


@transaction.atomic
def task_assign(*, task: Task, assignee: User, user: User) -> Task:
    """The group head (or the role holder) hands a task to one person."""
    case, task = _lock(task)
    if not task.is_open:
        raise TaskAlreadyDecided(_already_decided_message(task))
    if user.is_school_side or not can_assign(user=user, task=task, case=case):
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


MAX_ACTIVITIES = 200


@transaction.atomic
def task_set_activities(*, task: Task, user: User, count: int) -> Task:
    """Enter how many activities a per-activity step covers; its due date follows
    (days per activity x activities, from the day the task opened)."""
    case, task = _lock(task)
    step = task.step
    if not task.is_open or step.time_model != TimeModel.PER_ACTIVITY:
        raise ValidationError(
            _("Only an open step timed per activity takes a number of activities.")
        )
    if task_authority(task=task, user=user, case=case) is None:
        raise PermissionDenied(_("You cannot work this step."))
    if not isinstance(count, int) or not 1 <= count <= MAX_ACTIVITIES:
        raise ValidationError(
            {
                "activities": _("Enter a number of activities from 1 to %(max)s.")
                % {"max": MAX_ACTIVITIES}
            }
        )
    task.data = {**task.data, step.activity_field: count}
    due_on = timing.due_on_for(
        step,
        start=timezone.localdate(task.started_at),
        case_data=case.data,
        form_data=task.data,
    )
    # Days already spent paused still do not count.
    task.due_on = due_on + datetime.timedelta(days=task.paused_working_days) if due_on else None
    task.save(update_fields=["data", "due_on"])
    _record_on_step(
        case,
        task,
        CaseEvent.Kind.DUE_SET,
        user,
        _("%(count)s activities, due %(due)s")
        % {"count": count, "due": thaitime.format_thai_date(task.due_on)},
    )
    return task


@transaction.atomic
def task_pause(*, task: Task, user: User, reason: str) -> Task:
    """Stop the SLA clock while the task waits on a school or a vendor."""
    case, task = _lock(task)
    if not task.is_open or task.is_paused or task.step.kind != StepKind.TASK:
        raise ValidationError(_("Only a running work step can be paused."))
    if user.is_school_side or task_authority(task=task, user=user, case=case) is None:
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
    paused_days, task.due_on = timing.due_after_pause(
        task.step, task.due_on, timezone.localdate(task.paused_at), timezone.localdate()
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
        body=(
            _("%(title)s\nDue %(due)s.")
            % {"title": case.title, "due": thaitime.format_thai_date(task.due_on)}
            if task.due_on
            else _("%(title)s\nNo standard time.") % {"title": case.title}
        ),
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


def notifications_deliver(*, limit: int = 200, now: datetime.datetime | None = None) -> int:
    """Send the pending notifications whose time has come; a failure waits for its retry."""
    now = now or timezone.now()
    sent = 0
    due = Notification.objects.filter(status=Notification.Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for notification_id in due.order_by("pk").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, status=Notification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue  # another worker has it
            sent += deliver_one(notification, now=now)
    return sent


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> datetime.timedelta:
    """Exponential back-off with full jitter: up to 1, 2, 4 … minutes, at most
    NOTIFICATION_RETRY_MAX_MINUTES, drawn at random so a recovering server is not hit by every
    row at once."""
    ceiling = min(settings.NOTIFICATION_RETRY_MAX_MINUTES, 2 ** max(0, min(attempts - 1, 20)))
    return datetime.timedelta(minutes=(rng or random).uniform(ceiling / 2, ceiling))


def deliver_one(notification: Notification, *, now: datetime.datetime | None = None) -> int:
    """Deliver one outbox row through every registered channel (see `processes.channels`),
    inside the caller's transaction holding the row's lock. A channel that fails is retried
    later with back-off; only after NOTIFICATION_RETRY_HOURS of failures is the row marked
    failed (the admin can queue it again). Channels that delivered are not repeated."""
    now = now or timezone.now()
    notification.attempts += 1
    done = list(notification.channels_done)
    name = ""
    try:
        for name, send in registered_channels().items():
            if name in done:
                continue
            send(notification)
            done.append(name)
    except Exception as error:  # any transport error: retry later
        notification.channels_done = done
        notification.last_error = f"{name}: {error}"[:2000]  # which channel refused, and why
        window = datetime.timedelta(hours=settings.NOTIFICATION_RETRY_HOURS)
        if now - notification.created_at >= window:
            notification.status = Notification.Status.FAILED
            notification.next_attempt_at = None
        else:
            notification.next_attempt_at = now + retry_delay(notification.attempts)
        notification.save(
            update_fields=["attempts", "last_error", "status", "next_attempt_at", "channels_done"]
        )
        return 0
    notification.channels_done = done
    notification.status = Notification.Status.SENT
    notification.sent_at = now
    notification.next_attempt_at = None
    notification.save(
        update_fields=["attempts", "status", "sent_at", "next_attempt_at", "channels_done"]
    )
    return 1


def notifications_retry(*, notifications: Iterable[Notification]) -> int:
    """Queue failed notifications again (the admin's retry action): each gets one more try on
    the next delivery run (and is failed again at once if its channel still refuses); sent
    ones stay sent."""
    ids = [n.pk for n in notifications]
    count = Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, next_attempt_at=None
    )
    if count:
        transaction.on_commit(_kick_delivery)
    return count


# ---------------------------------------------------------------------------
# The daily due-date pass
# ---------------------------------------------------------------------------


def due_date_pass(*, today: datetime.date) -> dict[str, int]:
    """Wake due waits, close lapsed confirmations, then chase timed work: the working day
    before its due date, on its breach, and once it is ESCALATE_AFTER_WORKING_DAYS late (one
    level up, once), all counted from `today`, the pass's own date.

    Nobody gets a mail per task: each stage stamps its tasks (reminded_on, breach_notified_on,
    escalated_on) and records one `TaskNotice` per task, set-based (see `processes.due_pass`);
    the notices are then told to the people who hold the tasks, in at most one digest per
    person per day. Stamps, notices and digests are written in one transaction: a pass killed
    half-way leaves nothing half-told, and a second run on the same day finds every stamp
    taken and sends nothing.
    """
    counts = {"woken": 0, "auto_done": 0, "reminded": 0, "breached": 0, "escalated": 0}
    open_tasks = Task.objects.open().filter(case__state=Case.State.RUNNING)
    for task in open_tasks.filter(step__kind=StepKind.WAIT_UNTIL, due_on__lte=today):
        counts["woken"] += _complete_by_itself(task, _("The date arrived."))
    counts["auto_done"] = _close_lapsed(open_tasks, today=today)

    # Only timed work is chased: a task of an untimed step has no due date and never matches.
    running = open_tasks.exclude(step__kind=StepKind.WAIT_UNTIL).filter(
        paused_at__isnull=True, due_on__isnull=False
    )
    tomorrow = thaitime.add_working_days(today, 1)
    escalate_before = thaitime.add_working_days(today, -settings.ESCALATE_AFTER_WORKING_DAYS)
    Stage = TaskNotice.Stage
    stages = [
        ("reminded", "reminded_on", Q(due_on__gt=today, due_on__lte=tomorrow), Stage.DUE_SOON),
        ("breached", "breach_notified_on", Q(due_on__lt=today), Stage.OVERDUE),
        ("escalated", "escalated_on", Q(due_on__lte=escalate_before), Stage.ESCALATED),
    ]
    with transaction.atomic():
        for count_key, stamp, condition, stage in stages:
            claimed = due_pass.claim(running.filter(condition), stamp=stamp, today=today)
            due_pass.record_notices(claimed, stage=stage, today=today)
            counts[count_key] = len(claimed)
        counts["digests"] = digests_compose(today=today)
    return counts


def _close_lapsed(open_tasks: QuerySet[Task], *, today: datetime.date) -> int:
    """Close the confirmations nobody answered within their step's working days. Only tasks
    started on or before each length's cutoff date are read, not every waiting task."""
    lapsing = open_tasks.filter(paused_at__isnull=True)
    lengths = (
        lapsing.filter(step__auto_done_after_days__isnull=False)
        .values_list("step__auto_done_after_days", flat=True)
        .distinct()
        .order_by()
    )
    closed = 0
    for days in cast(list[int], list(lengths)):  # nulls excluded above
        cutoff = due_pass.lapsed_start_cutoff(days=days, today=today)
        started_by = timezone.make_aware(
            datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time())
        )
        lapsed = lapsing.filter(step__auto_done_after_days=days, started_at__lt=started_by)
        for task in lapsed.select_related("step"):
            closed += _complete_by_itself(
                task,
                _("Closed by itself after %(days)s working days without an answer.")
                % {"days": days},
            )
    return closed


@transaction.atomic
def digests_compose(*, today: datetime.date) -> int:
    """Tell people the notices they hold and have not been sent, in one digest per person for
    `today` (see `processes.due_pass.compose_digests`); the number of digests made."""
    made = due_pass.compose_digests(today=today)
    if made:
        transaction.on_commit(_kick_delivery)
    return made


def _complete_by_itself(task: Task, reason: str) -> int:
    """Finish a task nobody has to act on any more (a due wait, a lapsed confirmation),
    through the same ending as `task_complete`."""
    with transaction.atomic():
        case, task = _lock(task)
        if not task.is_open or not case.is_open:
            return 0
        _finish(
            case=case,
            task=task,
            outcome=task.step.outcomes[0][0],
            comment=reason,
            data={},
            actor=None,
        )
    return 1

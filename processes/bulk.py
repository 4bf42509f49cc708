"""Starting many cases of one process at once (e.g. one data-round case for each of 30,000
schools), with the same rows `case_start` writes, in a handful of statements per batch.

`case_start` costs a dozen queries per case (a locked reference counter, validation, the audit
event, the first task, its holders and their notifications); a round opened for every school of
a large deployment would take minutes. Here the references are reserved as one block, and cases,
their STARTED events, first tasks and notifications are inserted with `bulk_create`.

Limits, on purpose: the first step must be one that waits for a person (a task or an approval);
hook listeners are not called, because the caller that starts thousands of cases sets up its own
domain rows in bulk as well.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Delegation, Office, School, User
from core import thaitime
from processes import timing
from processes.models import (
    Case,
    CaseEvent,
    DefinitionVersion,
    Notification,
    ProcessDefinition,
    ReferenceCounter,
    Responsible,
    StepDefinition,
    StepKind,
    Task,
)

SCHOOL_ROLES = (Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR)


@dataclass
class NewCase:
    """One case to start: what `case_start` takes per case."""

    title: str
    school: School | None = None
    subject: Model | None = None
    data: dict[str, Any] = field(default_factory=dict)
    due_on: datetime.date | None = None  # the first task's due date, if not the step's standard


def reserve_references(*, prefix: str, fiscal_year: int, count: int) -> list[str]:
    """`count` consecutive references, taken under the same lock `next_reference` uses."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, fiscal_year=fiscal_year
        )
        first = counter.last_number + 1
        counter.last_number += count
        counter.save(update_fields=["last_number"])
    return [f"{prefix}-{fiscal_year}-{n:06d}" for n in range(first, first + count)]


@transaction.atomic
def cases_start_bulk(
    *,
    definition: ProcessDefinition,
    requester: User,
    office: Office,
    cases: Sequence[NewCase],
    batch_size: int = 2000,
) -> list[Case]:
    """Start every case in `cases` on the definition's published version; all or none."""
    version = definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if version is None:
        raise ValidationError(_("This process has no published version yet."))
    first = version.first_step()
    if first is None or first.kind not in (StepKind.TASK, StepKind.APPROVAL):
        raise ValidationError(
            _("Only processes that start with a work or approval step can be started in bulk.")
        )
    if not cases:
        return []
    now = timezone.now()
    today = timezone.localdate(now)
    fiscal_year = thaitime.fiscal_year_of(today)
    references = reserve_references(
        prefix=definition.reference_prefix, fiscal_year=fiscal_year, count=len(cases)
    )
    started: list[Case] = []
    for offset in range(0, len(cases), batch_size):
        chunk = cases[offset : offset + batch_size]
        rows = []
        for index, new in enumerate(chunk, start=offset):
            case = Case(
                office=office,
                version=version,
                reference=references[index],
                title=new.title[:500],
                fiscal_year=fiscal_year,
                requester=requester,
                school=new.school,
                data=dict(new.data),
                started_at=now,
            )
            if new.subject is not None:
                case.subject_type = ContentType.objects.get_for_model(new.subject)
                case.subject_id = new.subject.pk
            rows.append(case)
        rows = Case.objects.bulk_create(rows)
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case, kind=CaseEvent.Kind.STARTED, actor=requester, at=now, to_step=first
            )
            for case in rows
        )
        tasks = Task.objects.bulk_create(
            Task(
                case=case,
                step=first,
                level=0,
                role=first.chain_for(case)[0],
                started_at=now,
                due_on=new.due_on or timing.due_on_for(first, start=today, case_data=case.data),
            )
            for case, new in zip(rows, chunk, strict=True)
        )
        _notify_holders_bulk(rows, tasks, first, today)
        started.extend(rows)
    return started


def _notify_holders_bulk(
    cases: list[Case], tasks: list[Task], step: StepDefinition, today: datetime.date
) -> None:
    """The `task_opened` notice `case_start` sends, for a batch: holders found per school or per
    office in two queries rather than two per case."""
    by_school: dict[tuple[str, int | None], list[User]] = defaultdict(list)
    by_office: dict[str, list[User]] = {}
    roles = {task.role for task in tasks}
    school_ids = {case.school_id for case in cases if case.school_id}
    for role in roles & set(SCHOOL_ROLES):
        for user in _holders(role, today).filter(school_id__in=school_ids):
            by_school[(role, user.school_id)].append(user)
    for role in roles - set(SCHOOL_ROLES):
        if role == Responsible.REQUESTER:
            continue
        by_office[role] = list(_holders(role, today).filter(office_id=cases[0].office_id))
    notifications = []
    for case, task in zip(cases, tasks, strict=True):
        if task.role == Responsible.REQUESTER:
            recipients = [case.requester]
        elif task.role in SCHOOL_ROLES:
            recipients = by_school.get((task.role, case.school_id), [])
        else:
            recipients = by_office.get(task.role, [])
        subject = _("%(reference)s: new step for you — %(step)s") % {
            "reference": case.reference,
            "step": step.name_th,
        }
        body = _("%(title)s\nDue %(due)s.") % {
            "title": case.title,
            "due": thaitime.format_thai_date(task.due_on),
        }
        notifications += [
            Notification(
                recipient=user,
                case=case,
                task=task,
                kind="task_opened",
                subject=subject[:255],
                body=body,
                url=case.get_absolute_url(),
                dedupe_key=f"opened:{task.pk}:{user.pk}"[:200],
            )
            for user in recipients
        ]
    if notifications:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)
        from processes.services import _kick_delivery

        transaction.on_commit(_kick_delivery)


def _holders(role: str, today: datetime.date) -> QuerySet[User]:
    """Active holders of `role` today, own or acting (the bulk form of `role_holders`)."""
    acting = Delegation.objects.active_on(today).filter(role__code=role).values("delegate")
    users = User.objects.filter(is_active=True)
    return (users.filter(roles__code=role) | users.filter(pk__in=acting)).distinct()


def school_role_holders(
    role: str, school_ids: Iterable[int], *, on: datetime.date | None = None
) -> dict[int, list[User]]:
    """Holders of a school role (own or acting) for many schools, by school id, in one query."""
    found: dict[int, list[User]] = defaultdict(list)
    day = on or timezone.localdate()
    holders = _holders(role, day).filter(school_id__in=list(school_ids)).order_by("pk")
    for user in holders:
        if user.school_id is not None:  # always: the filter names schools
            found[user.school_id].append(user)
    return found


@dataclass
class Notice:
    """One message for `notify_many`; the same `dedupe` key never queues twice per recipient."""

    recipients: Sequence[User]
    kind: str
    subject: str
    dedupe: str
    case: Case | None = None
    body: str = ""


def notify_many(notices: Sequence[Notice], *, batch_size: int = 2000) -> int:
    """`processes.services.notify` for many messages at once (one insert per batch)."""
    rows = [
        Notification(
            recipient=recipient,
            case=notice.case,
            kind=notice.kind,
            subject=notice.subject[:255],
            body=notice.body or notice.subject,
            url=notice.case.get_absolute_url() if notice.case else "",
            dedupe_key=f"{notice.dedupe}:{recipient.pk}"[:200],
        )
        for notice in notices
        for recipient in {r.pk: r for r in notice.recipients}.values()
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    from processes.services import _kick_delivery

    transaction.on_commit(_kick_delivery)
    return len(rows)

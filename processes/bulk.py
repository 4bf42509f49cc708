"""Starting many cases of one process at once (e.g. one data-round case for each of 30,000
schools), with the same rows `case_start` writes, in a handful of statements per batch.

`case_start` costs a dozen queries per case (a locked reference counter, validation, the audit
event, the first task, its holders and their notifications); a round opened for every school of
a large deployment would take minutes. Here the references are reserved as one block, and cases,
their STARTED events, first tasks and notifications are inserted a batch at a time, one
statement per table (`core.bulk_sql.insert_columns`: arrays unnested by PostgreSQL, no model
instance per row).

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
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, School, User
from core import thaitime
from core.bulk_sql import insert_columns
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
from processes.selectors import RoleHolders


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
    batch_size: int = 10_000,
) -> list[int]:
    """Start every case in `cases` on the definition's published version, all or none; the
    new cases' ids, in order."""
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
    started: list[int] = []
    for offset in range(0, len(cases), batch_size):
        chunk = cases[offset : offset + batch_size]
        case_ids = insert_columns(
            Case,
            same={
                "office_id": office.pk,
                "version_id": version.pk,
                "fiscal_year": fiscal_year,
                "requester_id": requester.pk,
                "started_at": now,
            },
            varying={
                "reference": references[offset : offset + len(chunk)],
                "title": [new.title[:500] for new in chunk],
                "school_id": [new.school.pk if new.school else None for new in chunk],
                "subject_type_id": [_subject_type(new.subject) for new in chunk],
                "subject_id": [new.subject.pk if new.subject else None for new in chunk],
                "data": [dict(new.data) for new in chunk],
            },
        )
        insert_columns(
            CaseEvent,
            same={
                "kind": CaseEvent.Kind.STARTED,
                "actor_id": requester.pk,
                "at": now,
                "to_step_id": first.pk,
            },
            varying={"case_id": case_ids},
        )
        roles = [_first_role(first, office, new) for new in chunk]
        due_dates = [
            new.due_on or timing.due_on_for(first, start=today, case_data=new.data) for new in chunk
        ]
        task_ids = insert_columns(
            Task,
            same={"step_id": first.pk, "level": 0, "started_at": now},
            varying={"case_id": case_ids, "role": roles, "due_on": due_dates},
        )
        opened = [
            OpenedTask(
                case_id=case_id,
                task_id=task_id,
                reference=references[index],
                title=new.title[:500],
                school_id=new.school.pk if new.school else None,
                role=role,
                due_on=due_on,
            )
            for index, (case_id, task_id, new, role, due_on) in enumerate(
                zip(case_ids, task_ids, chunk, roles, due_dates, strict=True), start=offset
            )
        ]
        _notify_holders_bulk(opened, first, requester=requester, office=office, today=today)
        started.extend(case_ids)
    return started


def _subject_type(subject: Model | None) -> int | None:
    return ContentType.objects.get_for_model(subject).pk if subject is not None else None


def _first_role(step: StepDefinition, office: Office, new: NewCase) -> str:
    """Who holds the first task: an approval's first level may depend on the case's data."""
    if step.kind != StepKind.APPROVAL or not step.approvers:
        return step.responsible
    return step.chain_for(Case(office=office, data=new.data))[0]


@dataclass(frozen=True, slots=True)
class OpenedTask:
    case_id: int
    task_id: int
    reference: str
    title: str
    school_id: int | None
    role: str
    due_on: datetime.date | None


def _notify_holders_bulk(
    opened: list[OpenedTask],
    step: StepDefinition,
    *,
    requester: User,
    office: Office,
    today: datetime.date,
) -> None:
    """The `task_opened` notice `case_start` sends, for a batch: holders found per school or per
    office in two queries for the batch (`selectors.RoleHolders`), rows written in one statement."""
    holders = RoleHolders(
        day=today,
        office_ids={office.pk},
        school_ids={task.school_id for task in opened if task.school_id},
    )
    # One reverse for the batch: the case page's address differs only by the reference.
    marker = "REFERENCE-MARKER"
    case_url = reverse("processes:case", args=[marker])
    columns: dict[str, list[Any]] = defaultdict(list)
    for task in opened:
        if task.role == Responsible.REQUESTER:
            recipients = {requester.pk}
        else:
            recipients = holders.of(task.role, office_id=office.pk, school_id=task.school_id)
        subject = _("%(reference)s: new step for you — %(step)s") % {
            "reference": task.reference,
            "step": step.name_th,
        }
        body = _("%(title)s\nDue %(due)s.") % {
            "title": task.title,
            "due": thaitime.format_thai_date(task.due_on),
        }
        for user_id in sorted(recipients):
            columns["recipient_id"].append(user_id)
            columns["case_id"].append(task.case_id)
            columns["task_id"].append(task.task_id)
            columns["subject"].append(subject[:255])
            columns["body"].append(body)
            columns["url"].append(case_url.replace(marker, task.reference))
            columns["dedupe_key"].append(f"opened:{task.task_id}:{user_id}"[:200])
    if columns:
        insert_columns(
            Notification,
            same={"kind": "task_opened", "created_at": timezone.now()},
            varying=columns,
            ignore_conflicts=True,
        )
        from processes.services import _kick_delivery

        transaction.on_commit(_kick_delivery)


def school_role_holders(
    role: str, school_ids: Iterable[int], *, on: datetime.date | None = None
) -> dict[int, list[User]]:
    """Holders of a school role (own or acting) for many schools, by school id, each school's
    in account order: the active accounts of those schools that `selectors.RoleHolders` finds
    holding it, in three queries whatever the number of schools."""
    school_ids = set(school_ids)
    holders = RoleHolders(day=on or timezone.localdate(), office_ids=(), school_ids=school_ids)
    candidates = set().union(
        *(holders.of(role, office_id=None, school_id=school_id) for school_id in school_ids)
    )
    found: dict[int, list[User]] = defaultdict(list)
    accounts = User.objects.filter(is_active=True, pk__in=candidates, school_id__in=school_ids)
    for user in accounts.order_by("pk"):
        if user.school_id is None:  # never: the filter names schools
            continue
        if user.pk in holders.of(role, office_id=user.office_id, school_id=user.school_id):
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

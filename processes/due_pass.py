"""The set-based half of the daily due-date pass: claiming timed work, and telling people.

A million open tasks are never loaded into Python. Each stage (due soon, overdue, escalated) is
one `UPDATE … RETURNING` that stamps and returns only the tasks that need a notice (the
`(status, due_on)` index finds them), then one insert of a `TaskNotice` per task, guarded
against conflicts, so a second pass on the same day, or a concurrent one, adds nothing.

Nobody is named in a notice. Composing the digests fans the notices out to the people who hold
their tasks then (two queries a batch for the roles and acting orders of the offices and
schools concerned), and writes at most one digest per person per day, listing the notices after
the last one that person was sent. So a task held by a group of sixteen costs one row, and the
pass's writes grow with the tasks that need a notice, not with the people behind them.

The per-task engine work of the pass (waking due waits, closing lapsed confirmations) stays in
`processes.services.due_date_pass`, which calls these.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core import thaitime
from processes.models import Notification, Responsible, Task, TaskNotice
from processes.selectors import ESCALATION, RoleHolders

# Notices are fanned out this many at a time: memory and query size stay bounded.
FAN_OUT_BATCH = 5_000
# A digest lists at most this many tasks per stage, most urgent first, then says how many
# more wait in "my tasks": a message of thousands of lines helps nobody.
DIGEST_LINES_PER_STAGE = 20
# Notices not yet told (a digest already gone out that day, a pass that stopped before its
# digests) are told in a digest of one of the next few days, not after that: a new holder of
# old work is not sent its history.
CATCH_UP_DAYS = 3

# The task columns the pass stamps, one per stage (the field name is the column name).
STAMPS = frozenset({"reminded_on", "breach_notified_on", "escalated_on"})


def claim(tasks: QuerySet[Task], *, stamp: str, today: datetime.date) -> list[int]:
    """Set `stamp` to `today` on every task of `tasks` whose stamp is still empty, in one
    statement, and return the ids it set. A concurrent pass that loses the race for a row
    finds its stamp taken when it re-reads it, and returns nothing for it."""
    if stamp not in STAMPS:  # a column name goes into the SQL below
        raise ValueError(f"not a stamp of the daily pass: {stamp}")
    pending = tasks.filter(**{f"{stamp}__isnull": True}).order_by().values("pk")
    inner, params = pending.query.sql_with_params()
    quote = connection.ops.quote_name
    table, column, pk = quote(Task._meta.db_table), quote(stamp), quote("id")
    sql = (
        f"UPDATE {table} SET {column} = %s"
        f" WHERE {pk} IN ({inner}) AND {column} IS NULL RETURNING {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(today), *params])
        return [row[0] for row in cursor.fetchall()]


def record_notices(task_ids: list[int], *, stage: str, today: datetime.date) -> None:
    """One notice per claimed task for `stage`; a notice already there is left alone."""
    if not task_ids:
        return
    if connection.vendor == "postgresql":
        # One array instead of a row per notice: no model instances, one round trip.
        table = connection.ops.quote_name(TaskNotice._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (task_id, stage, day)"
                " SELECT task, %s, %s FROM unnest(%s::bigint[]) AS notice(task)"
                " ON CONFLICT DO NOTHING",
                [stage, today, task_ids],
            )
        return
    TaskNotice.objects.bulk_create(
        [TaskNotice(task_id=task, stage=stage, day=today) for task in task_ids],
        ignore_conflicts=True,
        batch_size=2_000,
    )


NOTICE_FIELDS = (
    "pk",
    "stage",
    "task_id",
    "task__role",
    "task__assignee_id",
    "task__case__office_id",
    "task__case__school_id",
    "task__case__requester_id",
    "task__due_on",
)


@dataclass(frozen=True, slots=True)
class HeldTask:
    """What deciding who hears of a notice needs to know of its task."""

    pk: int
    role: str
    assignee_id: int | None
    office_id: int
    school_id: int | None
    requester_id: int


@dataclass(frozen=True, slots=True)
class Line:
    notice: int
    stage: str
    task: int
    due_on: datetime.date | None


def recipients(task: HeldTask, stage: str, holders: RoleHolders) -> set[int]:
    """Who hears of the task: its holders while due soon or overdue (the assignee, else the
    requester or the role's holders); once long overdue, the holders of the next level up,
    one level (a director's own work goes no higher)."""
    role: str | None
    if stage == TaskNotice.Stage.ESCALATED:
        role = ESCALATION.get(task.role)
    elif task.assignee_id is not None:
        return {task.assignee_id}
    elif task.role == Responsible.REQUESTER:
        return {task.requester_id}
    else:
        role = task.role
    if not role:  # a director's own work goes no higher
        return set()
    return set(holders.of(role, office_id=task.office_id, school_id=task.school_id))


def fan_out(notices: list[tuple[Any, ...]], *, today: datetime.date) -> dict[int, list[Line]]:
    """The digest lines of every person who hears of the notices (rows of NOTICE_FIELDS)."""
    lines: dict[int, list[Line]] = defaultdict(list)
    for batch in _batched(notices, FAN_OUT_BATCH):
        held = [(row, HeldTask(*row[2:8])) for row in batch]
        holders = RoleHolders(
            day=today,
            office_ids={task.office_id for _row, task in held},
            school_ids={task.school_id for _row, task in held if task.school_id is not None},
        )
        for row, task in held:
            line = Line(notice=row[0], stage=row[1], task=task.pk, due_on=row[8])
            for person in recipients(task, line.stage, holders):
                lines[person].append(line)
    return lines


def compose_digests(*, today: datetime.date) -> int:
    """Tell everyone the notices of the last few days that they hold and have not been sent:
    at most one digest per person per day, rewritten while it waits in the outbox; the
    notices of someone whose digest already went out today wait for tomorrow's. The number of
    digests made. Runs inside the caller's transaction (the daily pass's)."""
    horizon = today - datetime.timedelta(days=CATCH_UP_DAYS)
    notices = list(
        TaskNotice.objects.filter(day__gte=horizon, day__lte=today, task__status=Task.Status.OPEN)
        .order_by("pk")
        .values_list(*NOTICE_FIELDS)
    )
    if not notices:
        return 0
    lines = fan_out(notices, today=today)
    made = 0
    for people in _batched(sorted(lines), FAN_OUT_BATCH):
        made += _write_digests({person: lines[person] for person in people}, today=today)
    return made


def _digest_key(today: datetime.date, person: int) -> str:
    return f"digest:{today.isoformat()}:{person}"


def _write_digests(lines: dict[int, list[Line]], *, today: datetime.date) -> int:
    keys = {person: _digest_key(today, person) for person in lines}
    # Locked: delivery skips a digest being rewritten, so none leaves with half its lines.
    todays = {
        digest.recipient_id: digest
        for digest in Notification.objects.select_for_update().filter(dedupe_key__in=keys.values())
    }
    told = dict(
        Notification.objects.filter(kind="daily_digest", recipient_id__in=list(lines))
        .exclude(pk__in=[d.pk for d in todays.values() if d.status == Notification.Status.PENDING])
        .values("recipient_id")
        .annotate(upto=Max("digest_upto"))
        .values_list("recipient_id", "upto")
    )
    new: dict[int, list[Line]] = {}
    for person, person_lines in lines.items():
        untold = [line for line in person_lines if line.notice > (told.get(person) or 0)]
        digest = todays.get(person)
        if untold and (digest is None or digest.status == Notification.Status.PENDING):
            new[person] = untold
    if not new:
        return 0
    shown = {person: _shown(person_lines) for person, person_lines in new.items()}
    listed = {line.task for stages in shown.values() for lines in stages.values() for line in lines}
    details: dict[int, tuple[str, str]] = {
        pk: (reference, step)
        for pk, reference, step in Task.objects.filter(pk__in=listed).values_list(
            "pk", "case__reference", "step__name_th"
        )
    }
    url = reverse("processes:my_tasks")
    made: list[Notification] = []
    rewritten: list[Notification] = []
    for person, person_lines in new.items():
        digest = todays.get(person) or Notification(
            recipient_id=person, kind="daily_digest", url=url, dedupe_key=keys[person]
        )
        counts: dict[str, int] = dict.fromkeys(TaskNotice.Stage.values, 0)
        for line in person_lines:
            counts[line.stage] += 1
        digest.subject, digest.body = _digest_text(counts, shown[person], details, today=today)
        digest.digest_upto = max(line.notice for line in person_lines)
        (rewritten if digest.pk else made).append(digest)
    Notification.objects.bulk_create(made, batch_size=1_000)
    Notification.objects.bulk_update(rewritten, ["subject", "body", "digest_upto"], batch_size=500)
    return len(made)


def _shown(lines: list[Line]) -> dict[str, list[Line]]:
    """The lines a digest lists per stage: the most urgent (earliest due) first."""
    by_stage: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        by_stage[line.stage].append(line)
    return {
        stage: heapq.nsmallest(
            DIGEST_LINES_PER_STAGE,
            stage_lines,
            key=lambda line: (line.due_on or datetime.date.max, line.task),
        )
        for stage, stage_lines in by_stage.items()
    }


def _digest_text(
    counts: dict[str, int],
    shown: dict[str, list[Line]],
    details: dict[int, tuple[str, str]],
    *,
    today: datetime.date,
) -> tuple[str, str]:
    subject = _(
        "Your work on %(date)s: %(soon)s due soon, %(late)s overdue, %(up)s to follow up"
    ) % {
        "date": thaitime.format_thai_date(today),
        "soon": counts[TaskNotice.Stage.DUE_SOON],
        "late": counts[TaskNotice.Stage.OVERDUE],
        "up": counts[TaskNotice.Stage.ESCALATED],
    }
    body: list[str] = []
    for stage in TaskNotice.Stage:
        if not counts[stage]:
            continue
        body.append(f"{stage.label}:")
        for line in shown.get(stage, []):
            reference, step = details[line.task]
            late = thaitime.working_days_between(line.due_on, today) if line.due_on else 0
            body.append(
                "- "
                + _("%(reference)s %(step)s, due %(due)s")
                % {
                    "reference": reference,
                    "step": step,
                    "due": thaitime.format_thai_date(line.due_on),
                }
                + (" " + _("(%(days)s working days late)") % {"days": late} if late > 0 else "")
            )
        more = counts[stage] - len(shown.get(stage, []))
        if more > 0:
            body.append("- " + _("… and %(count)s more in My tasks") % {"count": more})
    return subject[:255], "\n".join(body)


def _batched(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(values)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def lapsed_start_cutoff(*, days: int, today: datetime.date) -> datetime.date:
    """The last start date from which `days` working days have run out by `today`: tasks
    started on it or earlier have lapsed. (Adding working days never moves a later start to an
    earlier end, so one date splits the started tasks in two.)"""
    day = today - datetime.timedelta(days=days)
    while thaitime.add_working_days(day, days) > today:
        day -= datetime.timedelta(days=1)
    return day

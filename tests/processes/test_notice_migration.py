"""The migration from digest lines per person to one notice per task keeps what was noticed
and marks every digest already written as having told it, so nobody is told twice."""

from __future__ import annotations

import datetime
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from processes.models import Notification, Task, TaskNotice
from processes.services import case_start

# Found by its name's tail, so renumbering at a merge does not break the test.
MIGRATION = next(
    path.stem
    for path in (Path(__file__).resolve().parents[2] / "processes" / "migrations").glob(
        "*_task_notices_told_at_composing.py"
    )
)
AFTER = [("processes", MIGRATION)]
BEFORE = [
    dependency
    for dependency in import_module(f"processes.migrations.{MIGRATION}").Migration.dependencies
    if dependency[0] == "processes"
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_lines_become_one_notice_per_task_and_stage(plan_definition, people):
    first = case_start(definition=plan_definition, requester=people["staff"], title="แผน 1")
    second = case_start(definition=plan_definition, requester=people["staff"], title="แผน 2")
    tasks = [first.tasks.get().pk, second.tasks.get().pk]
    monday, tuesday = datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)
    try:
        old_apps = migrate(BEFORE)
        DigestItem = old_apps.get_model("processes", "DigestItem")
        OldNotification = old_apps.get_model("processes", "Notification")
        digest = OldNotification.objects.create(
            recipient_id=people["staff"].pk,
            kind="daily_digest",
            subject="s",
            body="b",
            dedupe_key=f"digest:{monday}:{people['staff'].pk}",
        )
        for person in (people["staff"], people["staff2"]):
            DigestItem.objects.create(
                recipient_id=person.pk, task_id=tasks[0], stage="overdue", day=monday, digest=digest
            )
        DigestItem.objects.create(
            recipient_id=people["staff"].pk, task_id=tasks[0], stage="escalated", day=tuesday
        )
        DigestItem.objects.create(
            recipient_id=people["staff2"].pk, task_id=tasks[1], stage="due_soon", day=tuesday
        )
    finally:
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert sorted(TaskNotice.objects.values_list("task_id", "stage", "day")) == sorted(
        [
            (tasks[0], "overdue", monday),
            (tasks[0], "escalated", tuesday),
            (tasks[1], "due_soon", tuesday),
        ]
    )
    last = max(TaskNotice.objects.values_list("pk", flat=True))
    assert Notification.objects.get(kind="daily_digest").digest_upto == last
    assert Task.objects.filter(pk__in=tasks).count() == 2

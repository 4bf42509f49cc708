"""The yearly report's on-time percentage is computed over timed tasks only: recomputed here by
hand from the same cases."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.thaitime import fiscal_year_of
from processes.definitions import definition_import
from processes.models import Task
from processes.services import case_start, task_complete
from reports.report_providers import area_section

pytestmark = pytest.mark.django_db

PROCESS = {
    "code": "on-time",
    "title_th": "ทดสอบเวลามาตรฐาน",
    "area": "plans",
    "steps": [
        {
            "key": "timed",
            "name_th": "งานมีเวลา",
            "kind": "task",
            "responsible": "staff",
            "time_model": "working_days",
            "days_max": 5,
        },
        {"key": "untimed", "name_th": "งานไม่กำหนดเวลา", "kind": "task", "responsible": "staff"},
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ],
    "transitions": [
        {"from": "timed", "outcome": "done", "to": "untimed"},
        {"from": "untimed", "outcome": "done", "to": "end"},
    ],
}


def test_on_time_percentage_counts_timed_tasks_only(people, office):
    definition = definition_import(PROCESS).definition
    # Days each case's timed task finished after (+) or before (-) its due date.
    finished_vs_due = [-2, 0, 0, 3, 10]
    for n, offset in enumerate(finished_vs_due):
        case = case_start(definition=definition, requester=people["staff"], title=f"เรื่อง {n}")
        for _ in range(2):
            task = case.tasks.get(status=Task.Status.OPEN)
            task_complete(task=task, user=people["staff"], outcome="done")
        timed = case.tasks.get(step__key="timed")
        finished = timed.due_on + datetime.timedelta(days=offset)
        Task.objects.filter(pk=timed.pk).update(
            finished_at=timezone.make_aware(datetime.datetime.combine(finished, datetime.time(10)))
        )
        # An untimed task carrying a due date from the old one-day fallback, finished late:
        # it must not count at all.
        Task.objects.filter(case=case, step__key="untimed").update(
            due_on=timed.due_on - datetime.timedelta(days=30)
        )
    # By hand: finished on or before the due date: -2, 0, 0 → 3 of the 5 timed tasks.
    on_time = sum(1 for offset in finished_vs_due if offset <= 0)
    expected = round(100 * on_time / len(finished_vs_due), 1)
    assert expected == 60.0
    section = area_section(office, fiscal_year_of(timezone.localdate()), area="plans")
    block = next(b for b in section.blocks if b.key == "process-on-time")
    figures = dict(block.figures)
    assert figures["ขั้นตอนที่มีกำหนดเวลาและเสร็จทันเวลามาตรฐาน"] == "60% (3 จาก 5)"
    steps = {row[0]: row for row in block.tables[0].rows}
    assert set(steps) == {"งานมีเวลา"}  # the untimed step is not judged
    assert steps["งานมีเวลา"][2] == 5

"""Periodic tasks put on django-celery-beat by a migration, where admins see and adjust them.

Each app that runs scheduled work adds one migration with `schedule_operation(...)`; the task
is keyed by its dotted name, so running the migration again updates rather than duplicates.
Times are office time (Asia/Bangkok), as the manuals give them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import migrations

OFFICE_TIMEZONE = "Asia/Bangkok"
# The beat migration every scheduling migration depends on.
BEAT_DEPENDENCY = ("django_celery_beat", "0019_alter_periodictasks_options")


@dataclass(frozen=True)
class Schedule:
    """One periodic task: its dotted task name, the Thai name admins see, and a crontab."""

    task: str
    name: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"


def schedule_operation(*schedules: Schedule) -> migrations.RunPython:
    """A reversible migration operation that puts `schedules` on the beat (and takes them off)."""

    def schedule(apps: Any, schema_editor: Any) -> None:
        crontabs = apps.get_model("django_celery_beat", "CrontabSchedule")
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
        for item in schedules:
            crontab, _ = crontabs.objects.get_or_create(
                minute=item.minute,
                hour=item.hour,
                day_of_week=item.day_of_week,
                day_of_month=item.day_of_month,
                month_of_year="*",
                timezone=OFFICE_TIMEZONE,
            )
            tasks.objects.update_or_create(
                task=item.task,
                defaults={
                    "name": item.name,
                    "crontab": crontab,
                    "kwargs": json.dumps({}),
                    "enabled": True,
                },
            )

    def unschedule(apps: Any, schema_editor: Any) -> None:
        tasks = apps.get_model("django_celery_beat", "PeriodicTask")
        tasks.objects.filter(task__in=[item.task for item in schedules]).delete()

    return migrations.RunPython(schedule, unschedule)

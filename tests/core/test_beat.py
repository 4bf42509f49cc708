"""The periodic tasks the migrations put on the beat: each names a task the workers know."""

import pytest
from django.apps import apps as django_apps
from django.db.migrations.loader import MigrationLoader
from django_celery_beat.models import PeriodicTask

from config.celery_app import app as celery_app
from core.beat import Schedule, schedule_operation

SCHEDULED = {
    "processes.deliver_notifications",
    "processes.due_date_pass",
    "dmc_emis.daily_pass",
    "dmc_emis.create_next_year_rounds",
    "repairs.service_target_pass",
    "equipment_loans.loan_reminder_pass",
    "log_register.check_reminder_pass",
    "reports.yearly_close",
    "reports.monthly_summary",
    "documents.render_pending",
    "core.requeue_stalled_imports",
    "dmc_emis.settle_abandoned_imports",
    "core.requeue_stalled_renders",
    "core.clean_render_jobs",
}


def run_scheduling_migrations() -> None:
    """Run what every migration puts on the beat, whatever earlier tests left in the table
    (a transactional test empties it)."""
    for migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.values():
        for operation in migration.operations:
            code = getattr(operation, "code", None)
            if code is not None and code.__qualname__.startswith("schedule_operation."):
                code(django_apps, None)


@pytest.mark.django_db
def test_migrations_schedule_every_periodic_task_in_office_time():
    run_scheduling_migrations()
    tasks = {task.task: task for task in PeriodicTask.objects.select_related("crontab")}
    assert set(tasks) >= SCHEDULED
    celery_app.loader.import_default_modules()
    for name in tasks:
        assert name in celery_app.tasks, name
        assert str(tasks[name].crontab.timezone) == "Asia/Bangkok"
    loans = tasks["equipment_loans.loan_reminder_pass"].crontab
    assert (loans.minute, loans.hour) == ("30", "7")
    repairs = tasks["repairs.service_target_pass"].crontab
    assert (repairs.hour, repairs.day_of_week) == ("8-16", "1-5")
    assert tasks["reports.monthly_summary"].crontab.day_of_month == "1"
    # A person waits for a PDF a lost message left queued: sent again within minutes.
    assert tasks["core.requeue_stalled_renders"].crontab.minute == "*/2"


@pytest.mark.django_db
def test_schedule_operation_updates_in_place_and_reverses():
    operation = schedule_operation(
        Schedule(task="processes.due_date_pass", name="ชื่อใหม่", minute="5", hour="6")
    )
    operation.code(django_apps, None)
    operation.code(django_apps, None)  # a second run updates, never duplicates
    task = PeriodicTask.objects.get(task="processes.due_date_pass")
    assert (task.name, task.crontab.minute, task.enabled) == ("ชื่อใหม่", "5", True)
    operation.reverse_code(django_apps, None)
    assert not PeriodicTask.objects.filter(task="processes.due_date_pass").exists()

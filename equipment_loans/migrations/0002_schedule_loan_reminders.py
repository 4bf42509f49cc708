"""Run the loan reminders every morning: due-back reminders and daily overdue notices."""

import json

from django.db import migrations

NAME = "เตือนกำหนดคืนวัสดุอุปกรณ์ (loan reminders)"
TASK = "equipment_loans.loan_reminder_pass"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Bangkok",
    )
    PeriodicTask.objects.update_or_create(
        task=TASK, defaults={"name": NAME, "crontab": crontab, "kwargs": json.dumps({})}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("equipment_loans", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

"""Check the repair service targets every hour on the half hour, in office time."""

import json

from django.db import migrations

NAME = "ตรวจเวลามาตรฐานงานซ่อม (repair service targets)"
TASK = "repairs.service_target_pass"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="8-16",
        day_of_week="1-5",
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
        ("repairs", "0003_ticket_service_targets"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

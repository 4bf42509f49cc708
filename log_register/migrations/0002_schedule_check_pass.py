"""Run the log register's daily pass every morning (reminders before a monthly check is due,
missed checks to the group head)."""

import json

from django.db import migrations

NAME = "เตือนการตรวจข้อมูลจราจรคอมพิวเตอร์ (log check reminders)"
TASK = "log_register.check_reminder_pass"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
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
        ("log_register", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

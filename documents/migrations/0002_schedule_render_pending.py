"""Every 10 minutes, queue again documents still being prepared (a lost message, a broker
outage): the decision stands and its document follows."""

import json

from django.db import migrations

TASK = "documents.render_pending"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/10",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Bangkok",
    )
    PeriodicTask.objects.update_or_create(
        task=TASK,
        defaults={
            "name": "เอกสารราชการที่ยังจัดทำไม่เสร็จ (documents still being prepared)",
            "crontab": crontab,
            "kwargs": json.dumps({}),
            "enabled": True,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

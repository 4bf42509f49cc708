"""Schedule the reports' periodic work in django-celery-beat, where admins can adjust it."""

import json

from django.db import migrations

SCHEDULES = [
    # name, task, crontab (minute, hour, day of month)
    (
        "รายงานประจำปีและชุดข้อมูลส่งออกหลังสิ้นปีงบประมาณ (yearly report and export pack)",
        "reports.yearly_close",
        ("30", "2", "*"),
    ),
    (
        "สรุปผลการปฏิบัติงานรายเดือนถึง ผอ.สพท. (monthly summary to the director)",
        "reports.monthly_summary",
        ("0", "7", "1"),
    ),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month=day_of_month,
            month_of_year="*",
            timezone="Asia/Bangkok",
        )
        PeriodicTask.objects.update_or_create(
            task=task,
            defaults={"name": name, "crontab": crontab, "kwargs": json.dumps({}), "enabled": True},
        )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

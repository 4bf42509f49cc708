"""The scheduled tasks' names lose their English glosses: "เตือนกำหนดคืนวัสดุอุปกรณ์ (loan
reminders)" showed English words on the admin's Thai pages (lists, titles, breadcrumbs).
The programme name of each task (`task`) still tells admins which one it is."""

import re

from django.db import migrations

GLOSS = re.compile(r"\s*\([A-Za-z][A-Za-z0-9 ,.'/&-]*\)\s*$")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def drop_english_glosses(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task in PeriodicTask.objects.all():
        name = GLOSS.sub("", task.name)
        if name != task.name and THAI.search(name):
            if not PeriodicTask.objects.filter(name=name).exclude(pk=task.pk).exists():
                task.name = name
                task.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_yearly_report_text"),
        ("django_celery_beat", "0001_initial"),
        ("processes", "0003_schedule_engine_tasks"),
        ("documents", "0002_schedule_render_pending"),
        ("repairs", "0004_schedule_service_target_pass"),
        ("equipment_loans", "0002_schedule_loan_reminders"),
        ("log_register", "0002_schedule_check_pass"),
        ("dmc_emis", "0002_templates_and_schedule"),
    ]

    operations = [migrations.RunPython(drop_english_glosses, migrations.RunPython.noop)]

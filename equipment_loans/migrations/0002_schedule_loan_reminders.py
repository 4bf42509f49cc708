"""Run the loan reminders every morning: due-back reminders and daily overdue notices."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("equipment_loans", "0001_initial"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="equipment_loans.loan_reminder_pass",
                name="เตือนกำหนดคืนวัสดุอุปกรณ์ (loan reminders)",
                minute="30",
                hour="7",
            ),
        )
    ]

"""Run the log register's daily pass every morning (reminders before a monthly check is due,
missed checks to the group head)."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("log_register", "0001_initial"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="log_register.check_reminder_pass",
                name="เตือนการตรวจข้อมูลจราจรคอมพิวเตอร์ (log check reminders)",
                minute="15",
                hour="7",
            ),
        )
    ]

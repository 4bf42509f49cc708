"""Schedule the engine's periodic work in django-celery-beat, where admins can adjust it."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("processes", "0002_engine"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="processes.deliver_notifications",
                name="ส่งการแจ้งเตือนที่ค้างอยู่ (deliver pending notifications)",
                minute="*",
            ),
            Schedule(
                task="processes.due_date_pass",
                name="ตรวจกำหนดเวลางานประจำวัน (daily due-date pass)",
                minute="0",
                hour="6",
            ),
        )
    ]

"""Queue again, every hour, the spreadsheet imports a broker outage left waiting."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="core.requeue_stalled_imports",
                name="ส่งงานนำเข้าไฟล์ที่ค้างคิวเข้าคิวใหม่ (stalled imports)",
                minute="20",
            ),
        )
    ]

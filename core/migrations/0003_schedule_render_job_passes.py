"""Send again, every two minutes, the documents a broker outage or a dead worker left waiting;
every hour, remove the rendered files kept for a day."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("core", "0002_render_job"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="core.requeue_stalled_renders",
                name="ส่งงานสร้างเอกสาร PDF ที่ค้างคิวเข้าคิวใหม่ (stalled renders)",
                minute="*/2",
            ),
            Schedule(
                task="core.clean_render_jobs",
                name="ลบไฟล์เอกสาร PDF ที่สร้างไว้เกิน 1 วัน (rendered files)",
                minute="35",
            ),
        )
    ]

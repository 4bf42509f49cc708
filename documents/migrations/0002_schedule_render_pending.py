"""Every 10 minutes, queue again documents still being prepared (a lost message, a broker
outage): the decision stands and its document follows."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="documents.render_pending",
                name="เอกสารราชการที่ยังจัดทำไม่เสร็จ (documents still being prepared)",
                minute="*/10",
            ),
        )
    ]

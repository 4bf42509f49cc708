"""Every hour, imports whose worker died end as failed instead of showing "running" forever."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [
        BEAT_DEPENDENCY,
        ("dmc_emis", "0005_student_rows_checked_by_the_import"),
    ]

    operations = [
        schedule_operation(
            Schedule(
                task="dmc_emis.settle_abandoned_imports",
                name="ปิดงานนำเข้าข้อมูลนักเรียนที่ค้างเพราะเครื่องประมวลผลหยุด (abandoned imports)",
                minute="40",
            ),
        )
    ]

"""Check the repair service targets every hour on the half hour, in office time."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("repairs", "0003_ticket_service_targets"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="repairs.service_target_pass",
                name="ตรวจเวลามาตรฐานงานซ่อม (repair service targets)",
                minute="30",
                hour="8-16",
                day_of_week="1-5",
            ),
        )
    ]

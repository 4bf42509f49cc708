"""Schedule the reports' periodic work in django-celery-beat, where admins can adjust it."""

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_report_job"), BEAT_DEPENDENCY]

    operations = [
        schedule_operation(
            Schedule(
                task="reports.yearly_close",
                name="รายงานประจำปีและชุดข้อมูลส่งออกหลังสิ้นปีงบประมาณ (yearly report and export pack)",
                minute="30",
                hour="2",
            ),
            Schedule(
                task="reports.monthly_summary",
                name="สรุปผลการปฏิบัติงานรายเดือนถึง ผอ.สพท. (monthly summary to the director)",
                minute="0",
                hour="7",
                day_of_month="1",
            ),
        )
    ]

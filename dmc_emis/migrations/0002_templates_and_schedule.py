"""The national rounds as templates (admins adjust them), and the round tasks on the beat."""

import datetime

from django.db import migrations

from core.beat import BEAT_DEPENDENCY, Schedule, schedule_operation

# kind, Thai title, month, day, year offset from the academic year's first calendar year.
# DMC and year-end dates are OBEC's fixed dates; EMIS, B-OBEC and M-OBEC have no fixed national
# date, so their templates start inactive with a placeholder date the admin sets each year.
TEMPLATES = [
    ("dmc_term1", "ข้อมูลนักเรียน DMC ภาคเรียนที่ 1 (ณ 10 มิถุนายน)", 6, 10, 0, True),
    ("dmc_term2", "ข้อมูลนักเรียน DMC ภาคเรียนที่ 2 (ณ 10 พฤศจิกายน)", 11, 10, 0, True),
    ("year_end", "ข้อมูลนักเรียนสิ้นปีการศึกษา (ณ 30 เมษายน)", 4, 30, 1, True),
    ("emis", "ข้อมูลสารสนเทศเพื่อการบริหาร (EMIS)", 6, 30, 0, False),
    ("b_obec", "ข้อมูลอาคาร ที่ดิน สิ่งก่อสร้าง (B-OBEC)", 7, 31, 0, False),
    ("m_obec", "ข้อมูลครุภัณฑ์ (M-OBEC)", 7, 31, 0, False),
]
MILESTONES = [
    {"status": "submitted", "days_before": 7},
    {"status": "confirmed", "days_before": 0},
    {"status": "certified", "days_before": 0},
    {"status": "acknowledged", "days_before": -1},
]


def seed(apps, schema_editor):
    RoundTemplate = apps.get_model("dmc_emis", "RoundTemplate")
    for kind, title, month, day, offset, active in TEMPLATES:
        RoundTemplate.objects.get_or_create(
            kind=kind,
            defaults={
                "title_th": title,
                "deadline_month": month,
                "deadline_day": day,
                "year_offset": offset,
                "opens_days_before": 30,
                "cutoff_time": datetime.time(16, 30),
                "milestones": MILESTONES,
                "reminder_days": [14, 7, 3, 1, 0],
                "jump_threshold_percent": 20,
                "is_active": active,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dmc_emis", "0001_rounds"), BEAT_DEPENDENCY]

    operations = [
        # The templates stay on the way back: admins may have adjusted them.
        migrations.RunPython(seed, migrations.RunPython.noop),
        schedule_operation(
            Schedule(
                task="dmc_emis.daily_pass",
                name="รอบข้อมูล DMC/EMIS: แจ้งเตือนโรงเรียนและสรุปวันกำหนดส่ง",
                hour="7",
            ),
            Schedule(
                task="dmc_emis.create_next_year_rounds",
                name="รอบข้อมูล DMC/EMIS: สร้างรอบของปีการศึกษาถัดไป",
                minute="30",
                hour="5",
            ),
        ),
    ]

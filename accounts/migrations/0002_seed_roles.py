"""Roles are data: ship the seven the portal knows so every database starts with them."""

from django.db import migrations

ROLES = [
    (
        "school_user",
        "ผู้ใช้สถานศึกษา",
        "School user",
        "ครูหรือเจ้าหน้าที่ของสถานศึกษา แจ้งซ่อม ขอยืม ตอบแบบสอบถาม",
    ),
    ("school_director", "ผู้อำนวยการสถานศึกษา", "School director", "รับรองคำขอและข้อมูล DMC ของโรงเรียน"),
    ("staff", "เจ้าหน้าที่กลุ่ม", "Staff", "ปฏิบัติงานตามขั้นตอนที่ได้รับมอบหมาย"),
    ("group_head", "ผู้อำนวยการกลุ่ม", "Group head", "มอบหมายงาน และอนุมัติขั้นแรก"),
    ("deputy_director", "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "Deputy director", "อนุมัติขั้นกลาง"),
    ("director", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "District director", "อนุมัติขั้นสุดท้าย"),
    ("admin", "ผู้ดูแลระบบ", "Administrator", "ดูแลกระบวนงาน ผู้ใช้ สถานศึกษา วันหยุด และรายงานประจำปี"),
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name_th, name_en, description in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]

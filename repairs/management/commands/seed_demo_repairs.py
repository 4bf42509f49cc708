"""Demo repair requests and assets for the demo office (idempotent; after seed_demo)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from repairs.models import Asset, RepairTicket
from repairs.services import ticket_file, ticket_triage

ASSETS = [
    # school user, category, brand, model, asset number, location
    ("school1", "projector", "Epson", "EB-X51", "7440-001-0001/65", "ห้อง ป.6/1"),
    ("school1", "computer", "Acer", "Veriton M4", "7440-001-0012/66", "ห้องคอมพิวเตอร์ 1"),
    ("school2", "dltv", "PSI", "S2X HD", "5820-002-0003/63", "ห้อง ป.4"),
]
TICKETS = [
    # school user, asset number, category, symptom, location, urgency, triage by group head
    (
        "school1",
        "7440-001-0001/65",
        "projector",
        "โปรเจกเตอร์เปิดไม่ติด มีไฟกะพริบสีส้ม",
        "ห้อง ป.6/1",
        "high",
        True,
    ),
    (
        "school2",
        "5820-002-0003/63",
        "dltv",
        "ทีวีขึ้นข้อความไม่มีสัญญาณ ช่อง DLTV 1-15",
        "ห้อง ป.4",
        "critical",
        False,
    ),
    ("school1", "", "network", "อินเทอร์เน็ตในอาคาร 2 ใช้งานไม่ได้ตั้งแต่เช้า", "อาคาร 2", "normal", False),
]


# The office's own equipment that it lends (equipment loans makes its loan items from them).
OFFICE_ASSETS = [
    # category, brand, model, asset number, location
    ("projector", "Epson", "EB-X51 (ชุดที่ 1)", "7440-001-0101/66", "ห้องกลุ่มส่งเสริมฯ ตู้ 1"),
    ("projector", "Epson", "EB-X51 (ชุดที่ 2)", "7440-001-0102/66", "ห้องกลุ่มส่งเสริมฯ ตู้ 1"),
    ("computer", "Lenovo", "ThinkPad E14", "7440-001-0201/67", "ห้องกลุ่มส่งเสริมฯ ตู้ 2"),
    ("other", "Canon", "EOS M50 กล้องถ่ายภาพ", "6730-002-0301/65", "ห้องกลุ่มส่งเสริมฯ ตู้ 2"),
    ("dltv", "PSI", "ชุดรับสัญญาณ DLTV สำรอง", "5820-002-0401/64", "ห้องเก็บของ"),
]


class Command(BaseCommand):
    help = "Create demo assets and repair requests (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = {
            u.username: u
            for u in User.objects.filter(username__in=["school1", "school2", "grouphead", "staff1"])
        }
        if len(users) < 4:
            raise CommandError("Run `manage.py seed_demo` first.")
        for username, category, brand, model, number, location in ASSETS:
            school = users[username].school
            assert school is not None  # seed_demo gives the school users a school
            Asset.objects.get_or_create(
                office=school.office,
                asset_number=number,
                defaults={
                    "school": school,
                    "category": category,
                    "brand": brand,
                    "model_name": model,
                    "location": location,
                },
            )
        office = users["staff1"].office
        for category, brand, model, number, location in OFFICE_ASSETS:
            Asset.objects.get_or_create(
                office=office,
                asset_number=number,
                defaults={
                    "category": category,
                    "brand": brand,
                    "model_name": model,
                    "location": location,
                    "is_loanable": True,
                },
            )
        created = 0
        for username, number, category, symptom, location, urgency, triage in TICKETS:
            if RepairTicket.objects.filter(symptom=symptom).exists():
                continue
            requester = users[username]
            ticket = ticket_file(
                requester=requester,
                school=requester.school,
                category=category,
                symptom=symptom,
                location=location,
                urgency=urgency,
                contact_phone="081-234-5678",
                asset=Asset.objects.filter(asset_number=number).first() if number else None,
            )
            if triage:
                ticket_triage(
                    ticket=ticket,
                    user=users["grouphead"],
                    priority=urgency,
                    technician=users["staff1"],
                )
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo repair requests: {created} created."))

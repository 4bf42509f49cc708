"""Demo loan equipment and loans for the demo office (idempotent; after seed_demo and
seed_demo_repairs, whose asset register holds the office's loanable equipment)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from equipment_loans.models import Condition, ItemCategory, Loan, LoanItem, LoanLine
from equipment_loans.services import (
    Wanted,
    items_from_loanable_assets,
    loan_check_in,
    loan_check_out,
    loan_request,
)
from processes.models import Task
from processes.services import task_complete

STOCK = [
    # name, category, units, accessories
    ("แท็บเล็ต Samsung Galaxy Tab A9", ItemCategory.TABLET, 40, "สายชาร์จ, เคส"),
    ("ไมโครโฟนไร้สาย Shure", ItemCategory.AUDIO, 4, "ตัวรับสัญญาณ, ถ่าน AA"),
    ("สิทธิ์ใช้งานซอฟต์แวร์ตัดต่อวิดีโอ", ItemCategory.SOFTWARE, 25, ""),
    ("ชุดสื่อการเรียนรู้ DLIT (USB)", ItemCategory.MEDIA, 10, ""),
    ("คู่มือการใช้งาน DLTV", ItemCategory.DOCUMENT, 20, ""),
]
ACCESSORIES = {"projector": "สาย HDMI, รีโมท, กระเป๋า", "computer": "อะแดปเตอร์, เมาส์"}


class Command(BaseCommand):
    help = "Create demo loan equipment and loans in several states (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        names = ["school1", "school2", "staff1", "grouphead"]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        if len(users) < len(names):
            raise CommandError("Run `manage.py seed_demo` first.")
        office = users["staff1"].office
        assert office is not None  # seed_demo gives staff1 an office
        items_from_loanable_assets(office=office)
        for item in LoanItem.objects.filter(office=office, asset__isnull=False, accessories=""):
            assert item.asset is not None  # filtered on asset__isnull=False
            item.accessories = ACCESSORIES.get(item.asset.category, "")
            item.save(update_fields=["accessories"])
        for name, category, units, accessories in STOCK:
            LoanItem.objects.get_or_create(
                office=office,
                name=name,
                defaults={
                    "category": category,
                    "quantity": units,
                    "accessories": accessories,
                    "location": "ห้องกลุ่มส่งเสริมฯ",
                },
            )
        if Loan.objects.filter(office=office).exists():
            self.stdout.write("Demo loans already exist.")
            return
        self._loans(users, office)
        self.stdout.write(self.style.SUCCESS("Demo loans created."))

    def _loans(self, users, office):
        today = timezone.localdate()
        day = datetime.timedelta(days=1)
        item = {i.name: i for i in LoanItem.objects.filter(office=office)}
        projector = item["Epson EB-X51 (ชุดที่ 1)"]
        tablets = item["แท็บเล็ต Samsung Galaxy Tab A9"]
        notebook = item["Lenovo ThinkPad E14"]
        camera = item["Canon EOS M50 กล้องถ่ายภาพ"]
        head, staff = users["grouphead"], users["staff1"]

        def request(user, wanted, purpose, starts, ends, kind=Loan.Kind.BORROW):
            return loan_request(
                requester=user,
                kind=kind,
                school=user.school,
                wanted=wanted,
                purpose=purpose,
                project="",
                starts_on=starts,
                ends_on=ends,
                pickup_place="ห้องกลุ่มส่งเสริมการศึกษาทางไกลฯ",
                return_place="ห้องกลุ่มส่งเสริมการศึกษาทางไกลฯ",
                contact_phone="081-234-5678",
            )

        def decide(loan, user, outcome="done"):
            task = loan.case.tasks.get(status=Task.Status.OPEN)
            task_complete(task=task, user=user, outcome=outcome)

        def hand_over(loan):
            borrower = loan.requester
            loan_check_out(
                loan=loan,
                user=staff,
                conditions={line.pk: Condition.GOOD for line in loan.lines.all()},
                accessories="",
                acknowledgement=f"{borrower.first_name} {borrower.last_name}",
            )

        # Waiting for the group head.
        request(
            users["school1"],
            [Wanted(projector, 1)],
            "ใช้นำเสนอในการประชุมผู้ปกครอง",
            today + 7 * day,
            today + 8 * day,
        )
        # Approved and ready for pick-up.
        ready = request(
            users["school2"],
            [Wanted(tablets, 20)],
            "กิจกรรมสอบ O-NET ทดลองออนไลน์ ชั้น ป.6",
            today,
            today + 4 * day,
        )
        decide(ready, head, "approve")
        decide(ready, staff)
        # Out on loan, due back soon.
        out = request(staff, [Wanted(notebook, 1)], "อบรมครูแกนนำ DLIT", today, today + 2 * day)
        decide(out, head, "approve")
        decide(out, staff)
        hand_over(out)
        # Out and overdue: booked a week ago (dates moved back, as only demo data may do).
        late = request(
            users["school1"], [Wanted(camera, 1)], "ถ่ายภาพกิจกรรมวันวิทยาศาสตร์", today, today
        )
        decide(late, head, "approve")
        decide(late, staff)
        hand_over(late)
        Loan.objects.filter(pk=late.pk).update(starts_on=today - 9 * day, ends_on=today - 4 * day)
        LoanLine.objects.filter(loan=late).update(
            starts_on=today - 9 * day, ends_on=today - 4 * day
        )
        late.case.tasks.filter(status=Task.Status.OPEN).update(due_on=today - 4 * day)
        # Returned in good order.
        done = request(users["school2"], [Wanted(projector, 1)], "อบรมครู", today, today)
        decide(done, head, "approve")
        decide(done, staff)
        hand_over(done)
        loan_check_in(
            loan=done,
            user=staff,
            conditions={line.pk: Condition.GOOD for line in done.lines.all()},
        )

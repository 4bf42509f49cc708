"""Demo plans, a survey and a specification library for the demo office (idempotent; after
seed_demo and load_catalogue)."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from processes.models import Task
from processes.services import task_complete
from workplans.models import KPI, Activity, Plan, PlanKind, Project, SpecItem, Strategy, Survey
from workplans.services import plan_create, plan_decide, survey_create, survey_send

SPEC_ITEMS = [
    # type, name, characteristics, unit, price ceiling
    (
        "desktop",
        "เครื่องคอมพิวเตอร์สำหรับงานประมวลผล แบบที่ 1",
        "- หน่วยประมวลผลกลาง (CPU) ไม่น้อยกว่า 6 แกนหลัก (6 core)\n"
        "- หน่วยความจำหลัก (RAM) ชนิด DDR4 หรือดีกว่า ขนาดไม่น้อยกว่า 8 GB\n"
        "- หน่วยจัดเก็บข้อมูล ชนิด SSD ขนาดความจุไม่น้อยกว่า 250 GB\n"
        "- จอแสดงภาพขนาดไม่น้อยกว่า 19 นิ้ว",
        "เครื่อง",
        "22000",
    ),
    (
        "notebook",
        "เครื่องคอมพิวเตอร์โน้ตบุ๊ก สำหรับงานประมวลผล",
        "- หน่วยประมวลผลกลาง (CPU) ไม่น้อยกว่า 4 แกนหลัก\n"
        "- หน่วยความจำหลัก (RAM) ขนาดไม่น้อยกว่า 8 GB\n"
        "- หน่วยจัดเก็บข้อมูล ชนิด SSD ขนาดความจุไม่น้อยกว่า 250 GB\n"
        "- จอภาพขนาดไม่น้อยกว่า 12 นิ้ว",
        "เครื่อง",
        "24000",
    ),
    (
        "printer",
        "เครื่องพิมพ์เลเซอร์ หรือ LED ขาวดำ (18 หน้า/นาที)",
        "- ความละเอียดในการพิมพ์ไม่น้อยกว่า 600x600 dpi\n"
        "- ความเร็วในการพิมพ์ไม่น้อยกว่า 18 หน้าต่อนาที\n"
        "- มีช่องเชื่อมต่อ USB 2.0 หรือดีกว่า",
        "เครื่อง",
        "3300",
    ),
    (
        "network",
        "อุปกรณ์กระจายสัญญาณไร้สาย (Access Point) แบบที่ 2",
        "- รองรับมาตรฐาน IEEE 802.11ax\n- รองรับการบริหารจัดการผ่าน Web Browser",
        "ชุด",
        "12000",
    ),
    (
        "projector",
        "เครื่องมัลติมีเดียโปรเจคเตอร์ ระดับ XGA ขนาด 3,500 ANSI Lumens",
        "- ความละเอียดไม่น้อยกว่า XGA (1024x768)\n- ความสว่างไม่น้อยกว่า 3,500 ANSI Lumens",
        "เครื่อง",
        "29000",
    ),
]
STANDARD = "เกณฑ์ราคากลางและคุณลักษณะพื้นฐานการจัดหาอุปกรณ์และระบบคอมพิวเตอร์ กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
DRAFT_TITLE = "แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา ปีงบประมาณ 2570-2572"
APPROVED_TITLE = "แผนแม่บทเทคโนโลยีสารสนเทศและการสื่อสาร ปีงบประมาณ 2570"


class Command(BaseCommand):
    help = "Create demo plans, a stakeholder survey and the specification library (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        names = ["staff1", "grouphead", "director", "school1"]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        if len(users) < len(names):
            raise CommandError("Run `manage.py seed_demo` first.")
        staff = users["staff1"]
        for item_type, name, characteristics, unit, ceiling in SPEC_ITEMS:
            SpecItem.objects.get_or_create(
                office=staff.office,
                name=name,
                year=2568,
                defaults={
                    "item_type": item_type,
                    "characteristics": characteristics,
                    "unit": unit,
                    "price_ceiling": Decimal(ceiling),
                    "source_standard": STANDARD,
                },
            )
        if not Plan.objects.filter(office=staff.office, title=DRAFT_TITLE).exists():
            plan = plan_create(
                user=staff,
                kind=PlanKind.DIGITAL_QUALITY,
                title=DRAFT_TITLE,
                fiscal_year_start=2570,
                fiscal_year_end=2572,
            )
            _fill(plan)
            survey = survey_create(
                plan=plan,
                user=staff,
                title="ความคิดเห็นของผู้มีส่วนได้ส่วนเสียต่อการจัดทำแผนฯ",
                intro="ขอความร่วมมือโรงเรียนตอบแบบสอบถาม โรงเรียนละ 1 ชุด",
                questions=[
                    {"kind": "rating", "text": "ความพร้อมของอินเทอร์เน็ตในโรงเรียน"},
                    {
                        "kind": "choice",
                        "text": "สิ่งที่โรงเรียนต้องการมากที่สุด",
                        "choices": ["อุปกรณ์คอมพิวเตอร์", "การอบรมครู", "อินเทอร์เน็ต"],
                    },
                    {"kind": "text", "text": "ข้อเสนอแนะ", "required": False},
                ],
            )
            survey_send(survey=survey, user=staff)
        if not Plan.objects.filter(office=staff.office, title=APPROVED_TITLE).exists():
            self._approved_plan(users)
        self.stdout.write(
            f"Workplans demo: {Plan.objects.count()} plans, {Survey.objects.count()} surveys,"
            f" {SpecItem.objects.count()} library items."
        )

    def _approved_plan(self, users):
        """An ICT master plan taken through its gate, so the public page has something to show."""
        plan = plan_create(
            user=users["staff1"],
            kind=PlanKind.ICT_MASTER,
            title=APPROVED_TITLE,
            fiscal_year_start=2570,
            fiscal_year_end=2570,
        )
        _fill(plan)
        answers = {
            "appoint": {"order_no": "123/2569", "order_date": "1/10/2569"},
            "study": {"target": "โรงเรียนในสังกัด", "budget": "175500", "finish_on": "30/9/2570"},
        }
        for step_key in ("appoint", "study"):
            task = Task.objects.get(case=plan.case, status=Task.Status.OPEN)
            if task.step.key != step_key:
                raise CommandError(f"ict-master-plan: expected {step_key}, at {task.step.key}")
            # A stand-in PDF for each document the step asks for (e.g. the appointing order).
            files = [
                (label, ContentFile(b"%PDF-1.4 demo", name="demo.pdf"))
                for label in task.step.attachments
            ]
            task_complete(
                task=task, user=users["staff1"], outcome="done", data=answers[step_key], files=files
            )
        task = Task.objects.get(case=plan.case, status=Task.Status.OPEN)
        task_complete(task=task, user=users["grouphead"], outcome="approve")
        task = Task.objects.get(case=plan.case, status=Task.Status.OPEN)
        director = users["director"]
        plan_decide(
            plan=plan,
            task=task,
            user=director,
            outcome="approve",
            signed_name=director.display_name,
        )


def _fill(plan: Plan) -> None:
    first = Strategy.objects.create(plan=plan, position=1, title="พัฒนาโครงสร้างพื้นฐานด้านเทคโนโลยีดิจิทัล")
    second = Strategy.objects.create(plan=plan, position=2, title="พัฒนาครูและบุคลากรให้ใช้เทคโนโลยีดิจิทัล")
    plan.vision = "สถานศึกษาทุกแห่งใช้เทคโนโลยีดิจิทัลยกระดับคุณภาพการเรียนรู้"
    plan.goals = "1. โรงเรียนมีอินเทอร์เน็ตความเร็วสูงครบทุกแห่ง\n2. ครูใช้สื่อดิจิทัลในการสอน"
    plan.save(update_fields=["vision", "goals"])
    network = Project.objects.create(
        plan=plan, strategy=first, position=1, name="โครงการยกระดับเครือข่ายโรงเรียน", owner="staff1"
    )
    training = Project.objects.create(
        plan=plan, strategy=second, position=2, name="โครงการอบรมครูด้าน DLIT", owner="staff1"
    )
    Activity.objects.create(
        project=network,
        position=1,
        name="สำรวจและติดตั้งจุดกระจายสัญญาณ",
        owner="staff1",
        budget=Decimal("120000"),
    )
    Activity.objects.create(
        project=training,
        position=1,
        name="อบรมเชิงปฏิบัติการ DLIT",
        owner="staff2",
        budget=Decimal("55500"),
    )
    KPI.objects.create(
        plan=plan,
        position=1,
        name="ร้อยละของโรงเรียนที่มีอินเทอร์เน็ตความเร็วสูง",
        unit="ร้อยละ",
        target=90,
    )
    KPI.objects.create(plan=plan, position=2, name="จำนวนครูที่ผ่านการอบรม DLIT", unit="คน", target=200)

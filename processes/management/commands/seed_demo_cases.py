"""Put a few believable cases into the demo office so every role has something to look at.

Runs after `load_catalogue` and `seed_demo`; does nothing when the demo cases already exist.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from processes.form_schema import is_signature
from processes.models import Case, ProcessDefinition, StepDefinition, Task
from processes.services import case_start, task_assign, task_complete

# (process code, title, requester, school user's username or "", decisions to take)
DEMO_CASES = [
    # Eight decisions: the seven drafting steps and the group head; the director decides next.
    ("digital-tech-plan", "แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา ปีงบประมาณ 2570", "staff1", "", 8),
    ("distance-ed-plan", "แผนการส่งเสริมการศึกษาทางไกล ปีงบประมาณ 2570", "staff2", "", 4),
    ("computer-specs", "คุณลักษณะเฉพาะเครื่องคอมพิวเตอร์สำหรับห้องเรียน DLIT", "staff1", "", 2),
    ("ict-consulting", "อินเทอร์เน็ตห้องคอมพิวเตอร์ใช้งานไม่ได้", "staff2", "school1", 1),
    ("dmc-round", "ข้อมูลนักเรียน DMC ภาคเรียนที่ 2/2569", "staff1", "school1", 1),
    ("office-website", "ปรับปรุงเว็บไซต์สำนักงาน ไตรมาส 1", "staff2", "", 0),
]
SAMPLE = {"text": "ดำเนินการแล้ว", "number": "12", "date": "2026-11-20"}
# A working group as an appoint step records it, so the demo's appointment order reads true.
DEMO_MEMBERS = [
    {"name": "นายสมชาย ใจดี", "position": "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ", "role": "ประธาน"},
    {"name": "นางสาวสุดา รักงาน", "position": "นักวิชาการคอมพิวเตอร์ชำนาญการ", "role": "กรรมการ"},
    {
        "name": "นายวิทยา ช่างคิด",
        "position": "นักวิชาการคอมพิวเตอร์ปฏิบัติการ",
        "role": "กรรมการและเลขานุการ",
    },
]


def sample_data(step: StepDefinition, actor: User) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in step.form_schema:
        kind = field.get("type", "text")
        if is_signature(field):
            data[field["name"]] = actor.display_name  # a signature is the decider's own name
        elif kind == "choice":
            data[field["name"]] = str(field["choices"][0])
        elif kind == "table" and field["name"] == "members":
            columns = {c["name"] for c in field.get("columns", [])}
            where = "unit" if "unit" in columns else "position"
            data["members"] = [
                {"name": m["name"], where: m["position"], "duty": m["role"]} for m in DEMO_MEMBERS
            ]
        elif kind == "table":
            data[field["name"]] = [
                {c["name"]: SAMPLE.get(c.get("type", "text")) for c in field.get("columns", [])}
            ]
        elif kind != "file":
            data[field["name"]] = SAMPLE[kind]
    return data


def sample_files(step: StepDefinition) -> list[tuple[str, ContentFile[bytes]]]:
    labels = [f["name"] for f in step.form_schema if f.get("type") == "file"]
    labels += list(step.attachments)
    return [(label, ContentFile(b"%PDF-1.4\n% demo\n", name="demo.pdf")) for label in labels]


class Command(BaseCommand):
    help = "Create demo cases in the demo office (idempotent)."

    @transaction.atomic
    def handle(self, *args: str, **options: Any) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=self.usernames())}
        if len(users) < len(self.usernames()):
            raise CommandError("Run `manage.py seed_demo` first.")
        created = 0
        for code, title, requester, school_user, decisions in DEMO_CASES:
            if Case.objects.filter(title=title).exists():
                continue
            definition = ProcessDefinition.objects.filter(code=code).first()
            if definition is None:
                raise CommandError("Run `manage.py load_catalogue` first.")
            school = users[school_user].school if school_user else None
            case = case_start(
                definition=definition, requester=users[requester], title=title, school=school
            )
            for _ in range(decisions):
                if not self.advance(case, users):
                    break
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo cases: {created} created."))

    @staticmethod
    def usernames() -> set[str]:
        return {"staff1", "staff2", "grouphead", "deputy", "director", "school1", "schooldir1"}

    def advance(self, case: Case, users: dict[str, User]) -> bool:
        task = case.tasks.filter(status=Task.Status.OPEN).select_related("step").first()
        if task is None:
            return False
        actor = self.actor_for(task, case, users)
        if task.role == "staff" and task.assignee_id is None:
            task_assign(task=task, assignee=actor, user=users["grouphead"])
        outcome = task.step.outcomes[0][0]  # approve, acknowledge, done or the first option
        task_complete(
            task=task,
            user=actor,
            outcome=outcome,
            comment="",
            data=sample_data(task.step, actor),
            files=sample_files(task.step),
        )
        return True

    @staticmethod
    def actor_for(task: Task, case: Case, users: dict[str, User]) -> User:
        return {
            "staff": case.requester,
            "requester": case.requester,
            "group_head": users["grouphead"],
            "deputy_director": users["deputy"],
            "director": users["director"],
            "school_user": users["school1"],
            "school_director": users["schooldir1"],
        }[task.role]

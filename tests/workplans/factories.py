"""Helpers that build plans and spec drafts the way the portal does (through the services)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from processes.definitions import definition_import
from processes.models import Task
from processes.services import task_complete
from workplans.models import KPI, Activity, Plan, PlanKind, Project, SpecItem, Strategy
from workplans.services import plan_create

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


def load_definitions(*codes: str) -> None:
    for code in codes:
        definition_import(json.loads((CATALOGUE / f"{code}.json").read_text("utf-8")))


def make_plan(staff, *, kind: str = PlanKind.DIGITAL_QUALITY, title: str = "แผนทดสอบ") -> Plan:
    return plan_create(
        user=staff, kind=kind, title=title, fiscal_year_start=2570, fiscal_year_end=2572
    )


def fill_plan(plan: Plan) -> dict:
    """A strategy, two projects with activities (budgets 100,000 / 50,000 / 25,500.50), 2 KPIs."""
    strategy = Strategy.objects.create(plan=plan, position=1, title="พัฒนาโครงสร้างพื้นฐาน")
    first = Project.objects.create(plan=plan, strategy=strategy, position=1, name="เครือข่าย")
    second = Project.objects.create(plan=plan, strategy=strategy, position=2, name="อบรมครู")
    activities = [
        Activity.objects.create(project=first, name="วางสาย LAN", owner="ก", budget=100000),
        Activity.objects.create(project=first, name="จุดกระจาย Wi-Fi", owner="ข", budget=50000),
        Activity.objects.create(
            project=second, name="อบรม DLIT", owner="ค", budget=Decimal("25500.50")
        ),
    ]
    kpis = [
        KPI.objects.create(plan=plan, position=1, name="โรงเรียนมีอินเทอร์เน็ต", unit="%", target=90),
        KPI.objects.create(plan=plan, position=2, name="ครูผ่านการอบรม", unit="คน", target=200),
    ]
    return {"projects": [first, second], "activities": activities, "kpis": kpis}


def open_task(plan_or_case) -> Task:
    case = getattr(plan_or_case, "case", plan_or_case)
    return case.tasks.filter(status=Task.Status.OPEN).select_related("step").get()


def sample_data(task: Task) -> tuple[dict, list]:
    """Values for the step's required fields and files, like the catalogue walk."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {}
    for field in task.step.form_schema:
        kind = field.get("type", "text")
        if kind == "file":
            continue
        data[field["name"]] = {
            "number": "1",
            "date": "21/11/2569",
            "choice": str((field.get("choices") or ["x"])[0]),
            "table": [{c["name"]: "ทดสอบ" for c in field.get("columns", [])}],
        }.get(kind, "ทดสอบ")
    labels = [f["name"] for f in task.step.form_schema if f.get("type") == "file"]
    labels += list(task.step.attachments)
    files = [
        (label, SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4 x", "application/pdf"))
        for i, label in enumerate(labels)
    ]
    return data, files


def work_until(plan_or_case, step_key: str, user) -> Task:
    """Complete work steps with sample data until the case reaches `step_key`."""
    for _ in range(30):
        task = open_task(plan_or_case)
        if task.step.key == step_key:
            return task
        data, files = sample_data(task)
        task_complete(task=task, user=user, outcome="done", data=data, files=files)
    raise AssertionError(f"never reached {step_key}")


def make_spec_item(office, **extra) -> SpecItem:
    values = {
        "item_type": "desktop",
        "name": "เครื่องคอมพิวเตอร์สำหรับงานประมวลผล แบบที่ 1",
        "characteristics": "- หน่วยประมวลผลกลาง 6 แกนหลัก\n- หน่วยความจำ 8 GB",
        "unit": "เครื่อง",
        "price_ceiling": Decimal("22000"),
        "source_standard": "เกณฑ์ราคากลางและคุณลักษณะพื้นฐานครุภัณฑ์คอมพิวเตอร์ กระทรวงดิจิทัลฯ",
        "year": 2568,
    }
    values.update(extra)
    return SpecItem.objects.create(office=office, **values)

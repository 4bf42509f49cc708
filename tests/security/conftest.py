"""One office with something of every kind, and a signed-in client per role."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import RoleCode, School
from documents.models import IssuedDocument
from documents.services import document_render, outside_number_take
from tests.factories import make_user

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
ROLES = [
    "anonymous",
    "school_a",
    "school_b",
    "school_director",
    "staff",
    "group_head",
    "deputy",
    "director",
    "admin",
]


@pytest.fixture
def scenario(db, office, school, people, plan_definition):
    """Objects belonging to school A (or the office) that every URL can point at."""
    from dmc_emis.models import DataImport, Finding, FindingRule, Round, RoundSchool
    from equipment_loans.models import ItemCategory, LoanItem
    from equipment_loans.services import Wanted, loan_request
    from processes.definitions import definition_import
    from processes.models import TaskAttachment
    from processes.services import case_start, task_complete
    from repairs.models import Asset, AssetImport, TicketAttachment
    from repairs.services import ticket_file

    for code in ("repair-ticket", "equipment-loan", "dmc-round", "dmc-round-ack"):
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))
    school_b = School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านข้างเคียง",
        district="เมือง",
    )
    users = {
        "school_a": people["school_user"],
        "school_b": make_user(RoleCode.SCHOOL_USER, school=school_b, username="teacher_b"),
        "school_director": people["school_director"],
        "staff": people["staff"],
        "group_head": people["group_head"],
        "deputy": people["deputy_director"],
        "director": people["director"],
        "admin": make_user(RoleCode.ADMIN, office=office, username="admin1"),
    }
    users["admin"].is_staff = True
    users["admin"].save(update_fields=["is_staff"])
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    task = case.tasks.get()
    proposed = case_start(definition=plan_definition, requester=people["staff"], title="แผน 2")
    task_complete(
        task=proposed.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    approval = proposed.tasks.get(status="open")
    decided = case_start(definition=plan_definition, requester=people["staff"], title="แผน 3")
    task_complete(
        task=decided.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    for approver in (people["group_head"], people["director"]):
        task_complete(task=decided.tasks.get(status="open"), user=approver, outcome="approve")
    issued = document_render(IssuedDocument.objects.get(case=decided).pk)
    outside_entry = outside_number_take(
        user=people["staff"],
        kind="outgoing",
        date=datetime.date(2026, 12, 1),
        subject="หนังสือเชิญประชุม",
        recipient="โรงเรียนในสังกัด",
        upload=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    )
    task_file = TaskAttachment.objects.create(
        task=task, label="แผน", uploaded_by=people["staff"], original_name="plan.pdf"
    )
    task_file.file.save("plan.pdf", ContentFile(b"%PDF-1.4 test"))
    ticket = ticket_file(
        requester=people["school_user"],
        school=school,
        category="projector",
        symptom="เปิดไม่ติด",
        location="ห้อง ป.6",
        urgency="normal",
        contact_phone="081",
        serial_text="SN-0001",
    )
    ticket_file_row = TicketAttachment.objects.create(
        ticket=ticket,
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=4,
        uploaded_by=people["school_user"],
    )
    ticket_file_row.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff\xe0"))
    asset = Asset.objects.create(office=office, school=school, category="projector")
    asset_import = AssetImport.objects.create(
        office=office, original_name="assets.xlsx", file_format="xlsx", uploaded_by=people["staff"]
    )
    item = LoanItem.objects.create(
        office=office, name="โปรเจคเตอร์", category=ItemCategory.PROJECTOR
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    loan = loan_request(
        requester=people["school_user"],
        kind="borrow",
        school=school,
        wanted=[Wanted(item, 1)],
        purpose="สอน",
        starts_on=tomorrow,
        ends_on=tomorrow,
        pickup_place="ห้องกลุ่ม",
        return_place="ห้องกลุ่ม",
        contact_phone="081",
    )
    from dmc_emis.services import round_open

    data_round = Round.objects.create(
        office=office,
        kind="dmc_term1",
        academic_year=2569,
        title="DMC 1/2569",
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
        deadline_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    round_open(round_=data_round, user=people["staff"])
    entry = RoundSchool.objects.get(round=data_round, school=school)
    finding = Finding.objects.create(
        entry=entry, rule=FindingRule.MISSING, detail="ขาดข้อมูลเพศ", row_number=2
    )
    data_import = DataImport.objects.create(
        round=data_round, original_name="dmc.csv", file_format="csv", uploaded_by=people["staff"]
    )
    # Plans: one in drafting (with an attachment, a survey) and one approved and public.

    from reports.services import report_job_request
    from tests.workplans.factories import fill_plan, load_definitions, make_plan, make_spec_item
    from workplans.models import Plan
    from workplans.services import plan_attach, spec_draft_create, survey_create

    load_definitions("digital-tech-plan", "spec-draft")
    plan = make_plan(people["staff"])
    plan_attach(
        plan=plan,
        user=people["staff"],
        label="คำสั่ง",
        uploads=[SimpleUploadedFile("order.pdf", b"%PDF-1.4 x", "application/pdf")],
    )
    survey = survey_create(
        plan=plan,
        user=people["staff"],
        title="ความคิดเห็น",
        intro="",
        questions=[{"kind": "text", "text": "ข้อเสนอแนะ"}],
    )
    project = fill_plan(plan)["projects"][0]
    from workplans.budgets import budget_line_save, spending_record

    spending = spending_record(
        user=people["staff"],
        line=budget_line_save(
            user=people["staff"], plan=plan, fiscal_year=2570, source="obec", item="อบรม", planned=1
        ),
        spent_on=timezone.localdate(),
        amount=1,
        note="ค่าเอกสาร",
        evidence=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    public = make_plan(people["staff"], title="แผนที่อนุมัติแล้ว")
    Plan.objects.filter(pk=public.pk).update(status=Plan.Status.APPROVED, public_slug="plan-2570")
    spec_item = make_spec_item(office)
    spec_draft = spec_draft_create(
        user=people["staff"],
        title="จัดซื้อคอมพิวเตอร์",
        requested_by_unit="กลุ่มบริหารงานบุคคล",
        purpose="ทดแทนเครื่องเดิม",
        fiscal_year=2570,
    )
    job = report_job_request(user=users["admin"], kind="yearly_report", fiscal_year=2569)
    # Trainings: one on the plan-like case, school A registered, attended and certified.
    from trainings.services import (
        attendance_set,
        certificate_issue,
        register_self,
        session_save,
        training_create,
    )

    training = training_create(
        user=people["staff"], case=case, title="อบรม", evaluation_required=False
    )
    session = session_save(
        user=people["staff"], training=training, date=timezone.localdate(), hours=3, place="สพป."
    )
    participant = register_self(user=people["school_user"], training=training)
    from accounts.models import SchoolImport
    from trainings.models import ParticipantImport

    list_import = ParticipantImport.objects.create(
        training=training, original_name="list.xlsx", uploaded_by=people["staff"]
    )
    school_import = SchoolImport.objects.create(
        office=office, original_name="schools.xlsx", uploaded_by=users["admin"]
    )
    attendance_set(user=people["staff"], session=session, present=[participant.pk])
    certificate = certificate_issue(user=people["school_user"], participant=participant)
    from log_register.services import check_record, source_save

    log_source = source_save(
        user=people["staff"],
        name="Firewall",
        kind="firewall",
        kept_at="NAS",
        retention_days=90,
        responsible=people["staff"],
    )
    from minutes.services import follow_up_create, meeting_save

    meeting = meeting_save(
        user=people["staff"],
        case=case,
        values={
            "title": "คณะทำงาน",
            "number": "1/2570",
            "held_on": timezone.localdate(),
            "place": "ห้อง",
        },
        attendees=[{"name": "นายหนึ่ง", "present": True}],
        items=[{"title": "พิจารณา", "resolution": "เห็นชอบ"}],
    )
    follow_up = follow_up_create(
        user=people["staff"],
        item=meeting.items.get(),
        assignee=people["staff"],
        action="ทำ",
        due_on=timezone.localdate(),
    )
    # A PDF the staff member asked for, rendered and kept (core.render_jobs).
    from core.models import RenderJob

    render_job = RenderJob.objects.create(
        renderer="minutes.meeting",
        arguments={"pk": meeting.pk},
        key=f'{{"pk": {meeting.pk}}}',
        title="รายงานการประชุม",
        requested_by=people["staff"],
        status=RenderJob.Status.DONE,
        filename=f"minutes-{meeting.pk}.pdf",
        finished_at=timezone.now(),
    )
    render_job.file.save(f"{render_job.pk}/minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
    log_check = check_record(
        user=people["staff"],
        source=log_source,
        month=timezone.localdate(),
        checked_on=timezone.localdate(),
        result="complete",
        evidence=SimpleUploadedFile("shot.png", b"\x89PNG\r\n", "image/png"),
    )
    return {
        "training": training,
        "session": session,
        "participant": participant,
        "certificate": certificate,
        "log_source": log_source,
        "meeting": meeting,
        "render_job": render_job,
        "spending": spending,
        "follow_up": follow_up,
        "log_check": log_check,
        "plan": plan,
        "project": project,
        "plan_file": plan.attachments.get(),
        "survey": survey,
        "public_plan": public,
        "spec_item": spec_item,
        "spec_draft": spec_draft,
        "job": job,
        "users": users,
        "case": case,
        "task": task,
        "approval": approval,
        "issued": issued,
        "outside_entry": outside_entry,
        "task_file": task_file,
        "ticket": ticket,
        "ticket_file": ticket_file_row,
        "asset": asset,
        "asset_import": asset_import,
        "school_import": school_import,
        "list_import": list_import,
        "item": item,
        "loan": loan,
        "round": data_round,
        "entry": entry,
        "finding": finding,
        "import": data_import,
    }


@pytest.fixture
def client_for(scenario):
    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(scenario["users"][role])
        return client

    return make

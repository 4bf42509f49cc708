"""Exports of the engine's lists (my tasks, the approval inbox, cases) and of the users.

The spreadsheet writing itself (Thai headers, formulas defused) is `core.spreadsheets`.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from accounts.models import User
from processes.models import Case, Task

# RESOURCES OF THE ENGINE'S LISTS
# ------------------------------------------------------------------------------


def _datetime(value: datetime.datetime | None) -> datetime.datetime | None:
    """Date and time cells stay values: core.spreadsheets.xlsx_bytes shows them in the
    Buddhist era and csv_bytes writes them as Buddhist-era text."""
    return value


def _date(value: datetime.date | None) -> datetime.date | None:
    return value


class OpenTaskResource(resources.ModelResource):
    """My tasks and the approval inbox: the open steps a person can act on."""

    reference = Field(column_name="เลขที่เรื่อง")
    title = Field(column_name="เรื่อง")
    process = Field(column_name="กระบวนงาน")
    step = Field(column_name="ขั้นตอน")
    level = Field(column_name="ระดับการอนุมัติ")
    responsible = Field(column_name="ผู้รับผิดชอบ")
    assignee = Field(column_name="ผู้ได้รับมอบหมาย")
    school = Field(column_name="โรงเรียน")
    requester = Field(column_name="ผู้ยื่นเรื่อง")
    started = Field(column_name="เริ่มขั้นตอนเมื่อ")
    due = Field(column_name="กำหนดเสร็จ")
    due_state = Field(column_name="สถานะตามกำหนด")

    class Meta:
        model = Task
        fields = export_order = (
            "reference",
            "title",
            "process",
            "step",
            "level",
            "responsible",
            "assignee",
            "school",
            "requester",
            "started",
            "due",
            "due_state",
        )

    def dehydrate_reference(self, task: Task) -> str:
        return task.case.reference

    def dehydrate_title(self, task: Task) -> str:
        return task.case.title

    def dehydrate_process(self, task: Task) -> str:
        return task.case.version.definition.title_th

    def dehydrate_step(self, task: Task) -> str:
        return task.step.name_th

    def dehydrate_level(self, task: Task) -> object:
        return task.level + 1 if task.step.kind == "approval" else ""

    def dehydrate_responsible(self, task: Task) -> str:
        return str(task.get_role_display())

    def dehydrate_assignee(self, task: Task) -> str:
        return task.assignee.display_name if task.assignee else ""

    def dehydrate_school(self, task: Task) -> str:
        return task.case.school.name_th if task.case.school else ""

    def dehydrate_requester(self, task: Task) -> str:
        return task.case.requester.display_name

    def dehydrate_started(self, task: Task) -> datetime.datetime | None:
        return _datetime(task.started_at)

    def dehydrate_due(self, task: Task) -> datetime.date | None:
        return _date(task.due_on)

    def dehydrate_due_state(self, task: Task) -> str:
        return str(task.due_state().label)


class TaskHistoryResource(OpenTaskResource):
    """Every step run of a year's cases, decided or not: the export pack's audit sheet."""

    finished = Field(column_name="เสร็จเมื่อ")
    finished_by = Field(column_name="ผู้ดำเนินการ/ผู้พิจารณา")
    acting_for = Field(column_name="ปฏิบัติราชการแทน/รักษาราชการแทน")
    outcome = Field(column_name="ผลการพิจารณา")
    comment = Field(attribute="comment", column_name="ความเห็น")
    on_time = Field(column_name="ทันตามกำหนด")

    class Meta:
        model = Task
        fields = export_order = (
            *OpenTaskResource.Meta.fields[:-1],
            "finished",
            "finished_by",
            "acting_for",
            "outcome",
            "comment",
            "on_time",
        )

    def dehydrate_finished(self, task: Task) -> datetime.datetime | None:
        return _datetime(task.finished_at)

    def dehydrate_finished_by(self, task: Task) -> str:
        return task.finished_by.display_name if task.finished_by else ""

    def dehydrate_acting_for(self, task: Task) -> str:
        return task.acting_for.display_name if task.acting_for else ""

    def dehydrate_outcome(self, task: Task) -> str:
        return str(task.outcome_label)

    def dehydrate_on_time(self, task: Task) -> str:
        if task.finished_at is None or task.due_on is None:
            return ""
        return "ทัน" if timezone.localdate(task.finished_at) <= task.due_on else "ไม่ทัน"


class CaseResource(resources.ModelResource):
    reference = Field(attribute="reference", column_name="เลขที่เรื่อง")
    title = Field(attribute="title", column_name="เรื่อง")
    process = Field(column_name="กระบวนงาน")
    fiscal_year = Field(attribute="fiscal_year", column_name="ปีงบประมาณ", widget=IntegerWidget())
    requester = Field(column_name="ผู้ยื่นเรื่อง")
    school = Field(column_name="โรงเรียน")
    state = Field(column_name="สถานะ")
    started = Field(column_name="เริ่มเมื่อ")
    closed = Field(column_name="ปิดเรื่องเมื่อ")

    class Meta:
        model = Case
        fields = export_order = (
            "reference",
            "title",
            "process",
            "fiscal_year",
            "requester",
            "school",
            "state",
            "started",
            "closed",
        )

    def dehydrate_process(self, case: Case) -> str:
        return case.version.definition.title_th

    def dehydrate_requester(self, case: Case) -> str:
        return case.requester.display_name

    def dehydrate_school(self, case: Case) -> str:
        return case.school.name_th if case.school else ""

    def dehydrate_state(self, case: Case) -> str:
        return str(case.get_state_display())

    def dehydrate_started(self, case: Case) -> datetime.datetime | None:
        return _datetime(case.started_at)

    def dehydrate_closed(self, case: Case) -> datetime.datetime | None:
        return _datetime(case.closed_at)


class UserResource(resources.ModelResource):
    """The office's people, for admins: no passwords, no permissions beyond the roles."""

    username = Field(attribute="username", column_name="ชื่อผู้ใช้")
    name = Field(column_name="ชื่อ-สกุล")
    position = Field(attribute="position", column_name="ตำแหน่ง")
    roles = Field(column_name="บทบาท")
    school = Field(column_name="โรงเรียน")
    email = Field(attribute="email", column_name="อีเมล")
    phone = Field(attribute="phone", column_name="โทรศัพท์")
    active = Field(column_name="ใช้งานอยู่")
    last_login = Field(column_name="เข้าระบบล่าสุด")

    class Meta:
        model = User
        fields = export_order = (
            "username",
            "name",
            "position",
            "roles",
            "school",
            "email",
            "phone",
            "active",
            "last_login",
        )

    def dehydrate_name(self, user: User) -> str:
        return user.display_name

    def dehydrate_roles(self, user: User) -> str:
        return ", ".join(role.name_th for role in user.roles.all())

    def dehydrate_school(self, user: User) -> str:
        return user.school.name_th if user.school else ""

    def dehydrate_active(self, user: User) -> str:
        return "ใช่" if user.is_active else "ไม่ใช่"

    def dehydrate_last_login(self, user: User) -> datetime.datetime | None:
        return _datetime(user.last_login)


def users_for_export(queryset: QuerySet[User]) -> QuerySet[User]:
    return queryset.select_related("school").prefetch_related("roles").order_by("username")


def tasks_for_export(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.select_related(
        "case__version__definition",
        "case__school",
        "case__requester",
        "step",
        "assignee",
        "finished_by",
        "acting_for",
    )


def cases_for_export(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.select_related("version__definition", "school", "requester")

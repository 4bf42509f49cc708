"""Spreadsheet exports of the portal's lists: Thai headers, formulas never run.

Every export goes through `csv_bytes` / `xlsx_bytes` (or the admin's `SafeCSV` / `SafeXLSX`),
so a cell typed as ``=HYPERLINK(...)`` by a school shows as text in Excel instead of running
(CSV/formula injection). `spreadsheet_response` turns a tablib dataset into the download of
either format; list views pass the same queryset they show, filters applied, so an export
holds exactly what the user sees.

The engine's lists (my tasks, the approval inbox, cases) and the user list are exported with
the resources below; repairs exports its tickets and assets with its own resources.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from decimal import Decimal

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.widgets import IntegerWidget

from accounts.models import User
from processes.models import Case, Task
from processes.thaitime import format_thai_date, format_thai_datetime

# A cell a spreadsheet would run as a formula (OWASP's list: = + - @, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote.

    ``=HYPERLINK(...)``, ``+1``, ``-2+3``, ``@SUM(...)`` become ``'=HYPERLINK(...)`` and so on:
    Excel and LibreOffice then show the text as typed. Other values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Buddhist-era date formats for date cells: the value stays a date (it sorts, filters and
# subtracts), the display is Thai. "[$-107041E]" is an Excel locale/calendar code: 041E is
# the Thai language (LCID 1054) and 07 the Thai Buddhist calendar, so Excel shows 2569 for a
# date in 2026. LibreOffice reads the same code: on import it turns calendar 07 of a Thai LCID
# into its [~buddhist] modifier (svl/source/numbers/zformat.cxx,
# SvNumberformat::ImpObtainCalendarAndNumerals; it ignores calendar 07 without the Thai
# language, so "[$-1070000]" alone would show the Christian year there).
DATE_FORMAT = "[$-107041E]d mmm yyyy"
DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
MIN_WIDTH, MAX_WIDTH = 8, 60


def _local(value: datetime.datetime) -> datetime.datetime:
    """A spreadsheet has no time zones: an aware datetime as the office's local wall time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _csv_value(value: object) -> object:
    """CSV has no types: dates and times as the Buddhist-era text people type back in."""
    if isinstance(value, datetime.datetime):
        return format_thai_datetime(value, "numeric", language="th")
    if isinstance(value, datetime.date):
        return format_thai_date(value, "numeric", language="th")
    return neutralise_formula(value)


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    """A dataset as CSV in UTF-8 with a BOM (so Excel shows Thai), formulas neutralised, dates
    as Buddhist-era text (dd/mm/yyyy)."""
    safe = tablib.Dataset(headers=[neutralise_formula(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([_csv_value(value) for value in row])
    return ("\ufeff" + safe.export("csv")).encode("utf-8")


def _display_width(text: str) -> int:
    """Columns a text takes: Thai vowel and tone marks above and below take none."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _cell_text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return "30 ธ.ค. 2569 23:59"
    if isinstance(value, datetime.date):
        return "30 ธ.ค. 2569"
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    return str(value)


def _put(cell, value: object) -> None:
    """One value into a cell with its type: dates as dates, numbers as numbers, text as text."""
    if value is None or value == "":
        return
    if isinstance(value, datetime.datetime):
        cell.value = _local(value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, float | Decimal):
        cell.value = value
        cell.number_format = DECIMAL_FORMAT
    else:
        cell.value = str(value)
        cell.data_type = "s"  # also for "=...": text, not a formula


def xlsx_bytes(dataset: tablib.Dataset, *, title: str = "") -> bytes:
    """A dataset as an XLSX workbook people can sort, filter and sum.

    With a `title`, row 1 holds it and the headers are row 2; without one (the admin's
    export, which the admin's import reads back) the headers are row 1. Then: dates are date
    cells shown in the Buddhist era (DATE_FORMAT), numbers and money are numbers with
    thousands separators, text cells are text (a string starting with "=" never becomes a
    formula), column widths fit the content, the header row is frozen and carries an
    auto-filter.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = re.sub(r"[\\/*?:\[\]]", "-", title)[:31]
    headers = [str(h) for h in (dataset.headers or [])]
    rows = [list(row) for row in dataset]
    columns = max([len(headers), *(len(row) for row in rows)], default=0)
    header_row = 2 if title else 1
    if title:
        sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
        sheet.cell(row=1, column=1).data_type = "s"
    widths = [_display_width(h) for h in headers] + [0] * (columns - len(headers))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8E8E8")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column)
        _put(cell, header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=column)
            _put(cell, value)
            if value is None or value == "":
                continue
            width = _display_width(_cell_text(value))
            if width > MAX_WIDTH:
                cell.alignment = wrap
            widths[column - 1] = max(widths[column - 1], width)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH
        )
    if columns:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
        last = get_column_letter(columns)
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SafeCSV(base_formats.CSV):
    """The admin's CSV export through `csv_bytes` (BOM, formulas neutralised)."""

    def export_data(self, dataset, **kwargs):
        return csv_bytes(dataset)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX export through `xlsx_bytes` (text cells are text)."""

    def export_data(self, dataset, **kwargs):
        return xlsx_bytes(dataset)


def spreadsheet_response(
    dataset: tablib.Dataset, basename: str, format: str | None, *, title: str = ""
) -> HttpResponse:
    """The dataset as a download: CSV when `format` is "csv", XLSX (sheet `title`, else the
    base name) otherwise."""
    as_csv = format == "csv"
    response = HttpResponse(
        csv_bytes(dataset) if as_csv else xlsx_bytes(dataset, title=title or basename),
        content_type="text/csv; charset=utf-8" if as_csv else XLSX_TYPE,
    )
    filename = f"{basename}-{timezone.localdate():%Y%m%d}.{'csv' if as_csv else 'xlsx'}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_in_thai(resource: resources.Resource, queryset: QuerySet) -> tablib.Dataset:
    """Choice labels and dates in Thai whatever language the person exporting uses."""
    with translation.override("th"):
        return resource.export(queryset, force_native_type=True)


# RESOURCES OF THE ENGINE'S LISTS
# ------------------------------------------------------------------------------


def _datetime(value: datetime.datetime | None) -> datetime.datetime | None:
    """Date and time cells stay values: xlsx_bytes shows them in the Buddhist era and
    csv_bytes writes them as Buddhist-era text."""
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

    def dehydrate_started(self, task: Task) -> str:
        return _datetime(task.started_at)

    def dehydrate_due(self, task: Task) -> str:
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

    def dehydrate_finished(self, task: Task) -> str:
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

    def dehydrate_started(self, case: Case) -> str:
        return _datetime(case.started_at)

    def dehydrate_closed(self, case: Case) -> str:
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

    def dehydrate_last_login(self, user: User) -> str:
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

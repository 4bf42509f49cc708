"""The yearly report's and export pack's parts that come from apps built before this one:
the workflow engine (every process of the catalogue), repairs, and the office's people and
schools. Later apps register their own parts in their own ``report_providers.py`` (see
core/registry.py)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Office, School, User
from accounts.resources import SchoolResource
from core import thaitime
from core.charts import bar_chart_svg, format_number, horizontal_bar_svg
from core.fiscal import fiscal_year_range
from core.registry import ExportFile, Section, Table, register_export, register_section
from core.spreadsheets import export_in_thai
from processes.models import Case, Outcome, ProcessDefinition, StepKind, Task, TimeModel
from repairs.dashboard import dashboard_figures
from repairs.models import RepairTicket
from repairs.resources import AssetResource, TicketResource
from reports.exports import (
    CaseResource,
    TaskHistoryResource,
    UserResource,
    cases_for_export,
    tasks_for_export,
    users_for_export,
)

TOP_IN_CHART = 12


def _percent(met: int, judged: int) -> float | None:
    return round(met * 100 / judged, 1) if judged else None


def _percent_text(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value)}%"


# ---------------------------------------------------------------------------------------------
# Work processes (the engine)
# ---------------------------------------------------------------------------------------------


def _process_figures(office: Office, fiscal_year: int) -> dict:
    """Per definition id: counts of cases, tasks on time, decisions, and per-step times."""
    zone = timezone.get_default_timezone()
    cases = Case.objects.filter(office=office, fiscal_year=fiscal_year).order_by()
    state = Case.State
    by_definition = {
        row["version__definition"]: row
        for row in cases.values("version__definition").annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(state=state.COMPLETED)),
            rejected=Count("pk", filter=Q(state=state.REJECTED)),
            cancelled=Count("pk", filter=Q(state=state.CANCELLED)),
            running=Count("pk", filter=Q(state=state.RUNNING)),
        )
    }
    tasks = (
        Task.objects.filter(case__office=office, case__fiscal_year=fiscal_year)
        .exclude(step__kind=StepKind.WAIT_UNTIL)
        .order_by()
    )
    # On time is judged only where a standard time exists: a task of an untimed step is never
    # late (even one that carries a due date from before steps stated their time model).
    judged = (
        tasks.filter(status=Task.Status.DONE, due_on__isnull=False, finished_at__isnull=False)
        .exclude(step__time_model=TimeModel.NONE)
        .annotate(finished_on=TruncDate("finished_at", tzinfo=zone))
    )
    on_time = {
        row["case__version__definition"]: row
        for row in judged.values("case__version__definition").annotate(
            judged=Count("pk"), met=Count("pk", filter=Q(finished_on__lte=F("due_on")))
        )
    }
    decisions: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        tasks.filter(step__kind=StepKind.APPROVAL, status=Task.Status.DONE)
        .values("case__version__definition", "outcome")
        .annotate(n=Count("pk"))
    ):
        decisions[row["case__version__definition"]][row["outcome"]] = row["n"]

    # Working days per finished step, for the procedure table; one pass over the rows.
    steps: dict[int, dict[str, dict]] = defaultdict(dict)
    rows = judged.values_list(
        "case__version__definition",
        "step__key",
        "step__name_th",
        "step__position",
        "step__days_min",
        "step__days_max",
        "started_at",
        "finished_on",
        "due_on",
    )
    for definition_id, key, name, position, days_min, days_max, started, finished, due in rows:
        entry = steps[definition_id].setdefault(
            key,
            {
                "name": name,
                "position": position,
                "standard": (days_min, days_max),
                "count": 0,
                "days": 0,
                "met": 0,
            },
        )
        entry["count"] += 1
        entry["days"] += thaitime.working_days_between(
            timezone.localtime(started, zone).date(), finished
        )
        entry["met"] += finished <= due
    return {
        "cases": by_definition,
        "on_time": on_time,
        "decisions": decisions,
        "steps": steps,
    }


def _standard_text(standard: tuple[int | None, int | None]) -> str:
    low, high = standard
    if low and high and low != high:
        return f"{low}-{high}"
    return str(high or low or "—")


def processes_section(office: Office, fiscal_year: int) -> Section:
    figures = _process_figures(office, fiscal_year)
    definitions = list(
        ProcessDefinition.objects.filter(is_active=True).order_by("position", "code")
    )
    summary_rows = []
    blocks = []
    chart_cases = []
    chart_on_time = []
    totals = defaultdict(int)
    for definition in definitions:
        counts = figures["cases"].get(definition.pk, {})
        timing = figures["on_time"].get(definition.pk, {"judged": 0, "met": 0})
        decided = figures["decisions"].get(definition.pk, {})
        percent = _percent(timing["met"], timing["judged"])
        total = counts.get("total", 0)
        for key in ("total", "completed", "rejected", "running"):
            totals[key] += counts.get(key, 0)
        totals["judged"] += timing["judged"]
        totals["met"] += timing["met"]
        summary_rows.append(
            [
                definition.title_th,
                total,
                counts.get("completed", 0),
                counts.get("rejected", 0),
                counts.get("running", 0),
                _percent_text(percent),
                decided.get(Outcome.APPROVE, 0),
                decided.get(Outcome.RETURN, 0),
                decided.get(Outcome.REJECT, 0),
            ]
        )
        if not total:
            continue
        chart_cases.append((definition.title_th, total))
        if percent is not None:
            chart_on_time.append((definition.title_th, percent))
        step_rows = [
            [
                entry["name"],
                _standard_text(entry["standard"]),
                entry["count"],
                format_number(entry["days"] / entry["count"]),
                _percent_text(_percent(entry["met"], entry["count"])),
            ]
            for entry in sorted(
                figures["steps"].get(definition.pk, {}).values(), key=lambda e: e["position"]
            )
        ]
        blocks.append(
            Section(
                key=f"process-{definition.code}",
                title=definition.title_th,
                intro=definition.objective_th,
                figures=[
                    ("ตัวชี้วัด", definition.key_indicator_th or "—"),
                    ("จำนวนเรื่องที่ดำเนินการ", total),
                    ("ผลผลิต: ดำเนินการแล้วเสร็จ", counts.get("completed", 0)),
                    ("ไม่อนุมัติ", counts.get("rejected", 0)),
                    ("อยู่ระหว่างดำเนินการ", counts.get("running", 0)),
                    ("ขั้นตอนที่เสร็จทันเวลามาตรฐาน", _percent_text(percent)),
                    (
                        "ผลการพิจารณา (อนุมัติ / ส่งกลับแก้ไข / ไม่อนุมัติ)",
                        f"{decided.get(Outcome.APPROVE, 0)} / {decided.get(Outcome.RETURN, 0)}"
                        f" / {decided.get(Outcome.REJECT, 0)}",
                    ),
                ],
                tables=[
                    Table(
                        title="ขั้นตอนการปฏิบัติงานและระยะเวลา",
                        headers=[
                            "ขั้นตอน",
                            "เวลามาตรฐาน (วันทำการ)",
                            "จำนวนครั้ง",
                            "เวลาเฉลี่ย (วันทำการ)",
                            "ทันเวลา",
                        ],
                        rows=step_rows,
                    )
                ]
                if step_rows
                else [],
            )
        )
    chart_cases.sort(key=lambda item: -item[1])
    chart_on_time.sort(key=lambda item: item[1])
    charts = []
    if chart_cases:
        charts.append(
            horizontal_bar_svg(
                chart_cases[:TOP_IN_CHART],
                title="จำนวนเรื่องตามกระบวนงาน",
                unit="เรื่อง",
                show_title=True,
            )
        )
    if chart_on_time:
        charts.append(
            horizontal_bar_svg(
                chart_on_time[:TOP_IN_CHART],
                title="ร้อยละของขั้นตอนที่เสร็จทันเวลามาตรฐาน (น้อยที่สุดก่อน)",
                unit="%",
                show_title=True,
            )
        )
    return Section(
        key="processes",
        title="ผลการดำเนินงานตามกระบวนงาน",
        intro=(
            "จำนวนเรื่องที่เริ่มในปีงบประมาณ จำแนกตามกระบวนงานของคู่มือการปฏิบัติงาน"
            " ความทันเวลาเทียบกับเวลามาตรฐานของแต่ละขั้นตอน (วันทำการ)"
            " และผลการพิจารณาของผู้บริหาร"
        ),
        figures=[
            ("จำนวนเรื่องทั้งหมด", totals["total"]),
            ("ดำเนินการแล้วเสร็จ", totals["completed"]),
            ("ไม่อนุมัติ", totals["rejected"]),
            ("อยู่ระหว่างดำเนินการ", totals["running"]),
            ("ขั้นตอนที่เสร็จทันเวลามาตรฐาน", _percent_text(_percent(totals["met"], totals["judged"]))),
        ],
        tables=[
            Table(
                title="สรุปตามกระบวนงาน",
                headers=[
                    "กระบวนงาน",
                    "เรื่อง",
                    "เสร็จ",
                    "ไม่อนุมัติ",
                    "ค้าง",
                    "ทันเวลา",
                    "อนุมัติ",
                    "ส่งกลับ",
                    "ไม่อนุมัติ (ครั้ง)",
                ],
                rows=summary_rows,
            )
        ],
        charts=charts,
        blocks=blocks,
    )


def processes_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    cases = Case.objects.filter(office=office, fiscal_year=fiscal_year).order_by("started_at")
    tasks = Task.objects.filter(case__office=office, case__fiscal_year=fiscal_year).order_by(
        "case__started_at", "started_at", "pk"
    )
    return [
        ExportFile("cases.xlsx", export_in_thai(CaseResource(), cases_for_export(cases))),
        ExportFile(
            "case-steps.xlsx", export_in_thai(TaskHistoryResource(), tasks_for_export(tasks))
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Repairs
# ---------------------------------------------------------------------------------------------


def repairs_section(office: Office, fiscal_year: int) -> Section | None:
    tickets = RepairTicket.objects.filter(office=office)
    figures = dashboard_figures(tickets, fiscal_year=fiscal_year)
    if not figures["total"]:
        return None
    months = figures["months"]
    satisfaction = figures["satisfaction_average"]
    charts = [
        bar_chart_svg(
            [m["label"] for m in months],
            [
                ("รับแจ้ง", [m["filed"] for m in months]),
                ("ปิดงาน", [m["closed"] for m in months]),
            ],
            title="คำขอซ่อมรายเดือน",
            unit="รายการ",
            show_title=True,
        ),
        horizontal_bar_svg(
            [(str(c["label"]), c["count"]) for c in figures["categories"]],
            title="คำขอซ่อมตามประเภท",
            unit="รายการ",
            show_title=True,
        ),
    ]
    return Section(
        key="repairs",
        title="งานซ่อมบำรุงระบบคอมพิวเตอร์และอุปกรณ์ ICT",
        intro="คำขอซ่อมที่รับแจ้งในปีงบประมาณ เทียบกับเป้าหมายการให้บริการ (SLA)",
        figures=[
            ("คำขอซ่อมทั้งหมด", figures["total"]),
            ("ปิดงานแล้ว", figures["closed"]),
            ("ยกเลิก/ไม่ดำเนินการ", figures["cancelled"]),
            ("ยังเปิดอยู่", figures["open"]),
            ("ตอบรับทันตามเป้าหมาย", _percent_text(figures["first_response"]["percent"])),
            ("ซ่อมเสร็จทันตามเป้าหมาย", _percent_text(figures["resolve"]["percent"])),
            (
                "ระยะเวลาซ่อมมัธยฐาน (วันทำการ)",
                format_number(figures["median_resolve_days"]),
            ),
            (
                "ความพึงพอใจเฉลี่ย (จาก 5)",
                f"{format_number(satisfaction)} ({figures['satisfaction_count']} คน)"
                if satisfaction is not None
                else "—",
            ),
        ],
        tables=[
            Table(
                title="ประเภทที่แจ้งซ่อมมากที่สุด",
                headers=["ประเภท", "จำนวน"],
                rows=[[str(c["label"]), c["count"]] for c in figures["categories"]],
            ),
            Table(
                title="โรงเรียนที่แจ้งซ่อมมากที่สุด",
                headers=["โรงเรียน", "จำนวน"],
                rows=[[s["name"], s["count"]] for s in figures["top_schools"]],
            ),
        ],
        charts=charts,
    )


def repairs_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    begin, finish = fiscal_year_range(fiscal_year)
    tickets = (
        RepairTicket.objects.filter(office=office, created_at__gte=begin, created_at__lt=finish)
        .select_related("school", "asset", "technician")
        .order_by("created_at")
    )
    return [
        ExportFile("repair-tickets.xlsx", export_in_thai(TicketResource(), tickets)),
        ExportFile("assets.xlsx", AssetResource(office=office).export()),
    ]


# ---------------------------------------------------------------------------------------------
# People and schools (export pack only)
# ---------------------------------------------------------------------------------------------


def accounts_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    schools = School.objects.filter(office=office).select_related("office").order_by("obec_code")
    users = users_for_export(User.objects.filter(office=office))
    return [
        ExportFile("schools.xlsx", SchoolResource().export(schools)),
        ExportFile("users.xlsx", export_in_thai(UserResource(), users)),
    ]


register_section("processes", processes_section, order=10)
register_section("repairs", repairs_section, order=20)
register_export("accounts", accounts_export, order=5)
register_export("processes", processes_export, order=10)
register_export("repairs", repairs_export, order=20)

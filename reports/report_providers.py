"""The yearly report's and export pack's parts that come from apps built before this one:
the workflow engine (every process of the catalogue), repairs, and the office's people and
schools. Later apps register their own parts in their own ``report_providers.py`` (see
core/registry.py)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

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
from processes.models import Area, Case, Outcome, ProcessDefinition, StepKind, Task, TimeModel
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


def _of_text(part: int, whole: int) -> str:
    return f" ({part} จาก {whole})" if whole else ""


def _percent_text(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value)}%"


# ---------------------------------------------------------------------------------------------
# Work processes (the engine)
# ---------------------------------------------------------------------------------------------


def _process_figures(office: Office, fiscal_year: int, area: str) -> dict:
    """Per definition id of the area: counts of cases, timed tasks on time, decisions, and
    per-step times.

    On time is judged only over timed tasks: those with a due date (a step whose manual gives
    no time has none and is never late), finished, and not a wait-until-date step.
    """
    zone = timezone.get_default_timezone()
    cases = Case.objects.filter(
        office=office, fiscal_year=fiscal_year, version__definition__area=area
    ).order_by()
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
        Task.objects.filter(
            case__office=office,
            case__fiscal_year=fiscal_year,
            case__version__definition__area=area,
        )
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
        entry["met"] += due is not None and finished <= due  # judged tasks all have one
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


AREA_TITLES: dict[str, str] = {
    Area.DISTANCE_EDUCATION: "งานส่งเสริมการศึกษาทางไกล",
    Area.ICT_SYSTEMS: "งานระบบคอมพิวเตอร์และเทคโนโลยีสารสนเทศและการสื่อสาร",
    Area.INFORMATION: "งานข้อมูลสารสนเทศเพื่อการบริหาร",
    Area.PLANS: "งานแผนงานและโครงการ",
    Area.STUDENT_DATA: "งานข้อมูลนักเรียน (DMC/EMIS)",
    Area.SERVICE: "งานบริการสถานศึกษา",
}


def area_section(office: Office, fiscal_year: int, area: str) -> Section | None:
    """One chapter per area of work: what was done (a story drawn from the counts), the
    processes of the area with their on-time share over timed steps, and a chart."""
    figures = _process_figures(office, fiscal_year, area)
    if not figures["cases"]:
        return None
    definitions = list(
        ProcessDefinition.objects.filter(is_active=True, area=area).order_by("position", "code")
    )
    summary_rows = []
    blocks = []
    chart_cases = []
    chart_on_time = []
    idle = []
    totals: defaultdict[str, int] = defaultdict(int)
    for definition in definitions:
        counts = figures["cases"].get(definition.pk, {})
        timing = figures["on_time"].get(definition.pk, {"judged": 0, "met": 0})
        decided = figures["decisions"].get(definition.pk, {})
        percent = _percent(timing["met"], timing["judged"])
        total = counts.get("total", 0)
        if not total:
            idle.append(definition.title_th)
            continue
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
                    (
                        "ขั้นตอนที่มีกำหนดเวลาและเสร็จทันเวลามาตรฐาน",
                        _percent_text(percent)
                        + (
                            f" ({timing['met']} จาก {timing['judged']})" if timing["judged"] else ""
                        ),
                    ),
                    (
                        "ผลการพิจารณา (อนุมัติ / ส่งกลับแก้ไข / ไม่อนุมัติ)",
                        f"{decided.get(Outcome.APPROVE, 0)} / {decided.get(Outcome.RETURN, 0)}"
                        f" / {decided.get(Outcome.REJECT, 0)}",
                    ),
                ],
                tables=[
                    Table(
                        title="ขั้นตอนที่มีกำหนดเวลาและระยะเวลาที่ใช้",
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
    on_time = _percent(totals["met"], totals["judged"])
    area_name = AREA_TITLES.get(area, str(Area(area).label))
    story = (
        f"ในปีงบประมาณ พ.ศ. {fiscal_year} {area_name} ดำเนินการ {totals['total']:,} เรื่อง"
        f" ใน {len(blocks)} กระบวนงาน แล้วเสร็จ {totals['completed']:,} เรื่อง"
        f" อยู่ระหว่างดำเนินการ {totals['running']:,} เรื่อง"
    )
    if totals["judged"]:
        story += (
            f" ขั้นตอนที่มีกำหนดเวลาเสร็จทันเวลามาตรฐาน {totals['met']:,} จาก"
            f" {totals['judged']:,} ขั้นตอน (ร้อยละ {format_number(on_time)})"
        )
    else:
        story += " ไม่มีขั้นตอนที่มีกำหนดเวลาซึ่งเสร็จในปีนี้"
    highlights = []
    busiest = max(chart_cases, key=lambda item: item[1])
    highlights.append(f"กระบวนงานที่มีเรื่องมากที่สุด: {busiest[0]} ({busiest[1]:,} เรื่อง)")
    if chart_on_time:
        best = max(chart_on_time, key=lambda item: item[1])
        worst = min(chart_on_time, key=lambda item: item[1])
        highlights.append(f"ทันเวลามาตรฐานมากที่สุด: {best[0]} (ร้อยละ {format_number(best[1])})")
        if worst != best:
            highlights.append(f"ควรเร่งรัดเวลา: {worst[0]} (ทันเวลาร้อยละ {format_number(worst[1])})")
    if totals["rejected"]:
        highlights.append(f"เรื่องที่ไม่อนุมัติ {totals['rejected']:,} เรื่อง")
    if idle:
        highlights.append("กระบวนงานที่ไม่มีเรื่องในปีนี้: " + ", ".join(idle))
    chart_cases.sort(key=lambda item: -item[1])
    chart_on_time.sort(key=lambda item: item[1])
    charts = [
        horizontal_bar_svg(
            chart_cases[:TOP_IN_CHART],
            title="จำนวนเรื่องตามกระบวนงาน",
            unit="เรื่อง",
            show_title=True,
        )
    ]
    if chart_on_time:
        charts.append(
            horizontal_bar_svg(
                chart_on_time[:TOP_IN_CHART],
                title="ร้อยละของขั้นตอนที่มีกำหนดเวลาและเสร็จทันเวลา",
                unit="%",
                show_title=True,
            )
        )
    return Section(
        key=f"area-{area}",
        title=area_name,
        intro=story,
        figures=[
            ("จำนวนเรื่องที่ดำเนินการ", totals["total"]),
            ("ดำเนินการแล้วเสร็จ", totals["completed"]),
            ("ขั้นตอนที่มีกำหนดเวลาและเสร็จทันเวลามาตรฐาน", _percent_text(on_time)),
            ("ไม่อนุมัติ", totals["rejected"]),
            ("อยู่ระหว่างดำเนินการ", totals["running"]),
        ],
        tables=[
            Table(
                title=f"สรุปตามกระบวนงาน: {area_name}",
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
        highlights=highlights,
    )


def processes_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    cases = Case.objects.filter(office=office, fiscal_year=fiscal_year).order_by("started_at")
    tasks = Task.objects.filter(case__office=office, case__fiscal_year=fiscal_year).order_by(
        "case__started_at", "started_at", "pk"
    )
    return [
        ExportFile(
            "cases.xlsx",
            export_in_thai(CaseResource(), cases_for_export(cases)),
            title="เรื่องตามกระบวนงาน",
        ),
        ExportFile(
            "case-steps.xlsx",
            export_in_thai(TaskHistoryResource(), tasks_for_export(tasks)),
            title="ขั้นตอนของเรื่อง",
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
        area="service",
        title="งานซ่อมบำรุงระบบคอมพิวเตอร์และอุปกรณ์ ICT",
        intro=(
            f"ในปีงบประมาณ พ.ศ. {fiscal_year} รับแจ้งซ่อมจากสถานศึกษาและหน่วยงาน"
            f" {figures['total']:,} รายการ ปิดงานแล้ว {figures['closed']:,} รายการ"
            f" ยังเปิดอยู่ {figures['open']:,} รายการ ตอบรับทันตามเป้าหมายการให้บริการ (SLA)"
            f" {_percent_text(figures['first_response']['percent'])} และซ่อมเสร็จทันตามเป้าหมาย"
            f" {_percent_text(figures['resolve']['percent'])}"
        ),
        highlights=[
            f"ประเภทที่แจ้งซ่อมมากที่สุด: {figures['categories'][0]['label']}"
            f" ({figures['categories'][0]['count']:,} รายการ)"
        ]
        if figures["categories"]
        else [],
        figures=[
            ("คำขอซ่อมทั้งหมด", figures["total"]),
            ("ปิดงานแล้ว", figures["closed"]),
            ("ซ่อมเสร็จทันตามเป้าหมาย", _percent_text(figures["resolve"]["percent"])),
            ("ยกเลิก/ไม่ดำเนินการ", figures["cancelled"]),
            ("ยังเปิดอยู่", figures["open"]),
            ("ตอบรับทันตามเป้าหมาย", _percent_text(figures["first_response"]["percent"])),
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
        ExportFile(
            "repair-tickets.xlsx", export_in_thai(TicketResource(), tickets), title="ใบแจ้งซ่อม"
        ),
        ExportFile(
            "assets.xlsx",
            AssetResource(office=office).export(force_native_type=True),
            title="ครุภัณฑ์",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# People and schools (export pack only)
# ---------------------------------------------------------------------------------------------


def accounts_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    schools = School.objects.filter(office=office).select_related("office").order_by("obec_code")
    users = users_for_export(User.objects.filter(office=office))
    return [
        ExportFile(
            "schools.xlsx",
            SchoolResource().export(schools, force_native_type=True),
            title="โรงเรียน",
        ),
        ExportFile("users.xlsx", export_in_thai(UserResource(), users), title="ผู้ใช้งาน"),
    ]


for _number, _area in enumerate(Area.values):
    register_section(f"area-{_area}", partial(area_section, area=_area), order=10 + _number)
register_section("repairs", repairs_section, order=20)
register_export("accounts", accounts_export, order=5)
register_export("processes", processes_export, order=10)
register_export("repairs", repairs_export, order=20)

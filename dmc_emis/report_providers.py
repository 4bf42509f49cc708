"""The data rounds' part of the yearly report and of the admins' export pack (see
core/registry.py).

A round belongs to the fiscal year its deadline falls in. A school counts as certified when its
entry's status says so (certified or acknowledged), the same count the round board and the
round's PDF summary show. Of those, a school certified on time when the school director's
certification was recorded no later than the round's cut-off on the deadline (the same moment
the board and the reminders count down to), late when after it; entries whose certification
step was not recorded (imported or generated history) are certified with no time to judge.
Figures are a fixed number of grouped queries for all the year's rounds together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import translation

from accounts.models import Office, User
from core.charts import bar_chart_svg, format_number
from core.registry import ExportFile, Section, Table, register_export, register_section
from core.thaitime import fiscal_year_bounds, format_thai_date
from dmc_emis.models import Finding, FindingRule, Round, RoundSchool, SchoolStatus
from dmc_emis.resources import board_dataset, findings_dataset
from processes.models import Task

CERTIFY_STEP = "school_certify"
CERTIFIED_OUTCOME = "certified"
# A simple duty's school is done when the office has checked it (data-duty's office_check).
CHECK_STEP = "office_check"
CHECKED_OUTCOME = "checked"
CERTIFIED_STATUSES = (SchoolStatus.CERTIFIED, SchoolStatus.ACKNOWLEDGED, SchoolStatus.CHECKED)


def rounds_of(office: Office, fiscal_year: int):
    first, last = fiscal_year_bounds(fiscal_year)
    return Round.objects.filter(office=office, deadline_on__gte=first, deadline_on__lte=last)


def _percent_text(part: int, whole: int) -> str:
    return f"{format_number(round(part * 100 / whole, 1))}%" if whole else "—"


def _round_figures(rounds: list[Round]) -> dict[int, dict[str, Any]]:
    """Per round id: schools, certified on time / late, and findings by rule."""
    figures: dict[int, dict[str, Any]] = {
        r.pk: {
            "schools": 0,
            "certified": 0,
            "on_time": 0,
            "late": 0,
            "unrecorded": 0,
            "findings": defaultdict(int),
            "open": 0,
        }
        for r in rounds
    }
    row: Mapping[str, Any]  # two queries' rows in turn
    for row in (
        RoundSchool.objects.filter(round__in=rounds)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"), certified=Count("pk", filter=Q(status__in=CERTIFIED_STATUSES)))
    ):
        figures[row["round"]]["schools"] = row["n"]
        figures[row["round"]]["certified"] = row["certified"]
    # The latest certification of each certified school: one row per school, compared in
    # Python with its round's cut-off, which is a local date and time the database lacks.
    deadlines = {r.pk: r.deadline_at for r in rounds}
    certified = (
        Task.objects.filter(
            Q(step__key=CERTIFY_STEP, outcome=CERTIFIED_OUTCOME)
            | Q(step__key=CHECK_STEP, outcome=CHECKED_OUTCOME),
            case__round_entry__round__in=rounds,
            case__round_entry__status__in=CERTIFIED_STATUSES,
            status=Task.Status.DONE,
        )
        .order_by()
        .values("case__round_entry__round", "case")
        .annotate(at=Max("finished_at"))
        .values_list("case__round_entry__round", "at")
    )
    for round_id, at in certified.iterator(chunk_size=5000):
        key = "on_time" if at <= deadlines[round_id] else "late"
        figures[round_id][key] += 1
    for entry in figures.values():
        entry["unrecorded"] = max(entry["certified"] - entry["on_time"] - entry["late"], 0)
    for row in (
        Finding.objects.filter(entry__round__in=rounds)
        .order_by()
        .values("entry__round", "rule")
        .annotate(
            n=Count("pk"),
            still_open=Count("pk", filter=~Q(status=Finding.Status.RESOLVED)),
        )
    ):
        entry = figures[row["entry__round"]]
        entry["findings"][row["rule"]] = row["n"]
        entry["open"] += row["still_open"]
    return figures


def rounds_section(office: Office, fiscal_year: int) -> Section | None:
    rounds = list(rounds_of(office, fiscal_year).order_by("deadline_on", "kind"))
    if not rounds:
        return None
    figures = _round_figures(rounds)
    rules = [(rule, str(label)) for rule, label in FindingRule.choices]
    summary_rows = []
    blocks = []
    totals: defaultdict[str, int] = defaultdict(int)
    for round_ in rounds:
        f = figures[round_.pk]
        pending = f["schools"] - f["certified"]
        findings_total = sum(f["findings"].values())
        for key in ("schools", "certified", "on_time", "late", "unrecorded"):
            totals[key] += f[key]
        totals["findings"] += findings_total
        deadline = (
            f"{format_thai_date(round_.deadline_on, 'numeric')} {round_.cutoff_time:%H:%M} น."
        )
        summary_rows.append(
            [
                round_.title,
                deadline,
                f["schools"],
                f["certified"],
                f["on_time"],
                f["late"],
                pending,
                _percent_text(f["on_time"], f["schools"]),
                findings_total,
            ]
        )
        blocks.append(
            Section(
                key=f"dmc-round-{round_.pk}",
                title=round_.title,
                figures=[
                    ("กำหนดส่ง (เวลาปิดรับ)", deadline),
                    ("โรงเรียนในรอบ", f["schools"]),
                    ("รับรองข้อมูลแล้ว", f["certified"]),
                    ("รับรองข้อมูลทันกำหนด", f["on_time"]),
                    ("รับรองหลังกำหนด", f["late"]),
                    *([("รับรองแล้ว ไม่มีบันทึกเวลารับรอง", f["unrecorded"])] if f["unrecorded"] else []),
                    ("ยังไม่รับรอง", pending),
                    ("ร้อยละที่รับรองทันกำหนด", _percent_text(f["on_time"], f["schools"])),
                    ("ประเด็นที่ตรวจพบ (ยังไม่ปิด)", f"{findings_total} ({f['open']})"),
                ],
                tables=[
                    Table(
                        title="ประเด็นที่ตรวจพบ จำแนกตามการตรวจ",
                        headers=["การตรวจ", "จำนวน"],
                        rows=[[label, f["findings"].get(rule, 0)] for rule, label in rules],
                    )
                ],
            )
        )
    story = (
        f"ในปีงบประมาณ พ.ศ. {fiscal_year} มีรอบการจัดเก็บข้อมูลที่มีกำหนดส่ง {len(rounds)} รอบ"
        f" รวม {totals['schools']:,} โรงเรียน ผู้อำนวยการโรงเรียนรับรองข้อมูลแล้ว"
        f" {totals['certified']:,} โรงเรียน ในจำนวนนี้รับรองทันเวลาปิดรับ {totals['on_time']:,}"
        f" โรงเรียน และหลังกำหนด {totals['late']:,} โรงเรียน"
    )
    if totals["unrecorded"]:
        story += f" (อีก {totals['unrecorded']:,} โรงเรียนรับรองแล้วแต่ไม่มีบันทึกเวลารับรอง)"
    story += f" ระบบตรวจพบประเด็นในข้อมูล {totals['findings']:,} ประเด็น"
    highlights = [
        f"{round_.title}: รับรองแล้ว {figures[round_.pk]['certified']:,} จาก"
        f" {figures[round_.pk]['schools']:,} โรงเรียน"
        for round_ in rounds
    ]
    chart = bar_chart_svg(
        [round_.title for round_ in rounds],
        [
            ("ทันกำหนด", [figures[r.pk]["on_time"] for r in rounds]),
            ("หลังกำหนด", [figures[r.pk]["late"] for r in rounds]),
            ("ไม่มีบันทึกเวลา", [figures[r.pk]["unrecorded"] for r in rounds]),
            ("ยังไม่รับรอง", [figures[r.pk]["schools"] - figures[r.pk]["certified"] for r in rounds]),
        ],
        title="การรับรองข้อมูลของโรงเรียนในแต่ละรอบ",
        unit="โรงเรียน",
        stacked=True,
        show_title=True,
    )
    return Section(
        key="dmc-emis",
        area="student_data",
        title="ข้อมูลนักเรียนและสารสนเทศ (DMC/EMIS)",
        intro=story,
        highlights=highlights,
        headline=3,
        figures=[
            ("โรงเรียน (รวมทุกรอบ)", totals["schools"]),
            ("รับรองข้อมูลแล้ว (รวมทุกรอบ)", totals["certified"]),
            ("ร้อยละที่รับรองทันกำหนด", _percent_text(totals["on_time"], totals["schools"])),
            ("จำนวนรอบ", len(rounds)),
            ("รับรองทันกำหนด", totals["on_time"]),
            ("รับรองหลังกำหนด", totals["late"]),
            ("ประเด็นที่ตรวจพบ", totals["findings"]),
        ],
        tables=[
            Table(
                title="สรุปตามรอบข้อมูล",
                headers=[
                    "รอบข้อมูล",
                    "กำหนดส่ง",
                    "โรงเรียน",
                    "รับรองแล้ว",
                    "ทันกำหนด",
                    "หลังกำหนด",
                    "ยังไม่รับรอง",
                    "ร้อยละทันกำหนด",
                    "ประเด็น",
                ],
                rows=summary_rows,
            )
        ],
        charts=[chart],
        blocks=blocks,
    )


def rounds_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    rounds = rounds_of(office, fiscal_year)
    entries = RoundSchool.objects.filter(round__in=rounds).order_by(
        "round__deadline_on", "round__kind", "school__obec_code"
    )
    findings = Finding.objects.filter(entry__round__in=rounds).order_by(
        "entry__round__deadline_on", "entry__round__kind", "entry__school__obec_code", "row_number"
    )
    # Statuses and check names in Thai whatever language the admin's screen is in.
    with translation.override("th"):
        return [
            ExportFile(
                "rounds-board.xlsx",
                board_dataset(entries, with_round=True),
                title="สถานะโรงเรียนตามรอบข้อมูล",
            ),
            # National IDs appear masked only (dmc_emis.resources); the full list stays behind
            # the audited per-round export.
            ExportFile(
                "round-findings.xlsx",
                findings_dataset(findings, with_round=True),
                title="ประเด็นที่ตรวจพบในข้อมูล",
            ),
        ]


register_section("dmc-emis", rounds_section, order=40)
register_export("dmc-emis", rounds_export, order=40)

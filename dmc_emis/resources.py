"""Exports of a round: the board and the findings as XLSX or CSV with Thai headers.

Cells go through the repairs exports' `csv_bytes` / `xlsx_bytes`, which neutralise formulas.
National IDs appear only masked here; the full export is `services.national_ids_export`.
"""

from __future__ import annotations

import tablib
from django.db.models import QuerySet

from dmc_emis.models import Finding, RoundSchool
from processes.thaitime import format_thai_date, format_thai_datetime
from repairs.resources import csv_bytes, xlsx_bytes

BOARD_HEADERS = [
    "รหัสโรงเรียน",
    "ชื่อโรงเรียน",
    "อำเภอ",
    "สถานะ",
    "ชาย",
    "หญิง",
    "รวม",
    "ประเด็นที่ยังไม่ปิด",
    "ความเคลื่อนไหวล่าสุด",
    "เลขที่เรื่อง",
]
FINDING_HEADERS = [
    "รหัสโรงเรียน",
    "ชื่อโรงเรียน",
    "การตรวจ",
    "แถว",
    "รายละเอียด",
    "สถานะ",
    "คำชี้แจงของโรงเรียน",
    "วันที่ชี้แจง",
]


def _as(dataset: tablib.Dataset, file_format: str, title: str) -> bytes:
    return csv_bytes(dataset) if file_format == "csv" else xlsx_bytes(dataset, title=title)


def export_board(entries: QuerySet[RoundSchool], file_format: str = "xlsx") -> bytes:
    dataset = tablib.Dataset(headers=BOARD_HEADERS)
    for entry in entries.select_related("school", "case").iterator(chunk_size=2000):
        dataset.append(
            [
                entry.school.obec_code,
                entry.school.name_th,
                entry.school.district,
                entry.get_status_display(),
                entry.male if entry.male is not None else "",
                entry.female if entry.female is not None else "",
                entry.student_total if entry.student_total is not None else "",
                entry.open_findings,
                format_thai_datetime(entry.last_activity_at) if entry.last_activity_at else "",
                entry.case.reference if entry.case else "",
            ]
        )
    return _as(dataset, file_format, "สถานะโรงเรียน")


def export_findings(findings: QuerySet[Finding], file_format: str = "xlsx") -> bytes:
    dataset = tablib.Dataset(headers=FINDING_HEADERS)
    for finding in findings.select_related("entry__school").iterator(chunk_size=2000):
        dataset.append(
            [
                finding.entry.school.obec_code,
                finding.entry.school.name_th,
                finding.get_rule_display(),
                finding.row_number or "",
                finding.detail,
                finding.get_status_display(),
                finding.answer,
                format_thai_date(finding.answered_at.date()) if finding.answered_at else "",
            ]
        )
    return _as(dataset, file_format, "ประเด็นที่ตรวจพบ")

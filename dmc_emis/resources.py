"""Exports of a round: the board and the findings as XLSX or CSV with Thai headers.

Cells go through the repairs exports' `csv_bytes` / `xlsx_bytes`, which neutralise formulas.
National IDs appear only masked here; the full export is `services.national_ids_export`.
"""

from __future__ import annotations

import re

import tablib
from django.db.models import QuerySet

from core.spreadsheets import csv_bytes, xlsx_bytes
from dmc_emis.checks import mask_national_id
from dmc_emis.models import Finding, RoundSchool

ROUND_HEADER = "รอบข้อมูล"
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


# Thirteen digits, grouped by dashes or spaces as on the card or not at all.
_NATIONAL_ID_IN_TEXT = re.compile(r"(?<!\d)\d(?:[- ]?\d){12}(?!\d)")


def mask_national_ids_in(text: str) -> str:
    return _NATIONAL_ID_IN_TEXT.sub(
        lambda match: mask_national_id(re.sub(r"\D", "", match.group())), text or ""
    )


def _as(dataset: tablib.Dataset, file_format: str, title: str) -> bytes:
    return csv_bytes(dataset) if file_format == "csv" else xlsx_bytes(dataset, title=title)


def board_dataset(entries: QuerySet[RoundSchool], *, with_round: bool = False) -> tablib.Dataset:
    """The board's rows; `with_round` leads each row with its round (several rounds, one sheet)."""
    dataset = tablib.Dataset(
        headers=[ROUND_HEADER, *BOARD_HEADERS] if with_round else BOARD_HEADERS
    )
    related = ["school", "case", "round"] if with_round else ["school", "case"]
    for entry in entries.select_related(*related).iterator(chunk_size=2000):
        row = [
            entry.school.obec_code,
            entry.school.name_th,
            entry.school.district,
            entry.get_status_display(),
            entry.male if entry.male is not None else "",
            entry.female if entry.female is not None else "",
            entry.student_total if entry.student_total is not None else "",
            entry.open_findings,
            entry.last_activity_at,
            entry.case.reference if entry.case else "",
        ]
        dataset.append([entry.round.title, *row] if with_round else row)
    return dataset


def export_board(entries: QuerySet[RoundSchool], file_format: str = "xlsx") -> bytes:
    return _as(board_dataset(entries), file_format, "สถานะโรงเรียน")


def findings_dataset(findings: QuerySet[Finding], *, with_round: bool = False) -> tablib.Dataset:
    headers = [ROUND_HEADER, *FINDING_HEADERS] if with_round else FINDING_HEADERS
    dataset = tablib.Dataset(headers=headers)
    related = ["entry__school", "entry__round"] if with_round else ["entry__school"]
    for finding in findings.select_related(*related).iterator(chunk_size=2000):
        row = [
            finding.entry.school.obec_code,
            finding.entry.school.name_th,
            finding.get_rule_display(),
            finding.row_number or "",
            # The checks write IDs masked; a school's typed answer may still hold one in full.
            mask_national_ids_in(finding.detail),
            finding.get_status_display(),
            mask_national_ids_in(finding.answer),
            finding.answered_at,
        ]
        dataset.append([finding.entry.round.title, *row] if with_round else row)
    return dataset


def export_findings(findings: QuerySet[Finding], file_format: str = "xlsx") -> bytes:
    return _as(findings_dataset(findings), file_format, "ประเด็นที่ตรวจพบ")

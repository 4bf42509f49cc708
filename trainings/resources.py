"""Participant lists in and out as spreadsheets (Thai headers; English ones are accepted too)."""

from __future__ import annotations

import io

import tablib

from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx
from trainings.models import Participant

# Column -> the header names accepted for it (compared without spaces, case-insensitively).
COLUMNS = {
    "full_name": ("ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อสกุล", "ชื่อ", "fullname", "name"),
    "position": ("ตำแหน่ง", "position"),
    "school_code": ("รหัสโรงเรียน", "รหัสสถานศึกษา", "รหัสโรงเรียน10หลัก", "schoolcode", "obeccode"),
    "email": ("อีเมล", "อีเมล์", "e-mail", "email"),
}
TEMPLATE_HEADERS = ["ชื่อ-สกุล", "ตำแหน่ง", "รหัสโรงเรียน", "อีเมล"]
# A training's list (read by the Celery worker): a few thousand people at most, checked before
# openpyxl parses it.
LIST_LIMITS = XlsxLimits(max_rows=5_000, max_columns=30)


class ListFileError(ValueError):
    """The file cannot be read as a participant list; the message says why, in Thai."""


def _key(text: object) -> str:
    return "".join(str(text or "").split()).casefold()


def read_participant_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of the first sheet as dicts keyed by column (see COLUMNS)."""
    from openpyxl import load_workbook

    try:
        check_xlsx(io.BytesIO(data), LIST_LIMITS)
    except XlsxRejected as error:
        raise ListFileError(str(error)) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ListFileError("อ่านไฟล์ไม่ได้: ไม่ใช่ไฟล์ Excel (.xlsx) ที่สมบูรณ์") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ListFileError("ไฟล์ว่าง: ไม่มีแถวหัวตาราง")
    lookup = {_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
    positions = {}
    for index, title in enumerate(header):
        column = lookup.get(_key(title))
        if column and column not in positions:
            positions[column] = index
    if "full_name" not in positions:
        raise ListFileError("ไม่พบคอลัมน์ “ชื่อ-สกุล” ในแถวแรก")
    result = []
    for values in rows:
        values = list(values)
        result.append(
            {
                column: (
                    "" if index >= len(values) or values[index] is None else str(values[index])
                )
                for column, index in positions.items()
            }
        )
    workbook.close()
    return result


def template_dataset() -> tablib.Dataset:
    dataset = tablib.Dataset(headers=TEMPLATE_HEADERS)
    dataset.append(["นางสาวตัวอย่าง ใจดี", "ครู", "1057010001", "teacher@example.org"])
    return dataset


def participants_dataset(participants: list[Participant]) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง", "โรงเรียน", "ชั่วโมงที่เข้าร่วม", "ประเมินแล้ว", "เลขที่เกียรติบัตร"]
    )
    for number, p in enumerate(participants, start=1):
        certificate = getattr(p, "certificate", None)
        dataset.append(
            [
                number,
                p.full_name,
                p.position,
                p.school.name_th if p.school is not None else "",
                float(getattr(p, "hours_attended", None) or 0),
                "ใช่" if getattr(p, "evaluation", None) else "",
                certificate.number if certificate else "",
            ]
        )
    return dataset

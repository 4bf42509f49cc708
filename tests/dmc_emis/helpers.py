"""Small builders shared by the data-round tests: export files and a student's national ID."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def nid(n: int) -> str:
    """The nth made-up national ID, with a right check digit."""
    return with_check_digit(f"1{n:011d}")


def born(years_before_deadline: int, round_) -> str:
    """A Buddhist-era birth date giving the age wanted on the round's date."""
    day = round_.deadline_on - datetime.timedelta(days=365 * years_before_deadline + 40)
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def csv_upload(rows: list[list], name: str = "dmc.csv") -> SimpleUploadedFile:
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), "text/csv")


def xlsx_upload(rows: list[list], name: str = "dmc.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


STUDENT_HEADER = ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น", "เพศ", "วันเกิด"]
COUNT_HEADER = ["รหัสโรงเรียน", "ชั้น", "ชาย", "หญิง"]


def run_import(round_, user, upload):
    """Upload through the service and run the worker's job right away, as Celery would."""
    from dmc_emis.services import import_run, import_upload

    data_import = import_upload(round_=round_, user=user, upload=upload)
    import_run(import_id=data_import.pk)
    data_import.refresh_from_db()
    return data_import

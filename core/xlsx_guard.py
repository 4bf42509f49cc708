"""Look inside an XLSX before any spreadsheet library parses it.

An XLSX is a zip of XML parts. A file of 1.7 KB can declare a sheet of a million rows (some
readers then build every row), carry a shared-string table of millions of entries (read whole
into memory), or unzip to gigabytes (a zip bomb). `check_xlsx` reads only the zip directory and
the first bytes of the sheet and string parts, so it costs the same for any file, and refuses:

- a total uncompressed size above `max_uncompressed_bytes`, or a part that grows more than
  `max_ratio` times when unzipped (the mark of a bomb; real sheets grow 5-20 times);
- a declared sheet dimension above `max_rows` by `max_columns`, or more rows than the sheet's
  own bytes could hold (a dimension that lies);
- a shared-string table declaring more than `max_shared_strings` entries, or larger than
  `max_shared_strings_bytes` unzipped.

Every refusal is an `XlsxRejected` whose message is Thai and says what to do instead.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

# The shortest XML a real row can take (<row r="1"><c r="A1"><v>1</v></c></row>) is ~30 bytes.
MIN_BYTES_PER_ROW = 20
HEAD_BYTES = 64 * 1024

_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension[^>]*\bref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"'
)
_SST = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\b(?:uniqueCount|count)="(\d{1,12})"')


class XlsxRejected(ValueError):
    """The file is refused before parsing; `str(error)` is a Thai message for the person."""


@dataclass(frozen=True)
class XlsxLimits:
    max_rows: int = 100_000
    max_columns: int = 100
    max_shared_strings: int = 500_000
    max_shared_strings_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_parts: int = 500


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as part:
        return part.read(HEAD_BYTES)


def check_xlsx(file: IO[bytes] | str, limits: XlsxLimits | None = None) -> None:
    """Raise `XlsxRejected` if the XLSX would cost more to read than the limits allow."""
    limits = limits or XlsxLimits()
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxRejected("ไฟล์นี้ไม่ใช่ไฟล์ XLSX ที่สมบูรณ์ กรุณาบันทึกจากโปรแกรมตารางคำนวณใหม่") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise XlsxRejected("ไฟล์ XLSX มีส่วนประกอบมากผิดปกติ ระบบไม่รับไฟล์นี้")
        total = sum(info.file_size for info in parts)
        if total > limits.max_uncompressed_bytes:
            raise XlsxRejected(
                f"ไฟล์ XLSX เมื่อแตกออกมีขนาด {total // (1024 * 1024):,} MB "
                f"เกินกว่าที่รับได้ ({limits.max_uncompressed_bytes // (1024 * 1024):,} MB) "
                "กรุณาแบ่งไฟล์หรือบันทึกเป็น CSV"
            )
        for info in parts:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                raise XlsxRejected(
                    f"ไฟล์ XLSX ถูกบีบอัดผิดปกติ (ขยายตัวเกิน {limits.max_ratio:,} เท่า) ระบบไม่รับไฟล์นี้"
                )
        for info in parts:
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_sheet(archive, info, limits)
            elif name == "xl/sharedStrings.xml":
                _check_shared_strings(archive, info, limits)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits) -> None:
    match = _DIMENSION.search(_head(archive, info))
    if not match:
        return
    first_col, first_row, last_col, last_row = match.groups()
    rows = int(last_row or first_row or 1)
    columns = _column_number(last_col or first_col or b"A")
    if rows > limits.max_rows or columns > limits.max_columns:
        raise XlsxRejected(
            f"แผ่นงานในไฟล์ระบุขนาด {rows:,} แถว {columns:,} คอลัมน์ เกินกว่าที่รับได้ "
            f"({limits.max_rows:,} แถว {limits.max_columns:,} คอลัมน์) "
            "กรุณาแบ่งไฟล์หรือบันทึกเป็น CSV"
        )
    if rows > max(info.file_size // MIN_BYTES_PER_ROW, 1000):
        raise XlsxRejected(
            f"แผ่นงานในไฟล์ระบุว่ามี {rows:,} แถว แต่ข้อมูลจริงมีน้อยกว่านั้นมาก "
            "ไฟล์อาจเสียหาย กรุณาบันทึกจากโปรแกรมตารางคำนวณใหม่หรือบันทึกเป็น CSV"
        )


def _check_shared_strings(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits
) -> None:
    match = _SST.search(_head(archive, info))
    declared = int(match.group(1)) if match else 0
    if declared > limits.max_shared_strings or info.file_size > limits.max_shared_strings_bytes:
        raise XlsxRejected(
            "ไฟล์มีข้อความไม่ซ้ำกันมากเกินกว่าที่อ่านจาก XLSX ได้ "
            f"(สูงสุด {limits.max_shared_strings:,} ข้อความ) กรุณาบันทึกเป็น CSV แล้วนำเข้าใหม่"
        )

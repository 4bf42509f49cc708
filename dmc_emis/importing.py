"""Reading a school-level export (CSV or XLSX) row by row, in bounded memory.

Two shapes are recognised by their headers: students by grade (school code, grade, male,
female) and student rows (school code, national ID, names, grade, gender, birth date). Rows are
written in batches as staged rows of the import; `services.import_apply` later makes them the
round's data in one transaction, or `services.import_run` throws them away when the file had
errors. Nothing here keeps more than one batch of rows in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction

from core.params import is_ascii_digits
from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx
from dmc_emis import checks
from dmc_emis.models import DataImport, GradeCount, StudentRecord, national_id_cipher

BATCH_SIZE = 5000
MAX_ERRORS = 100
CSV_SAMPLE_BYTES = 64 * 1024

HEADERS = {
    "school_code": (
        "รหัสโรงเรียน",
        "รหัสสถานศึกษา",
        "รหัสโรงเรียน 10 หลัก",
        "school_code",
        "obec_code",
        "school code",
    ),
    "grade": ("ชั้น", "ระดับชั้น", "ชั้นเรียน", "grade", "class"),
    "male": ("ชาย", "นักเรียนชาย", "จำนวนชาย", "male", "boys"),
    "female": ("หญิง", "นักเรียนหญิง", "จำนวนหญิง", "female", "girls"),
    "national_id": (
        "เลขประจำตัวประชาชน",
        "เลขบัตรประชาชน",
        "เลขประจำตัวประชาชน 13 หลัก",
        "national_id",
        "citizen_id",
        "id",
    ),
    "first_name": ("ชื่อ", "first_name", "first name", "name"),
    "last_name": ("นามสกุล", "last_name", "last name", "surname"),
    "gender": ("เพศ", "gender", "sex"),
    "birth_date": ("วันเกิด", "วันเดือนปีเกิด", "birth_date", "birth date", "date of birth"),
}
THAI_LABELS = {
    "school_code": "รหัสโรงเรียน",
    "grade": "ชั้น",
    "male": "ชาย",
    "female": "หญิง",
    "national_id": "เลขประจำตัวประชาชน",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "gender": "เพศ",
    "birth_date": "วันเกิด",
}
COUNT_COLUMNS: tuple[str, ...] = ("school_code", "grade", "male", "female")
STUDENT_COLUMNS: tuple[str, ...] = ("school_code", "national_id", "grade")
STUDENT_OPTIONAL = ("first_name", "last_name", "gender", "birth_date")
MALE = {"ช", "ชาย", "m", "male", "1", "ด.ช.", "นาย"}
FEMALE = {"ญ", "หญิง", "f", "female", "2", "ด.ญ.", "นางสาว", "น.ส."}


def _key(text: object) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


_LOOKUP = {_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


class FileError(Exception):
    """The file cannot be read at all (wrong type, no header row)."""


@dataclass
class ReadResult:
    content: str = ""
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    truncated: bool = False


class CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read, so a CSV import can report progress."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def sniff_format(head: bytes) -> str:
    """'xlsx' or 'csv' from the file's first bytes; FileError for anything else."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head[:4096] or head.startswith(
        (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")
    ):
        raise FileError("ไฟล์ไม่ใช่ CSV หรือ XLSX กรุณาบันทึกจากโปรแกรมตารางคำนวณเป็น .csv หรือ .xlsx")
    return "csv"


def csv_rows(
    binary: IO[bytes], progress: Callable[[float], None], size: int
) -> Iterator[tuple[int, list]]:
    """(row number, cells) of a CSV in UTF-8 (with or without BOM) or Thai Windows-874."""
    counter = CountingReader(binary)
    buffered = io.BufferedReader(counter, buffer_size=CSV_SAMPLE_BYTES)
    sample = buffered.peek(CSV_SAMPLE_BYTES)[:CSV_SAMPLE_BYTES]
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        encoding = "cp874"
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="", errors="strict")
    first_line = sample.split(b"\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: first_line.count(d.encode()))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            if number % 1000 == 0 and size:
                progress(counter.count / size)
            yield number, row
    except UnicodeDecodeError as error:
        raise FileError("ไฟล์มีอักขระที่อ่านไม่ได้ กรุณาบันทึกเป็น CSV แบบ UTF-8") from error
    except csv.Error as error:
        raise FileError(f"อ่านไฟล์ CSV ไม่ได้: {error}") from error


# A whole office's students fit (Excel's own limit is 1,048,576 rows); bigger goes as CSV.
DMC_XLSX_LIMITS = XlsxLimits(
    max_rows=1_048_576, max_columns=60, max_uncompressed_bytes=400 * 1024 * 1024
)


def xlsx_rows(binary: IO[bytes], progress: Callable[[float], None]) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the first sheet, read with openpyxl's streaming reader.

    `binary` is the stored file opened from the storage: a zip needs to seek, which a local
    file does and the S3 store's file does over its spooled copy (on disk past a few MB).
    """
    from openpyxl import load_workbook

    try:
        # Before openpyxl: a lying dimension, a huge string table or a zip bomb is refused.
        check_xlsx(binary, DMC_XLSX_LIMITS)
    except XlsxRejected as error:
        raise FileError(str(error)) from error
    try:
        binary.seek(0)
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # zip or XML damage: openpyxl raises many kinds
        raise FileError("เปิดไฟล์ XLSX ไม่ได้ ไฟล์อาจเสียหาย") from error
    try:
        sheet = workbook.worksheets[0]
        total = sheet.max_row or 0  # from the sheet's stored dimension; may be missing
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number % 1000 == 0 and total:
                progress(min(number / total, 1.0))
            yield number, list(row)
    finally:
        workbook.close()


def _cell(row: list, index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value: object) -> int:
    text = _text(value).replace(",", "")
    if text == "":
        return 0
    if not is_ascii_digits(text) or len(text) > 9:
        raise ValueError
    return int(text)


class Stager:
    """Turns rows into staged model rows, batch by batch, and gathers row-numbered errors."""

    def __init__(self, data_import: DataImport, entries: dict[str, int], data_date):
        self.data_import = data_import
        self.entries = entries
        self.data_date = data_date
        self.result = ReadResult()
        self.columns: dict[str, int] = {}
        self.batch: list = []

    def error(self, row: int, message: str) -> None:
        if len(self.result.errors) >= MAX_ERRORS:
            self.result.truncated = True
            return
        # A message quotes cells (a grade, a date, a school code); an ID typed in the wrong
        # column would reach every office role in full through the import page.
        self.result.errors.append({"row": row, "message": checks.mask_digit_runs(message)})

    def header(self, cells: list) -> None:
        self.columns = {}
        for index, cell in enumerate(cells):
            name = _LOOKUP.get(_key(cell))
            if name and name not in self.columns:
                self.columns[name] = index
        if "national_id" in self.columns:
            self.result.content = DataImport.Content.STUDENTS
            required = STUDENT_COLUMNS
        else:
            self.result.content = DataImport.Content.COUNTS
            required = COUNT_COLUMNS
        missing = [THAI_LABELS[name] for name in required if name not in self.columns]
        if missing:
            raise FileError(
                "แถวที่ 1: ไม่พบคอลัมน์ "
                + ", ".join(missing)
                + " (ต้องมี รหัสโรงเรียน ชั้น ชาย หญิง หรือ รหัสโรงเรียน เลขประจำตัวประชาชน ชั้น)"
            )

    def row(self, number: int, cells: list) -> None:
        if all(_text(c) == "" for c in cells):
            return  # blank rows between blocks are common in exports
        if any(isinstance(c, str) and "\x00" in c for c in cells):
            self.result.rows += 1
            self.error(number, "แถวนี้มีอักขระที่อ่านไม่ได้ (NUL) ไฟล์อาจเสียหาย")
            return
        self.result.rows += 1
        code = _text(_cell(cells, self.columns["school_code"]))
        grade_text = _text(_cell(cells, self.columns["grade"]))
        problems = []
        if not code:
            self.error(number, "ไม่มีรหัสโรงเรียน")
            return
        entry_id = self.entries.get(code)
        if entry_id is None:
            self.error(number, f"รหัสโรงเรียน {code} ไม่อยู่ในรอบข้อมูลนี้")
            return
        grade = checks.parse_grade(grade_text)
        if grade is None:
            self.error(
                number, f"ไม่รู้จักชั้น “{grade_text}” (ใช้ เช่น อ.1 ป.1 ม.1)" if grade_text else "ไม่มีชั้น"
            )
            return
        if self.result.content == DataImport.Content.COUNTS:
            try:
                male = _count(_cell(cells, self.columns["male"]))
                female = _count(_cell(cells, self.columns["female"]))
            except ValueError:
                self.error(number, "จำนวนนักเรียนชาย/หญิงต้องเป็นจำนวนเต็มไม่ติดลบ")
                return
            self.batch.append((entry_id, self.data_import.pk, number, grade, male, female, False))
        else:
            national_id = checks.clean_national_id(_cell(cells, self.columns["national_id"]))
            if not national_id:
                problems.append(("missing", "ไม่มีเลขประจำตัวประชาชน"))
            elif not checks.national_id_is_valid(national_id):
                problems.append(
                    (
                        "national_id",
                        f"เลขประจำตัวประชาชน {checks.mask_national_id(national_id)}"
                        " ไม่ถูกต้องตามหลักตรวจสอบ",
                    )
                )
            if len(national_id) > 13:
                national_id = national_id[:13]
            names = {
                n: _text(_cell(cells, self.columns.get(n))) for n in ("first_name", "last_name")
            }
            gender_text = _text(_cell(cells, self.columns.get("gender"))).casefold()
            gender = "M" if gender_text in MALE else "F" if gender_text in FEMALE else ""
            birth_value = _cell(cells, self.columns.get("birth_date"))
            birth_date = None
            if _text(birth_value):
                try:
                    birth_date = checks.parse_birth_date(birth_value)
                except ValueError as error:
                    self.error(number, f"วันเกิด “{_text(birth_value)}” อ่านไม่ได้: {error}")
                    return
            missing = [THAI_LABELS[n] for n in ("first_name", "last_name") if not names[n]]
            if not gender:
                missing.append(THAI_LABELS["gender"])
            if birth_date is None:
                missing.append(THAI_LABELS["birth_date"])
            if missing:
                problems.append(("missing", "ไม่มีข้อมูล " + ", ".join(missing)))
            if birth_date and not checks.age_is_plausible(grade, birth_date, self.data_date):
                age = checks.age_on(birth_date, self.data_date)
                problems.append(("age", f"อายุ {age} ปี ไม่สอดคล้องกับชั้น {grade_text}"))
            self.batch.append(
                (
                    self.data_import.pk,
                    self.data_import.round_id,
                    entry_id,
                    number,
                    national_id,
                    names["first_name"][:100],
                    names["last_name"][:100],
                    grade,
                    gender,
                    birth_date,
                    json.dumps(problems, ensure_ascii=False),
                    bool(problems),
                    False,
                )
            )
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.batch or self.result.errors:
            self.batch = []  # once the file is known broken, nothing more is staged
            return
        is_students = self.result.content == DataImport.Content.STUDENTS
        model, columns = (
            (StudentRecord, STUDENT_FIELDS) if is_students else (GradeCount, COUNT_FIELDS)
        )
        rows = _seal_national_ids(self.batch) if is_students else self.batch
        self.batch = []
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy_rows(model, columns, rows)
            else:
                _create_rows(model, columns, rows)


def _seal_national_ids(batch: list[tuple]) -> list[tuple]:
    """The batch with each row's plain national ID replaced by its AES-GCM token and keyed
    hash (STUDENT_FIELDS' order): one pass per batch, so the plain numbers live no longer than
    the batch they came in and never reach the database."""
    sealed = national_id_cipher().seal_many(row[_NATIONAL_ID_AT] for row in batch)
    return [
        (*row[:_NATIONAL_ID_AT], token, digest, *row[_NATIONAL_ID_AT + 1 :])
        for row, (token, digest) in zip(batch, sealed, strict=True)
    ]


def _create_rows(
    model: type[StudentRecord] | type[GradeCount], columns: tuple[str, ...], batch: list[Any]
) -> None:
    """The ORM's way of staging a batch, where COPY is not available (SQLite)."""
    objects: list[Any] = [model(**_as_fields(columns, row)) for row in batch]
    model._default_manager.bulk_create(objects)


# The staged columns in the order the rows above are built.
STUDENT_FIELDS = (
    "data_import_id",
    "round_id",
    "entry_id",
    "row_number",
    "national_id_encrypted",
    "national_id_hash",
    "first_name",
    "last_name",
    "grade",
    "gender",
    "birth_date",
    "problems",
    "has_problems",
    "is_current",
)
COUNT_FIELDS = ("entry_id", "data_import_id", "row_number", "grade", "male", "female", "is_current")
TEXT_FIELDS = (
    "national_id_encrypted",
    "national_id_hash",
    "first_name",
    "last_name",
    "grade",
    "gender",
)
# Where the plain national ID sits in a staged student row (Stager.row), before it is sealed
# into the two columns that take its place.
_NATIONAL_ID_AT = STUDENT_FIELDS.index("national_id_encrypted")


def _as_fields(columns: tuple[str, ...], row: tuple) -> dict:
    fields = dict(zip(columns, row, strict=True))
    if "problems" in fields:
        fields["problems"] = json.loads(fields["problems"])
    return fields


def _copy_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for a million staged rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["t" if v is True else "f" if v is False else v for v in row])
    buffer.seek(0)
    meta = model._meta
    names = [meta.get_field(c).column for c in columns]
    not_null = [meta.get_field(c).column for c in columns if c in TEXT_FIELDS]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else "")
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {meta.db_table} ({', '.join(names)}) FROM STDIN WITH ({options})", buffer
        )


def stage_file(
    data_import: DataImport,
    *,
    entries: dict[str, int],
    data_date,
    progress: Callable[[float], None],
) -> ReadResult:
    """Stream the import's file into staged rows. FileError when it cannot be read at all."""
    stager = Stager(data_import, entries, data_date)
    with data_import.file.open("rb") as handle:
        head = handle.read(8)
        handle.seek(0)
        file_format = sniff_format(head)
        if file_format == "xlsx":
            rows = xlsx_rows(handle, progress)
        else:
            rows = csv_rows(handle, progress, data_import.file_size)
        seen_header = False
        for number, cells in rows:
            if not seen_header:
                if all(_text(c) == "" for c in cells):
                    continue
                stager.header(cells)
                seen_header = True
                continue
            try:
                stager.row(number, cells)
            except Exception as error:  # a cell no check foresaw: the row's error, not a crash
                stager.error(number, f"อ่านข้อมูลแถวนี้ไม่ได้ ({type(error).__name__})")
            if stager.result.truncated:
                break
        stager.flush()
    if not seen_header:
        raise FileError("ไฟล์ว่างเปล่า ไม่มีแถวหัวตาราง")
    if stager.result.rows == 0 and not stager.result.errors:
        raise FileError("ไฟล์มีแต่หัวตาราง ไม่มีข้อมูล")
    return stager.result

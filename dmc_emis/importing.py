"""Reading a school-level export (CSV or XLSX) row by row, in bounded memory.

Two shapes are recognised by their headers: students by grade (school code, grade, male,
female) and student rows (school code, national ID, names, grade, gender, birth date). Rows are
written as the round's current data inside the import's transaction (`services.import_run`),
which `services.import_apply` finishes with set-based checks, or which rolls back when the file
had errors: nobody sees a row before the whole file is in. On PostgreSQL the whole file goes
through one COPY, fed a batch at a time, so that the database stores a batch while the next is
read, checked and sealed. Nothing here keeps more than one batch of rows in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection

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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
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


# A file spells its grades, genders and birth dates a few thousand ways, a million times over:
# each spelling is read once. The bound keeps a hostile file of unique values from growing them.
CACHE_LIMIT = 50_000


class Stager:
    """Turns rows into rows to store, batch by batch, and gathers row-numbered errors.

    Rows are written as the round's current data straight away: the caller's transaction makes
    them visible all at once when the import is applied, or never when the file had errors.
    """

    def __init__(self, data_import: DataImport, entries: dict[str, int], data_date):
        self.data_import = data_import
        self.import_id, self.round_id = data_import.pk, data_import.round_id
        self.entries = entries
        self.data_date = data_date
        self.result = ReadResult()
        self.columns: dict[str, int] = {}
        self.batch: list = []
        self._grades: dict[object, str | None] = {}
        self._genders: dict[object, str] = {}
        self._births: dict[object, tuple[datetime.date | None, str]] = {}
        self._ages: dict[tuple[str, datetime.date], bool] = {}

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
        # A row is padded to one cell past the last column read; a column the file lacks reads
        # that always-empty cell.
        self.blank_at = max(self.columns.values()) + 1
        self.at = {name: self.columns.get(name, self.blank_at) for name in HEADERS}
        if missing:
            raise FileError(
                "แถวที่ 1: ไม่พบคอลัมน์ "
                + ", ".join(missing)
                + " (ต้องมี รหัสโรงเรียน ชั้น ชาย หญิง หรือ รหัสโรงเรียน เลขประจำตัวประชาชน ชั้น)"
            )

    def batches(self, rows: Iterator[tuple[int, list]]) -> Iterator[list]:
        """The rows to store, a batch at a time (national IDs sealed), until the file ends or
        shows its first error: from then on nothing more is stored, and `rows`, left where it
        stopped, can be read on for the rest of the errors."""
        for number, cells in rows:
            self._read(number, cells)
            if self.result.errors:
                self.batch = []
                return
            if len(self.batch) >= BATCH_SIZE:
                yield self.take()
        if self.batch:
            yield self.take()

    def _read(self, number: int, cells: list) -> None:
        """One row of either shape; a cell no check foresaw is the row's error, not a crash."""
        row = self.student_row if self.result.content == DataImport.Content.STUDENTS else self.row
        try:
            row(number, cells)
        except Exception as error:
            self.error(number, f"อ่านข้อมูลแถวนี้ไม่ได้ ({type(error).__name__})")

    def take(self) -> list:
        batch, self.batch = self.batch, []
        if self.result.content == DataImport.Content.STUDENTS:
            _seal_national_ids(batch)
        return batch

    def rest(self, rows: Iterator[tuple[int, list]]) -> None:
        """Read the rows after the first error for more errors (up to MAX_ERRORS), storing none."""
        for number, cells in rows:
            if self.result.truncated:
                return
            self._read(number, cells)
            self.batch = []

    def _cells(self, number: int, cells: list) -> list | None:
        """The row's cells padded to every column read, or None for a row to pass over: blank
        (common between blocks of an export) or holding a NUL (an error).

        A CSV row is all text and goes through as it is: its cells are stripped where read. An
        XLSX row's numbers become text here, as typed; a date stays a date in the birth-date
        column, the one place a date is read as such.
        """
        try:
            joined = "".join(cells)
        except TypeError:
            joined = None
        if joined is None:
            original = cells
            cells = [_text(c) for c in cells]
            joined = "".join(cells)
            birth_at = self.at["birth_date"]
            if birth_at < len(original) and isinstance(original[birth_at], datetime.date):
                cells[birth_at] = original[birth_at]
        if not joined or joined.isspace():
            return None
        self.result.rows += 1
        if "\x00" in joined:
            self.error(number, "แถวนี้มีอักขระที่อ่านไม่ได้ (NUL) ไฟล์อาจเสียหาย")
            return None
        if len(cells) <= self.blank_at:
            cells = [*cells, *([""] * (self.blank_at + 1 - len(cells)))]
        elif cells[self.blank_at] != "":  # a longer row: only read cells count
            cells = [*cells[: self.blank_at], ""]
        return cells

    def _place(self, number: int, raw: list) -> tuple[list, int, str] | None:
        """The row's cells, school entry and grade; None for a row passed over or in error."""
        cells = self._cells(number, raw)
        if cells is None:
            return None
        place = self._school_and_grade(number, cells)
        if place is None:
            return None
        return cells, *place

    def _school_and_grade(self, number: int, cells: list) -> tuple[int, str] | None:
        code = cells[self.at["school_code"]].strip()
        if not code:
            self.error(number, "ไม่มีรหัสโรงเรียน")
            return None
        entry_id = self.entries.get(code)
        if entry_id is None:
            self.error(number, f"รหัสโรงเรียน {code} ไม่อยู่ในรอบข้อมูลนี้")
            return None
        grade_cell = cells[self.at["grade"]]
        grade = self._grades.get(grade_cell, "")
        if grade == "":
            grade = checks.parse_grade(grade_cell.strip())
            if len(self._grades) < CACHE_LIMIT:
                self._grades[grade_cell] = grade
        if grade is None:
            grade_text = grade_cell.strip()
            self.error(
                number, f"ไม่รู้จักชั้น “{grade_text}” (ใช้ เช่น อ.1 ป.1 ม.1)" if grade_text else "ไม่มีชั้น"
            )
            return None
        return entry_id, grade

    def row(self, number: int, raw: list) -> None:
        """A row of a counts file (school, grade, male, female)."""
        place = self._place(number, raw)
        if place is None:
            return
        cells, entry_id, grade = place
        try:
            male = _count(cells[self.at["male"]])
            female = _count(cells[self.at["female"]])
        except ValueError:
            self.error(number, "จำนวนนักเรียนชาย/หญิงต้องเป็นจำนวนเต็มไม่ติดลบ")
            return
        self.batch.append((entry_id, self.import_id, number, grade, male, female, True))

    def student_row(self, number: int, raw: list) -> None:
        """A row of a student file: an error stops the file; a problem becomes a finding."""
        place = self._place(number, raw)
        if place is None:
            return
        cells, entry_id, grade = place
        at = self.at
        problems = []
        national_id = cells[at["national_id"]].strip()
        if len(national_id) == 13 and is_ascii_digits(national_id):
            valid = checks.check_digit_matches(national_id)
        else:  # Thai digits, dashes or spaces: cleaned the slow way
            national_id = checks.clean_national_id(national_id)
            valid = checks.national_id_is_valid(national_id)
        if not national_id:
            problems.append(("missing", "ไม่มีเลขประจำตัวประชาชน"))
        elif not valid:
            problems.append(
                (
                    "national_id",
                    f"เลขประจำตัวประชาชน {checks.mask_national_id(national_id)}"
                    " ไม่ถูกต้องตามหลักตรวจสอบ",
                )
            )
        first_name = cells[at["first_name"]].strip()[:100]
        last_name = cells[at["last_name"]].strip()[:100]
        gender_cell = cells[at["gender"]]
        gender = self._genders.get(gender_cell)
        if gender is None:
            text = gender_cell.strip().casefold()
            gender = "M" if text in MALE else "F" if text in FEMALE else ""
            if len(self._genders) < CACHE_LIMIT:
                self._genders[gender_cell] = gender
        birth_cell = cells[at["birth_date"]]
        known = self._births.get(birth_cell)
        if known is None:
            known = self._birth_date(birth_cell)
            if len(self._births) < CACHE_LIMIT:
                self._births[birth_cell] = known
        birth_date, unreadable = known
        if unreadable:
            self.error(number, unreadable)
            return
        if not (first_name and last_name and gender and birth_date):
            missing = [
                THAI_LABELS[name]
                for name, value in (
                    ("first_name", first_name),
                    ("last_name", last_name),
                    ("gender", gender),
                    ("birth_date", birth_date),
                )
                if not value
            ]
            problems.append(("missing", "ไม่มีข้อมูล " + ", ".join(missing)))
        if birth_date and not self._age_fits(grade, birth_date):
            age = checks.age_on(birth_date, self.data_date)
            grade_text = cells[at["grade"]].strip()
            problems.append(("age", f"อายุ {age} ปี ไม่สอดคล้องกับชั้น {grade_text}"))
        # STUDENT_FIELDS' order; the ID's two columns are filled when the batch is sealed.
        self.batch.append(
            [
                self.import_id,
                self.round_id,
                entry_id,
                number,
                national_id[:13],
                None,
                first_name,
                last_name,
                grade,
                gender,
                birth_date,
                json.dumps(problems, ensure_ascii=False) if problems else "[]",
                bool(problems),
                True,
            ]
        )

    def _birth_date(self, value: object) -> tuple[datetime.date | None, str]:
        """(date, "") or (None, "") for a blank cell, or (None, the row's error)."""
        if not _text(value):
            return None, ""
        try:
            return checks.parse_birth_date(value), ""
        except ValueError as error:
            return None, f"วันเกิด “{_text(value)}” อ่านไม่ได้: {error}"

    def _age_fits(self, grade: str, birth_date: datetime.date) -> bool:
        key = (grade, birth_date)
        fits = self._ages.get(key)
        if fits is None:
            fits = checks.age_is_plausible(grade, birth_date, self.data_date)
            if len(self._ages) < CACHE_LIMIT:
                self._ages[key] = fits
        return fits


def _seal_national_ids(batch: list[list]) -> None:
    """Each row's plain national ID replaced, in place, by its AES-GCM token and keyed hash
    (STUDENT_FIELDS' order): one pass per batch, so the plain numbers live no longer than the
    batch they came in and never reach the database."""
    sealed = national_id_cipher().seal_many(row[_NATIONAL_ID_AT] for row in batch)
    for row, (token, digest) in zip(batch, sealed, strict=True):
        row[_NATIONAL_ID_AT] = token
        row[_NATIONAL_ID_AT + 1] = digest


def _create_rows(
    model: type[StudentRecord] | type[GradeCount], columns: tuple[str, ...], batch: list[Any]
) -> None:
    """The ORM's way of storing a batch, where COPY is not available (SQLite)."""
    objects: list[Any] = [model(**_as_fields(columns, row)) for row in batch]
    model._default_manager.bulk_create(objects)


# The stored columns in the order the rows above are built.
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
# Where the plain national ID sits in a student row (Stager.student_row), before it is sealed
# into the two columns that take its place.
_NATIONAL_ID_AT = STUDENT_FIELDS.index("national_id_encrypted")


def _as_fields(columns: tuple[str, ...], row: tuple | list) -> dict:
    fields = dict(zip(columns, row, strict=True))
    if "problems" in fields:
        fields["problems"] = json.loads(fields["problems"])
    return fields


class _CopySource:
    """The file COPY reads: each read formats the next batch as CSV. PostgreSQL stores a batch
    while the next one is parsed and sealed here, so reading and writing overlap on two cores.
    """

    def __init__(self, batches: Iterator[list]):
        self.batches = batches

    def read(self, size: int = -1) -> str:
        for batch in self.batches:
            buffer = io.StringIO()
            # True/False, dates and None as csv writes them are what COPY's CSV reads as
            # booleans, ISO dates and NULL; FORCE_NOT_NULL keeps empty names "" (see below).
            csv.writer(buffer).writerows(batch)
            return buffer.getvalue()
        return ""


def _copy_rows(model, columns: tuple[str, ...], batches: Iterator[list]) -> None:
    """PostgreSQL's COPY, one statement for the whole file, fed batch by batch."""
    meta = model._meta
    names = [meta.get_field(c).column for c in columns]
    not_null = [meta.get_field(c).column for c in columns if c in TEXT_FIELDS]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else "")
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {meta.db_table} ({', '.join(names)}) FROM STDIN WITH ({options})",
            _CopySource(batches),
            size=1 << 16,
        )


def stage_file(
    data_import: DataImport,
    *,
    entries: dict[str, int],
    data_date,
    progress: Callable[[float], None],
) -> ReadResult:
    """Stream the import's file into the round's rows, inside the caller's transaction (which
    must roll back when the result has errors). FileError when it cannot be read at all."""
    stager = Stager(data_import, entries, data_date)
    with data_import.file.open("rb") as handle:
        head = handle.read(8)
        handle.seek(0)
        if sniff_format(head) == "xlsx":
            rows = xlsx_rows(handle, progress)
        else:
            rows = csv_rows(handle, progress, data_import.file_size)
        for _number, cells in rows:
            if not all(_text(c) == "" for c in cells):
                stager.header(cells)
                break
        else:
            raise FileError("ไฟล์ว่างเปล่า ไม่มีแถวหัวตาราง")
        is_students = stager.result.content == DataImport.Content.STUDENTS
        model, columns = (
            (StudentRecord, STUDENT_FIELDS) if is_students else (GradeCount, COUNT_FIELDS)
        )
        batches = stager.batches(rows)
        if connection.vendor == "postgresql":
            _copy_rows(model, columns, batches)
        else:
            for batch in batches:
                _create_rows(model, columns, batch)
        stager.rest(rows)
    if stager.result.rows == 0 and not stager.result.errors:
        raise FileError("ไฟล์มีแต่หัวตาราง ไม่มีข้อมูล")
    return stager.result

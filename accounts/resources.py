"""Schools in and out of spreadsheets: Thai column headers, codes kept as text, all-or-nothing.

`SchoolResource` is the django-import-export resource (the admin's export, every import);
`check_schools()` and `store_schools()` are the two steps of the portal's background import
(accounts.services_schools), `import_schools()` the same import in one go for code (tests, the
``import_schools`` management command). They read CSV (UTF-8, with or without Excel's BOM, or
Thai Windows cp874) or XLSX bytes (after the XLSX guard) and return counts and per-row errors
in Thai.

Row numbers in errors are spreadsheet rows: the header is row 1, the first school is row 2, as
the user sees them in Excel.

Error messages here are written in Thai directly: they describe Thai-headed files for Thai
office staff and must read in Thai whatever language the admin is using.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from import_export import resources, widgets
from import_export.fields import Field

from accounts.models import Office, School
from core.import_jobs import CHECK_BATCH_SIZE, Checked, check_in_batches
from core.import_jobs import RowError as ImportRowError
from core.spreadsheets import csv_bytes, xlsx_bytes
from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx

if TYPE_CHECKING:
    # The mixin below is only ever mixed into a resource.
    from import_export.resources import ModelResource as _ResourceBase
else:
    _ResourceBase = object

# Resource field name -> the Thai column header used in files (import and export).
HEADERS: dict[str, str] = {
    "obec_code": "รหัสโรงเรียน (10 หลัก)",
    "smis_code": "รหัส SMIS (8 หลัก)",
    "name_th": "ชื่อโรงเรียน",
    "name_en": "ชื่อภาษาอังกฤษ",
    "district": "อำเภอ",
    "subdistrict": "ตำบล",
    "size": "ขนาด",
    "office": "รหัส สพท.",
    "is_active": "ใช้งาน",
}
FIELD_ORDER = tuple(HEADERS)
# Columns a file must have; the others may be left out (existing values are then kept).
REQUIRED_COLUMNS = ("obec_code", "smis_code", "name_th", "district", "office")

# Other spellings accepted for a column header (compared after `_header_key`).
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "obec_code": ("รหัสโรงเรียน", "รหัส 10 หลัก", "รหัส obec", "รหัสสถานศึกษา", "obec"),
    "smis_code": ("รหัส smis", "smis", "รหัส 8 หลัก"),
    "name_th": ("ชื่อสถานศึกษา", "ชื่อโรงเรียนภาษาไทย", "ชื่อภาษาไทย"),
    "name_en": ("ชื่อโรงเรียนภาษาอังกฤษ", "english name"),
    "district": ("อำเภอ/เขต",),
    "subdistrict": ("ตำบล/แขวง",),
    "size": ("ขนาดโรงเรียน", "ขนาดสถานศึกษา"),
    "office": ("รหัสสำนักงานเขตพื้นที่การศึกษา", "รหัส สพป.", "รหัส สพม.", "office_code"),
    "is_active": ("สถานะ", "active"),
}

SIZE_LABELS_TH: dict[str, str] = {
    School.Size.SMALL: "เล็ก",
    School.Size.MEDIUM: "กลาง",
    School.Size.LARGE: "ใหญ่",
    School.Size.EXTRA_LARGE: "ใหญ่พิเศษ",
}

_TRUE_WORDS = {"1", "true", "yes", "y", "t", "x", "✓", "ใช่", "ใช้งาน", "ใช้", "เปิด", "เปิดใช้งาน"}
_FALSE_WORDS = {"0", "false", "no", "n", "f", "ไม่", "ไม่ใช่", "ไม่ใช้งาน", "ไม่ใช้", "ปิด", "ยกเลิก"}


def _header_key(text: object) -> str:
    """A header compared loosely: no BOM, no spaces or dots, lower case."""
    return re.sub(r"[\s.\ufeff]+", "", str(text or "")).lower()


_HEADER_LOOKUP: dict[str, str] = {}
for _name, _header in HEADERS.items():
    for _spelling in (_header, _name, *_HEADER_ALIASES.get(_name, ())):
        _HEADER_LOOKUP.setdefault(_header_key(_spelling), _header)


def normalise_headers(headers: list[object]) -> list[str]:
    """Map each header to its canonical Thai header when recognised; keep the others as text."""
    return [_HEADER_LOOKUP.get(_header_key(h), str(h or "").strip()) for h in headers]


def missing_columns_message(headers: list[str] | None) -> str:
    """A Thai message naming the required columns the (normalised) headers lack, or ""."""
    present = set(headers or ())
    missing = [HEADERS[name] for name in REQUIRED_COLUMNS if HEADERS[name] not in present]
    return "ไม่พบคอลัมน์ที่ต้องมีในไฟล์: " + ", ".join(missing) if missing else ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# WIDGETS
# ------------------------------------------------------------------------------


class CodeWidget(widgets.CharWidget):
    """A numeric code kept as text, leading zeros included.

    A spreadsheet cell may hold the code as a number (1057010001, 1057010001.0, or 5010001 for
    SMIS 05010001 once Excel dropped the zero): numbers are written back as digits and padded
    to `digits`. Text is only trimmed; a wrong length is reported by the resource, not here.
    """

    def __init__(self, digits: int):
        super().__init__(coerce_to_string=True, allow_blank=True)
        self.digits = digits

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float | Decimal) and value == int(value):
            value = int(value)
        if isinstance(value, int):
            return str(value).zfill(self.digits)
        text = str(value).strip()
        # Excel's "store as text" apostrophe, and thin spaces or dashes typed between groups.
        text = text.lstrip("'")
        if re.fullmatch(r"[\d\s-]+", text):
            text = re.sub(r"[\s-]", "", text)
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TextWidget(widgets.CharWidget):
    """Text with surrounding whitespace removed; a number cell becomes its digits."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())


class OfficeWidget(widgets.ForeignKeyWidget):
    """The office by its natural key, `Office.code` (รหัส สพท.)."""

    def __init__(self):
        super().__init__(Office, field="code")

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            raise ValueError("ต้องระบุรหัส สพท.")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        code = str(value).strip()
        try:
            return Office.objects.get(code=code)
        except Office.DoesNotExist:
            raise ValueError(f"ไม่พบ สพท. รหัส “{code}” ในระบบ") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.code


class SizeWidget(widgets.Widget):
    """School size as a code (small) or a Thai label (เล็ก, ขนาดเล็ก, …); exported in Thai."""

    def __init__(self):
        super().__init__(coerce_to_string=True)
        self.lookup: dict[str, str] = {}
        for code, label_th in SIZE_LABELS_TH.items():
            for spelling in (code, label_th, str(School.Size(code).label), code.replace("_", "")):
                self.lookup[self._key(spelling)] = code

    @staticmethod
    def _key(text: str) -> str:
        key = re.sub(r"[\s_\-]+", "", str(text)).lower()
        return key.removeprefix("โรงเรียน").removeprefix("ขนาด")

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        code = self.lookup.get(self._key(value))
        if code is None:
            raise ValueError(f"ขนาด “{value}” ไม่ถูกต้อง ใช้ได้เฉพาะ เล็ก กลาง ใหญ่ หรือ ใหญ่พิเศษ")
        return code

    def render(self, value, obj=None, **kwargs):
        return SIZE_LABELS_TH.get(value, value or "")


class ActiveWidget(widgets.Widget):
    """ใช่/ไม่ใช่ (also 1/0, true/false, ใช้งาน/ไม่ใช้งาน); empty keeps the current value."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            value = int(value)
        word = str(value).strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ValueError(f"ค่า “{value}” ไม่ถูกต้อง ใช้ ใช่ หรือ ไม่ใช่")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "ใช่" if value else "ไม่ใช่"


# RESOURCE
# ------------------------------------------------------------------------------


class SkipBlankRowsMixin(_ResourceBase):
    """Blank lines in a spreadsheet are not rows to import."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if all(_blank(value) for value in row.values()):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)


class SchoolResource(SkipBlankRowsMixin, resources.ModelResource):
    """Schools keyed by their 10-digit OBEC code: importing a known code updates that school.

    Given an office (``SchoolResource(office=...)``, an office admin's import), every row must
    be a school of that office, and a school of another office is never taken over.
    """

    obec_code = Field(
        attribute="obec_code", column_name=HEADERS["obec_code"], widget=CodeWidget(10)
    )
    smis_code = Field(attribute="smis_code", column_name=HEADERS["smis_code"], widget=CodeWidget(8))
    name_th = Field(attribute="name_th", column_name=HEADERS["name_th"], widget=TextWidget())
    name_en = Field(attribute="name_en", column_name=HEADERS["name_en"], widget=TextWidget())
    district = Field(attribute="district", column_name=HEADERS["district"], widget=TextWidget())
    subdistrict = Field(
        attribute="subdistrict", column_name=HEADERS["subdistrict"], widget=TextWidget()
    )
    size = Field(attribute="size", column_name=HEADERS["size"], widget=SizeWidget())
    office = Field(attribute="office", column_name=HEADERS["office"], widget=OfficeWidget())
    is_active = Field(
        attribute="is_active",
        column_name=HEADERS["is_active"],
        widget=ActiveWidget(),
        saves_null_values=False,
    )

    class Meta:
        model = School
        fields = FIELD_ORDER
        import_order = FIELD_ORDER
        export_order = FIELD_ORDER
        import_id_fields = ("obec_code",)
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def __init__(self, office: Office | None = None, **kwargs):
        super().__init__(**kwargs)
        self.office = office
        self._seen_obec: dict[str, int] = {}
        self._seen_smis: dict[str, int] = {}
        # Rows above this batch when a file is checked in batches (`check_schools`): row
        # numbers stay the spreadsheet's, and duplicates are found across batches.
        self.row_offset = 0

    def get_queryset(self) -> QuerySet[School]:
        return School.objects.select_related("office")

    # Import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if not self.row_offset:  # a later batch of the same file keeps what earlier ones saw
            self._seen_obec = {}
            self._seen_smis = {}
        if dataset.headers:
            dataset.headers = normalise_headers(dataset.headers)
        problem = missing_columns_message(dataset.headers)
        if problem:
            raise ValueError(problem)

    def import_instance(self, instance, row, **kwargs):
        """Set the fields, then check what the model's English validators would say, in Thai."""
        if all(_blank(value) for value in row.values()):
            return  # a blank line: skip_row() drops it
        errors: dict[str, list] = {}
        office_before = instance.office_id if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        line = _sheet_row(kwargs.get("row_number")) + self.row_offset

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(ValidationError(message))

        if "obec_code" not in errors:
            code = instance.obec_code
            if not code:
                add("obec_code", "ต้องระบุรหัสโรงเรียน")
            elif not re.fullmatch(r"\d{10}", code):
                add("obec_code", f"รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก (ในไฟล์เป็น “{code}”)")
            elif code in self._seen_obec:
                add("obec_code", f"รหัสโรงเรียน {code} ซ้ำกับแถวที่ {self._seen_obec[code]}")
            else:
                self._seen_obec[code] = line
        if "smis_code" not in errors:
            smis = instance.smis_code
            if not smis:
                add("smis_code", "ต้องระบุรหัส SMIS")
            elif not re.fullmatch(r"\d{8}", smis):
                add("smis_code", f"รหัส SMIS ต้องเป็นตัวเลข 8 หลัก (ในไฟล์เป็น “{smis}”)")
            elif smis in self._seen_smis:
                add("smis_code", f"รหัส SMIS {smis} ซ้ำกับแถวที่ {self._seen_smis[smis]}")
            else:
                self._seen_smis[smis] = line
                other = (
                    School.objects.filter(smis_code=smis)
                    .exclude(obec_code=instance.obec_code)
                    .first()
                )
                if other is not None:
                    add(
                        "smis_code",
                        f"รหัส SMIS {smis} เป็นของ{other.name_th} (รหัสโรงเรียน {other.obec_code})"
                        " อยู่แล้ว",
                    )
        if "name_th" not in errors and not instance.name_th:
            add("name_th", "ต้องระบุชื่อโรงเรียน")
        if "district" not in errors and not instance.district:
            add("district", "ต้องระบุอำเภอ")
        if self.office is not None and "office" not in errors:
            self._check_office(instance, office_before, add)
        if errors:
            raise ValidationError(errors)

    def _check_office(
        self, instance: School, office_before: int | None, add: Callable[[str, str], None]
    ) -> None:
        assert self.office is not None
        own = f"{self.office} (รหัส {self.office.code})"
        if instance.office_id != self.office.pk:
            add("office", f"นำเข้าได้เฉพาะโรงเรียนในสังกัด {own}")
        elif office_before is not None and office_before != self.office.pk:
            add(
                "obec_code",
                f"รหัสโรงเรียน {instance.obec_code} เป็นของโรงเรียนในสังกัดอื่น ไม่ใช่ {own} จึงแก้ไขไม่ได้",
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation as usual, with errors keyed by the file's Thai column headers."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            order = {name: position for position, name in enumerate(FIELD_ORDER)}
            names = sorted(error.message_dict, key=lambda name: order.get(name, len(order)))
            raise ValidationError(
                {HEADERS.get(name, name): error.message_dict[name] for name in names}
            ) from error


# THE IMPORT AS A FUNCTION
# ------------------------------------------------------------------------------


@dataclass
class SchoolImportResult:
    """Counts and errors of one import. With any error, nothing was stored."""

    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[ImportRowError] = field(default_factory=list)
    dry_run: bool = False
    # The rows that failed, with an extra "Error" column (django-import-export's failed_dataset).
    failed_rows: tablib.Dataset | None = None

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def stored(self) -> bool:
        """True when the rows were written to the database."""
        return not self.dry_run and not self.errors

    def error_lines(self) -> list[str]:
        return [str(error) for error in self.errors]


class SchoolFileError(ValueError):
    """The file cannot be read as a table of schools at all."""


def _sheet_row(number: int | None) -> int:
    """django-import-export counts data rows from 1; the spreadsheet has the header above."""
    return (number or 0) + 1


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):  # Excel's UTF-8 (with BOM), then Thai Windows
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SchoolFileError("อ่านไฟล์ CSV ไม่ได้: ต้องบันทึกเป็น UTF-8")


def read_csv_rows(data: bytes) -> list[list[object]]:
    """CSV rows. Only the delimiter is sniffed (Excel writes ";" in some locales): a sniffed
    dialect sets doublequote=False when the header has no quotes, which breaks cells such as
    a quoted name with doubled quotes inside; Excel's quoting rules are used as they are."""
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return [list(row) for row in csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)]


# A list of every school of a province or more: tens of thousands of rows at most.
SCHOOL_XLSX_LIMITS = XlsxLimits(max_rows=50_000, max_columns=60)


def _read_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        # Before openpyxl: a lying dimension or a zip bomb would cost memory to parse.
        check_xlsx(io.BytesIO(data), SCHOOL_XLSX_LIMITS)
    except XlsxRejected as error:
        raise SchoolFileError(f"อ่านไฟล์ Excel (.xlsx) ไม่ได้: {error}") from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise SchoolFileError(f"อ่านไฟล์ Excel (.xlsx) ไม่ได้: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([v.isoformat() if isinstance(v, datetime.date) else v for v in values])
        return rows
    finally:
        workbook.close()


def dataset_from_rows(
    rows: list[list[object]],
    *,
    normalise: Callable[[list[object]], list[str]],
    error: type[Exception] | None = None,
) -> tablib.Dataset:
    """Rows of a spreadsheet (header first) -> a dataset with canonical headers.

    A title row above the headers (one filled cell, as the portal's exports write) is skipped.
    Columns past the last header and blank lines at the end are dropped; short rows are padded.
    """
    error = error or SchoolFileError
    # The portal's own exports carry a title row above the headers: one cell, then headers.
    filled = [sum(not _blank(v) for v in row) for row in rows[:2]]
    if len(filled) == 2 and filled[0] == 1 and filled[1] > 1:
        rows = rows[1:]
    if not rows or all(_blank(v) for v in rows[0]):
        raise error("ไฟล์ว่าง: แถวแรกต้องเป็นหัวคอลัมน์")
    headers = list(rows[0])
    while headers and _blank(headers[-1]):
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=normalise(headers))
    for row in rows[1:]:
        row = list(row[:width]) + [""] * (width - len(row))
        dataset.append(["" if value is None else value for value in row])
    # Blank lines at the end (common in spreadsheets) are not rows.
    while len(dataset) and all(_blank(v) for v in dataset[-1]):
        del dataset[-1]
    return dataset


def read_school_file(data: bytes, format: str = "csv") -> tablib.Dataset:
    """Bytes of a CSV or XLSX file -> a dataset with canonical Thai headers."""
    format = format.lower().lstrip(".")
    if format == "csv":
        rows = read_csv_rows(data)
    elif format == "xlsx":
        rows = _read_xlsx(data)
    else:
        raise SchoolFileError(f"ไม่รองรับไฟล์ชนิด “{format}” ใช้ได้เฉพาะ CSV หรือ XLSX")
    return dataset_from_rows(rows, normalise=normalise_headers)


def load_school_dataset(
    file_bytes: bytes, format: str = "csv"
) -> tablib.Dataset | SchoolImportResult:
    """The file's rows with canonical headers, or a failed result saying (in Thai) why the file
    cannot be imported at all."""

    def fail(message: str) -> SchoolImportResult:
        return SchoolImportResult(errors=[ImportRowError(None, (message,))])

    try:
        dataset = read_school_file(file_bytes, format)
    except SchoolFileError as error:
        return fail(str(error))
    problem = missing_columns_message(dataset.headers)
    if problem:
        return fail(problem)
    if not len(dataset):
        return fail("ไม่พบข้อมูลโรงเรียนในไฟล์")
    return dataset


def _import(
    resource: SchoolResource, dataset: tablib.Dataset, *, dry_run: bool
) -> SchoolImportResult:
    outcome = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=True,
    )
    return _summarise(outcome, dry_run=dry_run)


def check_schools(
    dataset: tablib.Dataset,
    *,
    office: Office | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = CHECK_BATCH_SIZE,
) -> Checked:
    """Check every row without storing anything, a batch at a time (each in its own rolled-back
    transaction), calling `progress(rows checked)` after each; row numbers and duplicates are
    the whole file's. With `office`, every row must be a school of that office."""
    resource = SchoolResource(office=office)

    def check_batch(start: int, stop: int) -> SchoolImportResult:
        resource.row_offset = start
        batch = tablib.Dataset(*dataset[start:stop], headers=dataset.headers)
        part = _import(resource, batch, dry_run=True)
        part.errors = [
            ImportRowError(None if error.row is None else error.row + start, error.messages)
            for error in part.errors
        ]
        return part

    return check_in_batches(len(dataset), check_batch, progress=progress, batch_size=batch_size)


def store_schools(dataset: tablib.Dataset, *, office: Office | None = None) -> SchoolImportResult:
    """Store the whole file in one transaction: any wrong row stores nothing."""
    return _import(SchoolResource(office=office), dataset, dry_run=False)


def import_schools(
    file_bytes: bytes, format: str = "csv", *, dry_run: bool = False
) -> SchoolImportResult:
    """Import (create or update by OBEC code) the schools in a CSV or XLSX file.

    All or nothing: if any row is wrong, no row is stored and `result.errors` says, per row
    and in Thai, what to fix. With `dry_run=True` nothing is stored either way. The portal's
    import page runs the same in the background with its progress (`accounts.services_schools`).
    """
    dataset = load_school_dataset(file_bytes, format)
    if isinstance(dataset, SchoolImportResult):
        dataset.dry_run = dry_run
        return dataset
    return _import(SchoolResource(), dataset, dry_run=dry_run)


def _summarise(outcome, *, dry_run: bool) -> SchoolImportResult:
    errors: list[ImportRowError] = [
        ImportRowError(None, (str(error.error),)) for error in outcome.base_errors
    ]
    by_row: dict[int, list[str]] = {}
    for invalid in outcome.invalid_rows:
        messages = by_row.setdefault(_sheet_row(invalid.number), [])
        for name, texts in invalid.error_dict.items():
            for text in texts:
                messages.append(text if name == NON_FIELD_ERRORS else f"{name}: {text}")
    for error_row in outcome.error_rows:
        messages = by_row.setdefault(_sheet_row(error_row.number), [])
        for error in error_row.errors:
            messages.append(f"บันทึกไม่สำเร็จ: {error.error}")
    errors += [ImportRowError(row, tuple(by_row[row])) for row in sorted(by_row)]
    totals = outcome.totals
    return SchoolImportResult(
        total=outcome.total_rows,
        created=totals["new"],
        updated=totals["update"],
        skipped=totals["skip"],
        errors=errors,
        dry_run=dry_run,
        failed_rows=outcome.failed_dataset if errors else None,
    )


def export_schools(queryset: QuerySet[School] | None = None, format: str = "xlsx") -> bytes:
    """Schools as a CSV (UTF-8 with BOM, so Excel shows Thai) or XLSX file with Thai headers,
    through the portal's spreadsheet writer (core.spreadsheets: title row, typed cells,
    widths, frozen header, filter; the importer skips the title row)."""
    dataset = SchoolResource().export(queryset, force_native_type=True)
    if format == "csv":
        return csv_bytes(dataset)
    if format == "xlsx":
        return xlsx_bytes(dataset, title="โรงเรียน")
    raise ValueError(f"Unsupported format: {format}")

"""The asset register in and out of spreadsheets: Thai headers, codes as text, all-or-nothing.

`AssetResource` is the django-import-export resource (the admin's export, every import);
`import_assets()` is the import for code, and `check_assets()` with `store_assets()` the two
steps of the asset register's background import (repairs.services_assets). They read CSV
(UTF-8, with or without Excel's BOM, or Thai Windows cp874) or XLSX bytes and return counts
and per-row errors in Thai (see `accounts.resources`, whose helpers they reuse).

* Every asset belongs to the importing office; the school column holds the school's 10-digit
  OBEC code, empty for the office's own equipment, and the school must be in that office.
* Asset numbers (เลขครุภัณฑ์) are unique within an office: re-importing an asset number updates
  that asset. A row without an asset number is matched by its serial number among the office's
  assets that have no asset number either.
* The acquired date is a Buddhist-era date (``core.thaitime.parse_thai_date``). A real
  Excel date cell is taken as the date it holds (a Thai-calendar Excel stores A.D. internally);
  a date cell whose year is B.E. (typed into an A.D.-calendar Excel) is converted.

Row numbers in errors are spreadsheet rows (header = row 1). Error messages are written in Thai
directly, like the schools import's.

`neutralise_formula()` and `csv_bytes()` / `xlsx_bytes()` write exports that a spreadsheet
cannot run as formulas (CSV/formula injection); use them for any export of user-typed text.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from decimal import Decimal

import tablib
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, TextChoices
from django.utils import timezone, translation
from import_export import resources, widgets
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from accounts.models import Office, School
from accounts.resources import (
    ActiveWidget,
    CodeWidget,
    ImportRowError,
    SchoolFileError,
    SkipBlankRowsMixin,
    TextWidget,
    _blank,
    _header_key,
    _sheet_row,
    _summarise,
    dataset_from_rows,
    read_csv_rows,
)
from accounts.resources import SchoolImportResult as ImportResult
from core.import_jobs import CHECK_BATCH_SIZE, Checked, check_in_batches
from core.spreadsheets import (
    FORMULA_PREFIXES,
    SafeCSV,
    SafeXLSX,
    csv_bytes,
    neutralise_formula,
    xlsx_bytes,
)
from core.thaitime import (
    AD_LOOKALIKE_YEARS,
    BE_OFFSET,
    MAX_BE_YEAR,
    MIN_BE_YEAR,
    format_thai_date,
    parse_thai_date,
)
from core.thaitime import MESSAGES as DATE_MESSAGES
from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx
from repairs.models import Asset, Category, RepairTicket

__all__ = [
    "HEADERS",
    "AssetFileError",
    "AssetResource",
    "ImportResult",
    "SafeCSV",
    "SafeXLSX",
    "check_assets",
    "csv_bytes",
    "export_assets",
    "import_assets",
    "load_asset_dataset",
    "neutralise_formula",
    "read_asset_file",
    "store_assets",
    "xlsx_bytes",
]

# Resource field name -> the Thai column header used in files (import and export).
HEADERS: dict[str, str] = {
    "category": "ประเภท",
    "brand": "ยี่ห้อ",
    "model_name": "รุ่น",
    "serial_number": "หมายเลขเครื่อง (Serial)",
    "asset_number": "เลขครุภัณฑ์",
    "school": "รหัสโรงเรียน (10 หลัก)",
    "location": "สถานที่ตั้ง",
    "acquired_on": "วันที่ได้มา (dd/mm/yyyy พ.ศ.)",
    "status": "สถานะ",
    "is_loanable": "ให้ยืมได้",
    "note": "หมายเหตุ",
}
# Written on export only, next to the code, so people can read the file; ignored on import.
SCHOOL_NAME_HEADER = "ชื่อโรงเรียน"
FIELD_ORDER = tuple(HEADERS)
EXPORT_ORDER = (*FIELD_ORDER[:6], "school_name", *FIELD_ORDER[6:])
# Columns a file must have (cells may be empty where the field allows it); the others may be
# left out, and an update then keeps what the asset had.
REQUIRED_COLUMNS = ("category", "asset_number", "school")

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "category": ("ประเภทครุภัณฑ์", "ชนิด", "หมวด", "type"),
    "brand": ("ยี่ห้อ/ผู้ผลิต", "แบรนด์"),
    "model_name": ("รุ่น/แบบ", "model", "โมเดล"),
    "serial_number": (
        "หมายเลขเครื่อง",
        "หมายเลขซีเรียล",
        "ซีเรียล",
        "serial",
        "serial number",
        "s/n",
        "sn",
    ),
    "asset_number": ("หมายเลขครุภัณฑ์", "รหัสครุภัณฑ์", "เลขที่ครุภัณฑ์", "asset number"),
    "school": ("รหัสโรงเรียน", "รหัส 10 หลัก", "รหัสสถานศึกษา", "รหัส obec", "obec", "obec_code"),
    "location": ("สถานที่", "ที่ตั้ง", "สถานที่ติดตั้ง", "ห้อง"),
    "acquired_on": (
        "วันที่ได้มา",
        "วันที่ได้มา (วว/ดด/ปปปป)",
        "วันที่ได้มา (วว/ดด/ปปปป พ.ศ.)",
        "วันที่ได้รับ",
        "วันที่ซื้อ",
        "acquired",
    ),
    "status": ("สถานะการใช้งาน",),
    "is_loanable": ("ให้ยืม", "ยืมได้", "loanable"),
    "note": ("หมายเหตุอื่น ๆ",),
}

_HEADER_LOOKUP: dict[str, str] = {}
for _name, _header in HEADERS.items():
    for _spelling in (_header, _name, *_HEADER_ALIASES.get(_name, ())):
        _HEADER_LOOKUP.setdefault(_header_key(_spelling), _header)

# Labels in files are fixed Thai, whatever language the person importing uses.
CATEGORY_LABELS_TH: dict[str, str] = {
    Category.COMPUTER: "คอมพิวเตอร์",
    Category.PRINTER: "เครื่องพิมพ์",
    Category.NETWORK: "เครือข่าย/อินเทอร์เน็ต",
    Category.PROJECTOR: "เครื่องฉายโปรเจกเตอร์",
    Category.DLTV: "ชุดรับสัญญาณดาวเทียม DLTV",
    Category.CCTV: "กล้องวงจรปิด",
    Category.TELEPHONE: "โทรศัพท์",
    Category.SOFTWARE: "ซอฟต์แวร์/บัญชีผู้ใช้",
    Category.OTHER: "อื่น ๆ",
}
_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    Category.COMPUTER: (
        "เครื่องคอมพิวเตอร์",
        "คอม",
        "โน้ตบุ๊ก",
        "โน๊ตบุ๊ค",
        "notebook",
        "คอมพิวเตอร์โน้ตบุ๊ก",
        "แท็บเล็ต",
        "tablet",
    ),
    Category.PRINTER: ("ปริ้นเตอร์", "พรินเตอร์", "พริ้นเตอร์", "เครื่องพิมพ์เลเซอร์"),
    Category.NETWORK: ("เครือข่าย", "อินเทอร์เน็ต", "อินเตอร์เน็ต", "internet", "wifi", "router"),
    Category.PROJECTOR: ("โปรเจกเตอร์", "โปรเจคเตอร์", "เครื่องฉาย", "เครื่องฉายภาพ"),
    Category.DLTV: ("ดาวเทียม", "ทีวีดาวเทียม", "จานดาวเทียม", "ชุดdltv"),
    Category.CCTV: ("กล้องcctv",),
    Category.TELEPHONE: ("โทรศัพท์ตั้งโต๊ะ", "phone"),
    Category.SOFTWARE: ("ซอฟต์แวร์", "ซอฟแวร์", "โปรแกรม", "บัญชีผู้ใช้"),
    Category.OTHER: ("อื่นๆ", "อื่น"),
}
STATUS_LABELS_TH: dict[str, str] = {
    Asset.Status.IN_USE: "ใช้งาน",
    Asset.Status.IN_REPAIR: "ส่งซ่อม",
    Asset.Status.RETIRED: "เลิกใช้แล้ว",
    Asset.Status.LOST: "สูญหาย",
}
_STATUS_ALIASES: dict[str, tuple[str, ...]] = {
    Asset.Status.IN_USE: ("ใช้งานได้", "ใช้งานอยู่", "ปกติ", "ใช้การได้"),
    Asset.Status.IN_REPAIR: ("ซ่อม", "อยู่ระหว่างซ่อม", "ระหว่างซ่อม", "กำลังซ่อม"),
    Asset.Status.RETIRED: ("เลิกใช้", "จำหน่าย", "จำหน่ายแล้ว", "ปลดระวาง"),
    Asset.Status.LOST: ("หาย",),
}


def normalise_asset_headers(headers: list[object]) -> list[str]:
    """Map each header to its canonical Thai header when recognised; keep the others as text."""
    return [_HEADER_LOOKUP.get(_header_key(h), str(h or "").strip()) for h in headers]


def missing_columns_message(headers: list[str] | None) -> str:
    present = set(headers or ())
    missing = [HEADERS[name] for name in REQUIRED_COLUMNS if HEADERS[name] not in present]
    return "ไม่พบคอลัมน์ที่ต้องมีในไฟล์: " + ", ".join(missing) if missing else ""


# EXPORT SAFETY (the helpers live in core.spreadsheets, shared by every export)
# ------------------------------------------------------------------------------


def _restore_formula_text(text: str) -> str:
    """The reverse of `neutralise_formula` on import, so an exported file imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


# WIDGETS
# ------------------------------------------------------------------------------


class PlainTextWidget(TextWidget):
    """One-line text; a cell exported as ``'=...`` imports back as ``=...``."""

    def clean(self, value, row=None, **kwargs):
        return _restore_formula_text(super().clean(value, row, **kwargs))


class NoteWidget(widgets.CharWidget):
    """Free text: trimmed, line breaks kept."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return _restore_formula_text(str(value).strip())


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its code, its English label or its Thai label (plus common spellings).

    Exported as the Thai label. Empty gives "" (`required`: the resource reports it) or None
    (keep the current value, with ``saves_null_values=False``).
    """

    def __init__(
        self,
        choices: type[TextChoices],
        labels_th: dict[str, str],
        aliases: dict[str, tuple[str, ...]],
        *,
        what: str,
        empty=None,
    ):
        super().__init__(coerce_to_string=True)
        self.labels_th = labels_th
        self.what = what
        self.empty = empty
        self.lookup: dict[str, str] = {}
        for code in choices.values:
            spellings = [code, labels_th[code], *aliases.get(code, ())]
            for language in ("en", "th"):
                with translation.override(language):
                    spellings.append(str(choices(code).label))
            for spelling in spellings:
                self.lookup.setdefault(self._key(spelling), code)

    @staticmethod
    def _key(text: object) -> str:
        return re.sub(r"[\s_\-/.]+", "", str(text)).lower()

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return self.empty
        code = self.lookup.get(self._key(value))
        if code is None:
            allowed = ", ".join(self.labels_th.values())
            raise ValueError(f"{self.what} “{value}” ไม่ถูกต้อง ใช้ได้เฉพาะ {allowed}")
        return code

    def render(self, value, obj=None, **kwargs):
        return self.labels_th.get(value, value or "")


class SchoolCodeWidget(widgets.ForeignKeyWidget):
    """The school by its 10-digit OBEC code (leading zeros and number cells handled).

    Empty means the office's own equipment (None). Whether the school is in the importing
    office is checked by the resource, which knows the office.
    """

    def __init__(self):
        super().__init__(School, field="obec_code")
        self.code = CodeWidget(10)

    def clean(self, value, row=None, **kwargs):
        code = self.code.clean(value)
        if not code:
            return None
        if not re.fullmatch(r"\d{10}", code):
            raise ValueError(f"รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก (ในไฟล์เป็น “{code}”)")
        school = School.objects.filter(obec_code=code).select_related("office").first()
        if school is None:
            raise ValueError(f"ไม่พบโรงเรียนรหัส {code} ในระบบ")
        return school

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.obec_code


class ThaiDateWidget(widgets.Widget):
    """A Buddhist-era date: text as `parse_thai_date` reads it, or an Excel date cell.

    Excel date cells hold a real date: taken as is when the year looks A.D., converted when
    the year is B.E. (typed into an A.D.-calendar Excel). A date serial number (a date cell
    formatted as a number) is read the same way. Dates in the future are refused.
    """

    # Excel serials from 1 Jan 1950 to 31 Dec 9999; smaller numbers are not dates.
    MIN_SERIAL = 18264
    MAX_SERIAL = 2958465

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(self._invalid_text())
        if isinstance(value, int | float | Decimal):
            if not self.MIN_SERIAL <= value <= self.MAX_SERIAL:
                raise ValueError(self._invalid_text())
            from openpyxl.utils.datetime import from_excel

            value = from_excel(float(value))
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            day = self._from_date_cell(value)
        else:
            text = str(value).strip().lstrip("'")
            try:
                day = parse_thai_date(text)
            except ValidationError as error:
                raise ValueError(self._thai(error)) from None
        if day > timezone.localdate():
            raise ValueError(
                f"วันที่ได้มา {format_thai_date(day, 'numeric')} เป็นวันในอนาคต กรุณาตรวจสอบปี พ.ศ."
            )
        return day

    def _from_date_cell(self, value: datetime.date) -> datetime.date:
        if MIN_BE_YEAR <= value.year <= MAX_BE_YEAR:
            try:
                return value.replace(year=value.year - BE_OFFSET)
            except ValueError:  # 29 February of a B.E. year whose A.D. year is not leap
                shown = f"{value.day:02d}/{value.month:02d}/{value.year}"
                error = ValidationError(DATE_MESSAGES["invalid_date"], params={"value": shown})
                raise ValueError(self._thai(error)) from None
        if value.year in AD_LOOKALIKE_YEARS:
            return value
        raise ValueError(f"ปี {value.year} อยู่นอกช่วงที่รับได้ คือ พ.ศ. {MIN_BE_YEAR} ถึง {MAX_BE_YEAR}")

    @staticmethod
    def _thai(error: ValidationError) -> str:
        with translation.override("th"):
            return " ".join(str(message) for message in error.messages)

    def _invalid_text(self) -> str:
        return self._thai(ValidationError(DATE_MESSAGES["invalid"]))

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):  # a date cell of the portal's XLSX
            return value
        return format_thai_date(value, "numeric") if value else ""


# RESOURCE
# ------------------------------------------------------------------------------


class AssetResource(SkipBlankRowsMixin, resources.ModelResource):
    """Assets of one office keyed by asset number; importing a known number updates it.

    The office is given to the constructor (``AssetResource(office=...)``) or, in the admin,
    taken from the importing user (the ``user`` keyword of ``import_data``).
    """

    category = Field(
        attribute="category",
        column_name=HEADERS["category"],
        widget=ChoiceLabelWidget(
            Category, CATEGORY_LABELS_TH, _CATEGORY_ALIASES, what="ประเภท", empty=""
        ),
    )
    brand = Field(attribute="brand", column_name=HEADERS["brand"], widget=PlainTextWidget())
    model_name = Field(
        attribute="model_name", column_name=HEADERS["model_name"], widget=PlainTextWidget()
    )
    serial_number = Field(
        attribute="serial_number",
        column_name=HEADERS["serial_number"],
        widget=PlainTextWidget(),
    )
    asset_number = Field(
        attribute="asset_number", column_name=HEADERS["asset_number"], widget=PlainTextWidget()
    )
    school = Field(attribute="school", column_name=HEADERS["school"], widget=SchoolCodeWidget())
    school_name = Field(attribute="school__name_th", column_name=SCHOOL_NAME_HEADER, readonly=True)
    location = Field(
        attribute="location", column_name=HEADERS["location"], widget=PlainTextWidget()
    )
    acquired_on = Field(
        attribute="acquired_on", column_name=HEADERS["acquired_on"], widget=ThaiDateWidget()
    )
    status = Field(
        attribute="status",
        column_name=HEADERS["status"],
        widget=ChoiceLabelWidget(Asset.Status, STATUS_LABELS_TH, _STATUS_ALIASES, what="สถานะ"),
        saves_null_values=False,
    )
    is_loanable = Field(
        attribute="is_loanable",
        column_name=HEADERS["is_loanable"],
        widget=ActiveWidget(),
        saves_null_values=False,
    )
    note = Field(attribute="note", column_name=HEADERS["note"], widget=NoteWidget())

    class Meta:
        model = Asset
        fields = EXPORT_ORDER
        import_order = FIELD_ORDER
        export_order = EXPORT_ORDER
        import_id_fields = ("asset_number",)
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def __init__(self, office: Office | None = None, **kwargs):
        super().__init__(**kwargs)
        self.office = office
        self._seen_numbers: dict[str, int] = {}
        self._seen_serials: dict[str, int] = {}
        self._file_problem = ""
        # Rows above this batch when a file is checked in batches (`check_assets`): row numbers
        # stay the spreadsheet's, and duplicates are found across batches.
        self.row_offset = 0

    def get_queryset(self) -> QuerySet[Asset]:
        assets = Asset.objects.select_related("school", "office")
        if self.office is not None:
            assets = assets.filter(office=self.office)
        return assets

    # Import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if not self.row_offset:  # a later batch of the same file keeps what earlier ones saw
            self._seen_numbers = {}
            self._seen_serials = {}
        self._file_problem = ""
        if self.office is None:
            user = kwargs.get("user")
            self.office = getattr(user, "office", None)
        if dataset.headers:
            dataset.headers = normalise_asset_headers(dataset.headers)
        if self.office is None:
            self._file_problem = "นำเข้าไม่ได้: บัญชีผู้ใช้นี้ไม่ได้สังกัด สพท. ใด"
        else:
            self._file_problem = missing_columns_message(dataset.headers)
        if self._file_problem:
            raise ValueError(self._file_problem)

    def import_row(self, row, instance_loader, **kwargs):
        """With a whole-file problem (reported once by before_import), rows are not read."""
        if self._file_problem:
            row_result = self.get_row_result_class()()
            row_result.import_type = row_result.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        """The office's asset with this asset number; without one, by serial number."""
        if self.office is None:
            return None
        number = self.fields["asset_number"].clean(row)
        assets = Asset.objects.filter(office=self.office)
        if number:
            return assets.filter(asset_number=number).first()
        if HEADERS["serial_number"] in row:
            serial = self.fields["serial_number"].clean(row)
            if serial:
                matches = list(assets.filter(asset_number="", serial_number=serial)[:2])
                if len(matches) == 1:
                    return matches[0]
        return None

    def init_instance(self, row=None):
        return Asset(office=self.office)

    def import_instance(self, instance, row, **kwargs):
        """Set the fields, then check what the file must get right, in Thai."""
        if all(_blank(value) for value in row.values()):
            return  # a blank line: skip_row() drops it
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        line = _sheet_row(kwargs.get("row_number")) + self.row_offset

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(ValidationError(message))

        if "category" not in errors and not instance.category:
            add("category", "ต้องระบุประเภท")
        number = instance.asset_number
        if "asset_number" not in errors and number:
            if number in self._seen_numbers:
                add(
                    "asset_number",
                    f"เลขครุภัณฑ์ {number} ซ้ำกับแถวที่ {self._seen_numbers[number]}",
                )
            else:
                self._seen_numbers[number] = line
        elif "asset_number" not in errors:
            serial = instance.serial_number
            if not serial:
                add("asset_number", "ต้องระบุเลขครุภัณฑ์ หรือหมายเลขเครื่อง (Serial) อย่างน้อยหนึ่งอย่าง")
            elif serial in self._seen_serials:
                add(
                    "serial_number",
                    f"หมายเลขเครื่อง {serial} (ไม่มีเลขครุภัณฑ์) ซ้ำกับแถวที่ {self._seen_serials[serial]}",
                )
            else:
                self._seen_serials[serial] = line
        assert self.office is not None  # before_import refused a file without one
        school = instance.school if "school" not in errors else None
        if school is not None and school.office_id != self.office.pk:
            add(
                "school",
                f"โรงเรียนรหัส {school.obec_code} ไม่ได้อยู่ในสังกัด {self.office}"
                " จึงนำเข้าครุภัณฑ์ของโรงเรียนนี้ไม่ได้",
            )
        if errors:
            raise ValidationError(errors)

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


# THE IMPORT AND EXPORT AS FUNCTIONS
# ------------------------------------------------------------------------------


class AssetFileError(SchoolFileError):
    """The file cannot be read as a table of assets at all."""


def _read_csv(data: bytes) -> list[list[object]]:
    try:
        return read_csv_rows(data)
    except SchoolFileError as error:
        raise AssetFileError(str(error)) from error


# An asset register of one office: tens of thousands of rows at most.
ASSET_XLSX_LIMITS = XlsxLimits(max_rows=50_000, max_columns=60)


def _read_xlsx(data: bytes) -> list[list[object]]:
    """The first sheet's values, date cells kept as dates (the date widget needs to know)."""
    from openpyxl import load_workbook

    try:
        # Before openpyxl: a lying dimension or a zip bomb would cost memory to parse.
        check_xlsx(io.BytesIO(data), ASSET_XLSX_LIMITS)
    except XlsxRejected as error:
        raise AssetFileError(f"อ่านไฟล์ Excel (.xlsx) ไม่ได้: {error}") from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise AssetFileError(f"อ่านไฟล์ Excel (.xlsx) ไม่ได้: {error}") from error
    try:
        return [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_asset_file(data: bytes, format: str = "csv") -> tablib.Dataset:
    """Bytes of a CSV or XLSX file -> a dataset with canonical Thai headers."""
    format = format.lower().lstrip(".")
    if format == "csv":
        rows = _read_csv(data)
    elif format == "xlsx":
        rows = _read_xlsx(data)
    else:
        raise AssetFileError(f"ไม่รองรับไฟล์ชนิด “{format}” ใช้ได้เฉพาะ CSV หรือ XLSX")
    return dataset_from_rows(rows, normalise=normalise_asset_headers, error=AssetFileError)


def load_asset_dataset(file_bytes: bytes, format: str = "csv") -> tablib.Dataset | ImportResult:
    """The file's rows with canonical headers, or a failed result saying (in Thai) why the file
    cannot be imported at all."""

    def fail(message: str) -> ImportResult:
        return ImportResult(errors=[ImportRowError(None, (message,))])

    try:
        dataset = read_asset_file(file_bytes, format)
    except AssetFileError as error:
        return fail(str(error))
    problem = missing_columns_message(dataset.headers)
    if problem:
        return fail(problem)
    if not len(dataset):
        return fail("ไม่พบข้อมูลครุภัณฑ์ในไฟล์")
    return dataset


def _import(resource: AssetResource, dataset: tablib.Dataset, *, dry_run: bool) -> ImportResult:
    # Thai for the model's own validation messages too (length limits and the like).
    with translation.override("th"):
        outcome = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            collect_failed_rows=True,
        )
        return _summarise(outcome, dry_run=dry_run)


def check_assets(
    dataset: tablib.Dataset,
    *,
    office: Office,
    progress: Callable[[int], None] | None = None,
    batch_size: int = CHECK_BATCH_SIZE,
) -> Checked:
    """Check every row without storing anything, `batch_size` rows at a time (each batch in its
    own rolled-back transaction), calling `progress(rows checked)` after each batch, so a
    background import can show how far it got. Row numbers and duplicates are the whole file's.
    """
    resource = AssetResource(office=office)

    def check_batch(start: int, stop: int) -> ImportResult:
        resource.row_offset = start
        batch = tablib.Dataset(*dataset[start:stop], headers=dataset.headers)
        part = _import(resource, batch, dry_run=True)
        part.errors = [
            ImportRowError(None if error.row is None else error.row + start, error.messages)
            for error in part.errors
        ]
        return part

    return check_in_batches(len(dataset), check_batch, progress=progress, batch_size=batch_size)


def store_assets(dataset: tablib.Dataset, *, office: Office) -> ImportResult:
    """Store the whole file in one transaction: any wrong row stores nothing."""
    return _import(AssetResource(office=office), dataset, dry_run=False)


def import_assets(
    file_bytes: bytes, format: str = "csv", *, office: Office, dry_run: bool = False
) -> ImportResult:
    """Import (create, or update by asset number) `office`'s assets from a CSV or XLSX file.

    All or nothing: if any row is wrong, no row is stored and `result.errors` says, per row
    and in Thai, what to fix. With `dry_run=True` nothing is stored either way. The portal's
    upload page runs this in the background in two steps (`check_assets`, then
    `store_assets`) to show progress; see `repairs.services_assets.asset_import_run`.
    """
    dataset = load_asset_dataset(file_bytes, format)
    if isinstance(dataset, ImportResult):
        dataset.dry_run = dry_run
        return dataset
    return _import(AssetResource(office=office), dataset, dry_run=dry_run)


def export_assets(queryset: QuerySet[Asset] | None = None, format: str = "xlsx") -> bytes:
    """Assets as XLSX or CSV (UTF-8 with BOM) with Thai headers; formulas never run."""
    if queryset is not None:
        queryset = queryset.select_related("school")
    dataset = AssetResource().export(queryset, force_native_type=True)
    if format == "csv":
        return csv_bytes(dataset)
    if format == "xlsx":
        return xlsx_bytes(dataset, title="ครุภัณฑ์")
    raise ValueError(f"Unsupported format: {format}")


# ---------------------------------------------------------------------------
# Repair tickets: export only (tickets are filed through the portal, never imported)
# ---------------------------------------------------------------------------


class TicketResource(resources.ModelResource):
    """The desk's ticket list as a spreadsheet, Thai headers, the filters the user applied."""

    reference = Field(attribute="reference", column_name="เลขที่ใบแจ้งซ่อม")
    created = Field(column_name="วันที่แจ้ง")
    school = Field(column_name="โรงเรียน")
    category = Field(column_name="ประเภท")
    asset = Field(column_name="ครุภัณฑ์")
    symptom = Field(attribute="symptom", column_name="อาการ")
    location = Field(attribute="location", column_name="สถานที่")
    priority = Field(column_name="ความสำคัญ")
    status = Field(column_name="สถานะ")
    technician = Field(column_name="ผู้รับผิดชอบ")
    first_response = Field(column_name="ตอบรับเมื่อ")
    resolve_due = Field(column_name="กำหนดแล้วเสร็จ")
    resolved = Field(column_name="ซ่อมเสร็จเมื่อ")
    satisfaction = Field(
        attribute="satisfaction", column_name="ความพึงพอใจ (1-5)", widget=IntegerWidget()
    )

    class Meta:
        model = RepairTicket
        fields = export_order = (
            "reference",
            "created",
            "school",
            "category",
            "asset",
            "symptom",
            "location",
            "priority",
            "status",
            "technician",
            "first_response",
            "resolve_due",
            "resolved",
            "satisfaction",
        )

    def dehydrate_created(self, ticket: RepairTicket) -> datetime.datetime | None:
        return ticket.created_at

    def dehydrate_school(self, ticket: RepairTicket) -> str:
        return ticket.school.name_th if ticket.school else "สำนักงานเขต"

    def dehydrate_category(self, ticket: RepairTicket) -> str:
        return CATEGORY_LABELS_TH.get(ticket.category, ticket.category)

    def dehydrate_asset(self, ticket: RepairTicket) -> str:
        return ticket.asset.asset_number if ticket.asset else ticket.asset_number_text

    def dehydrate_priority(self, ticket: RepairTicket) -> str:
        return str(ticket.get_priority_display())

    def dehydrate_status(self, ticket: RepairTicket) -> str:
        return str(ticket.get_status_display())

    def dehydrate_technician(self, ticket: RepairTicket) -> str:
        return ticket.technician.display_name if ticket.technician else ""

    def dehydrate_first_response(self, ticket: RepairTicket) -> datetime.datetime | None:
        return ticket.first_response_at

    def dehydrate_resolve_due(self, ticket: RepairTicket) -> datetime.date | None:
        return ticket.resolve_due_on

    def dehydrate_resolved(self, ticket: RepairTicket) -> datetime.datetime | None:
        return ticket.resolved_at


def tickets_dataset(queryset: QuerySet[RepairTicket]) -> tablib.Dataset:
    return TicketResource().export(
        queryset.select_related("school", "asset", "technician"), force_native_type=True
    )

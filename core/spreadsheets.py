"""Spreadsheets out of the portal: Thai headers, formulas never run.

Every export goes through `csv_bytes` / `xlsx_bytes` (or the admin's `SafeCSV` / `SafeXLSX`),
so a cell typed as ``=HYPERLINK(...)`` by a school shows as text in Excel instead of running
(CSV/formula injection). `spreadsheet_response` turns a tablib dataset into the download of
either format; list views pass the same queryset they show, filters applied, so an export
holds exactly what the user sees.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from decimal import Decimal
from typing import Any

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from import_export import resources
from import_export.formats import base_formats

from core.thaitime import format_thai_date, format_thai_datetime

# A cell a spreadsheet would run as a formula (OWASP's list: = + - @, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote.

    ``=HYPERLINK(...)``, ``+1``, ``-2+3``, ``@SUM(...)`` become ``'=HYPERLINK(...)`` and so on:
    Excel and LibreOffice then show the text as typed. Other values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Buddhist-era date formats for date cells: the value stays a date (it sorts, filters and
# subtracts), the display is Thai. "[$-107041E]" is an Excel locale/calendar code: 041E is
# the Thai language (LCID 1054) and 07 the Thai Buddhist calendar, so Excel shows 2569 for a
# date in 2026. LibreOffice reads the same code: on import it turns calendar 07 of a Thai LCID
# into its [~buddhist] modifier (svl/source/numbers/zformat.cxx,
# SvNumberformat::ImpObtainCalendarAndNumerals). LibreOffice 7.4 headless shows "3 ธ.ค. 2569"
# for a date in 2026 (tests/core/test_xlsx_in_libreoffice.py; there "[$-1070000]" showed the
# same, so the older note that LibreOffice needs the Thai language code was not reproduced).
DATE_FORMAT = "[$-107041E]d mmm yyyy"
DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
MIN_WIDTH, MAX_WIDTH = 8, 60


def _local(value: datetime.datetime) -> datetime.datetime:
    """A spreadsheet has no time zones: an aware datetime as the office's local wall time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _csv_value(value: object) -> object:
    """CSV has no types: dates and times as the Buddhist-era text people type back in."""
    if isinstance(value, datetime.datetime):
        return format_thai_datetime(value, "numeric", language="th")
    if isinstance(value, datetime.date):
        return format_thai_date(value, "numeric", language="th")
    return neutralise_formula(value)


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    """A dataset as CSV in UTF-8 with a BOM (so Excel shows Thai), formulas neutralised, dates
    as Buddhist-era text (dd/mm/yyyy)."""
    safe = tablib.Dataset(headers=[neutralise_formula(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([_csv_value(value) for value in row])
    text: str = safe.export("csv")
    return ("\ufeff" + text).encode("utf-8")


def _display_width(text: str) -> int:
    """Columns a text takes: Thai vowel and tone marks above and below take none."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _cell_text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return "30 ธ.ค. 2569 23:59"
    if isinstance(value, datetime.date):
        return "30 ธ.ค. 2569"
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    return str(value)


def _put(cell: Any, value: object) -> None:
    """One value into a cell with its type: dates as dates, numbers as numbers, text as text."""
    if value is None or value == "":
        return
    if isinstance(value, datetime.datetime):
        cell.value = _local(value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, float | Decimal):
        cell.value = value
        cell.number_format = DECIMAL_FORMAT
    else:
        cell.value = str(value)
        cell.data_type = "s"  # also for "=...": text, not a formula


def xlsx_bytes(dataset: tablib.Dataset, *, title: str = "") -> bytes:
    """A dataset as an XLSX workbook people can sort, filter and sum.

    With a `title`, row 1 holds it and the headers are row 2 (the imports skip such a title
    row); without one the headers are row 1. Then: dates are date
    cells shown in the Buddhist era (DATE_FORMAT), numbers and money are numbers with
    thousands separators, text cells are text (a string starting with "=" never becomes a
    formula), column widths fit the content, the header row is frozen and carries an
    auto-filter.

    Written row by row (openpyxl's write-only mode): a year's export of 30,000 rows does not
    keep a cell object per value in the worker's memory. The widths are measured first, since
    a streamed sheet declares its columns before its rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    headers = [str(h) for h in (dataset.headers or [])]
    rows = [list(row) for row in dataset]
    columns = max([len(headers), *(len(row) for row in rows)], default=0)
    header_row = 2 if title else 1
    widths = [_display_width(h) for h in headers] + [0] * (columns - len(headers))
    for values in rows:
        for column, value in enumerate(values):
            if value is not None and value != "":
                widths[column] = max(widths[column], _display_width(_cell_text(value)))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\\/*?:\[\]]", "-", title)[:31] if title else None)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH
        )
    if columns:
        sheet.freeze_panes = f"A{header_row + 1}"
        last = get_column_letter(columns)
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"

    def cell(value: object, **style: Any) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet)
        _put(written, value)
        for name, setting in style.items():
            setattr(written, name, setting)
        return written

    if title:
        sheet.append([cell(title, font=Font(bold=True, size=14))])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8E8E8")
    wrap = Alignment(vertical="top", wrap_text=True)
    sheet.append([cell(header, font=bold, fill=fill, alignment=wrap) for header in headers])
    for values in rows:
        sheet.append(
            [
                None
                if value is None or value == ""
                else cell(value, alignment=wrap)
                if _display_width(_cell_text(value)) > MAX_WIDTH
                else cell(value)
                for value in values
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SafeCSV(base_formats.CSV):
    """The admin's CSV export through `csv_bytes` (BOM, formulas neutralised)."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> bytes:
        return csv_bytes(dataset)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX export through `xlsx_bytes`; the dataset's title (set by
    `core.admin_exports.SpreadsheetAdminMixin`) becomes the title row."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> bytes:
        return xlsx_bytes(dataset, title=dataset.title or "")


def spreadsheet_response(
    dataset: tablib.Dataset, basename: str, format: str | None, *, title: str = ""
) -> HttpResponse:
    """The dataset as a download: CSV when `format` is "csv", XLSX (sheet `title`, else the
    base name) otherwise."""
    as_csv = format == "csv"
    response = HttpResponse(
        csv_bytes(dataset) if as_csv else xlsx_bytes(dataset, title=title or basename),
        content_type="text/csv; charset=utf-8" if as_csv else XLSX_TYPE,
    )
    filename = f"{basename}-{timezone.localdate():%Y%m%d}.{'csv' if as_csv else 'xlsx'}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_in_thai(resource: resources.Resource, queryset: QuerySet[Any]) -> tablib.Dataset:
    """Choice labels and dates in Thai whatever language the person exporting uses."""
    with translation.override("th"):
        dataset: tablib.Dataset = resource.export(queryset, force_native_type=True)
    return dataset

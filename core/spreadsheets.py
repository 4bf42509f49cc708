"""Spreadsheets out of the portal: Thai headers, formulas never run.

Every export goes through `csv_bytes` / `xlsx_bytes` (or the admin's `SafeCSV` / `SafeXLSX`),
so a cell typed as ``=HYPERLINK(...)`` by a school shows as text in Excel instead of running
(CSV/formula injection). `spreadsheet_response` turns a tablib dataset into the download of
either format; list views pass the same queryset they show, filters applied, so an export
holds exactly what the user sees.
"""

from __future__ import annotations

import io
import re
from typing import Any

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from import_export import resources
from import_export.formats import base_formats

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


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    """A dataset as CSV in UTF-8 with a BOM (so Excel shows Thai), formulas neutralised."""
    safe = tablib.Dataset(headers=[neutralise_formula(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([neutralise_formula(value) for value in row])
    text: str = safe.export("csv")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(dataset: tablib.Dataset, *, title: str = "") -> bytes:
    """A dataset as an XLSX workbook whose text cells are text, never formulas.

    openpyxl stores a string beginning with "=" as a formula; here every string is written
    as a string cell, so the text shows exactly as typed and nothing runs.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = re.sub(r"[\\/*?:\[\]]", "-", title)[:31]
    bold = Font(bold=True)
    rows = [list(dataset.headers or [])] + [list(row) for row in dataset]
    for row_number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # also for "=...": text, not a formula
            if row_number == 1:
                cell.font = bold
    if dataset.headers:
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SafeCSV(base_formats.CSV):
    """The admin's CSV export through `csv_bytes` (BOM, formulas neutralised)."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> bytes:
        return csv_bytes(dataset)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX export through `xlsx_bytes` (text cells are text)."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> bytes:
        return xlsx_bytes(dataset)


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
        dataset: tablib.Dataset = resource.export(queryset)
    return dataset

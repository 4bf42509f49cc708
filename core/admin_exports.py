"""The admin's spreadsheet import and export, formatted like the portal's own exports.

Every `ExportMixin` / `ImportExportModelAdmin` of the project mixes in `SpreadsheetAdminMixin`
first. django-import-export only asks its resources for native values (dates, numbers) when the
format is one of *its own* binary classes, so `SafeXLSX` got every date and number as text;
the mixin always asks for native values, exports in Thai whatever language the admin uses, and
gives the sheet a title row (the model's Thai plural name). The XLSX that comes out is then the
portal's (`core.spreadsheets.xlsx_bytes`): title row, frozen header, auto-filter, fitted widths,
date cells in the Buddhist era, numbers as numbers, formulas kept as text. CSV stays UTF-8 with
a BOM, dates as Buddhist-era text.

The import side reads such a file back: `TitledXLSX` skips the title row above the headers.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from django.utils.translation import override
from import_export.formats import base_formats

from core.spreadsheets import SafeCSV, SafeXLSX


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def drop_title_row(dataset: tablib.Dataset) -> tablib.Dataset:
    """A dataset read from a sheet whose row 1 is a title (one filled cell) above the headers:
    the same dataset with row 2 as its headers. Any other dataset is returned unchanged."""
    headers = list(dataset.headers or [])
    if not len(dataset) or sum(not _blank(h) for h in headers) != 1 or _blank(headers[0]):
        return dataset
    second = list(dataset[0])
    if sum(not _blank(v) for v in second) < 2:
        return dataset
    fixed = tablib.Dataset(headers=second)
    for row in list(dataset)[1:]:
        fixed.append(list(row))
    return fixed


class TitledXLSX(base_formats.XLSX):
    """The admin's XLSX import: also reads back what the admin's export wrote (a title row
    above the headers)."""

    def create_dataset(self, in_stream: Any) -> tablib.Dataset:
        return drop_title_row(super().create_dataset(in_stream))


class SpreadsheetAdminMixin:
    """Mixed in before django-import-export's admin mixins (see the module's docstring)."""

    export_formats: list[type[base_formats.Format]] = [SafeXLSX, SafeCSV]
    import_formats: list[type[base_formats.Format]] = [base_formats.CSV, TitledXLSX]

    def export_title(self) -> str:
        """Row 1 (and the sheet's name) of the admin's XLSX: the model's plural name, in Thai."""
        with override("th"):
            return str(capfirst(self.model._meta.verbose_name_plural))  # type: ignore[attr-defined]

    def get_export_data(
        self, file_format: base_formats.Format, request: Any, queryset: Any, **kwargs: Any
    ) -> bytes | str:
        if not self.has_export_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        with override("th"):
            data = self.get_data_for_export(  # type: ignore[attr-defined]
                request, queryset, force_native_type=True, **kwargs
            )
        data.title = self.export_title()
        exported: bytes | str = file_format.export_data(data)
        return exported

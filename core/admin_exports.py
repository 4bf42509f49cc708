"""The admin's spreadsheet import and export, formatted like the portal's own exports.

Every `ExportMixin` / `ImportExportModelAdmin` of the project mixes in `SpreadsheetAdminMixin`
first. django-import-export only asks its resources for native values (dates, numbers) when the
format is one of *its own* binary classes, so `SafeXLSX` got every date and number as text;
the mixin always asks for native values, exports in Thai whatever language the admin uses, and
gives the sheet a title row (the model's Thai plural name). The XLSX that comes out is then the
portal's (`core.spreadsheets.xlsx_bytes`): title row, frozen header, auto-filter, fitted widths,
date cells in the Buddhist era, numbers as numbers, formulas kept as text. CSV stays UTF-8 with
a BOM, dates as Buddhist-era text. The admin imports nothing itself: its Import button leads
to the portal's background import (core.admin_imports), whose readers skip the title row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from django.utils.translation import override
from import_export.formats import base_formats

from core.spreadsheets import SafeCSV, SafeXLSX


class SpreadsheetAdminMixin:
    """Mixed in before django-import-export's admin mixins (see the module's docstring)."""

    export_formats: list[type[base_formats.Format]] = [SafeXLSX, SafeCSV]

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

"""The admin's spreadsheet imports (django-import-export) read an XLSX only after the guard.

`XlsxGuardAdminMixin`, placed before `ImportExportModelAdmin` in an admin's bases, swaps the
XLSX import format for `GuardedXLSX`, which runs `core.xlsx_guard.check_xlsx` on the bytes
before openpyxl opens them: a crafted file (a declared dimension of a million rows, a zip bomb,
too many shared strings) is refused with the guard's Thai message on the import form instead
of filling the web process's memory. Imports no app of the project.
"""

from __future__ import annotations

import io
from typing import Any

from import_export.formats import base_formats

from core.admin_exports import TitledXLSX
from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx

# What an admin imports (schools, an asset register): tens of thousands of rows at most.
ADMIN_XLSX_LIMITS = XlsxLimits(max_rows=50_000, max_columns=60)


class GuardedXLSX(TitledXLSX):
    """The admin's XLSX import (title row allowed, see core.admin_exports), behind the guard."""

    limits = ADMIN_XLSX_LIMITS

    def create_dataset(self, in_stream: Any) -> Any:
        data = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        check_xlsx(io.BytesIO(data), self.limits)
        return super().create_dataset(data)


class XlsxGuardAdminMixin:
    def get_import_formats(self) -> list[type]:
        formats = super().get_import_formats()  # type: ignore[misc]
        return [
            GuardedXLSX
            if isinstance(kind, type)
            and issubclass(kind, base_formats.XLSX)
            and not issubclass(kind, GuardedXLSX)
            else kind
            for kind in formats
        ]

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, XlsxRejected):
            form.add_error("import_file", str(e))  # the guard's own Thai message
            return
        super().add_data_read_fail_error_to_form(form, e)  # type: ignore[misc]

"""The admin's Import button leads to the portal's background import of the same model.

django-import-export's admin import reads the whole spreadsheet inside the request (a preview
that is a dry run, then the import). The portal imports every spreadsheet in Celery with a
progress page (core.import_jobs), so `BackgroundImportAdminMixin`, placed before
`ImportExportModelAdmin` in an admin's bases, answers the admin's import and confirm views
with a redirect to the portal's upload page (`import_page`, a URL name) and never parses a
file; the export stays the admin's. Imports no app of the project.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect


class BackgroundImportAdminMixin:
    # The portal's upload page for this model's spreadsheets.
    import_page: str = ""

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        if not self.has_import_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        return redirect(self.import_page)

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        # A confirm form of the old two-step import (an open tab) imports nothing either.
        return self.import_action(request, **kwargs)

"""The admin's spreadsheet imports (schools, the asset register) pass the XLSX guard before
openpyxl opens the file: a crafted XLSX is refused with a Thai message and nothing is parsed."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import School
from core.admin_imports import GuardedXLSX
from repairs.models import Asset
from tests.dmc_emis.test_hostile_files import crafted_xlsx

pytestmark = pytest.mark.django_db

CRAFTED = {
    "lying dimension": (crafted_xlsx(dimension="A1:B1048576"), "แถว"),
    "not a zip": (b"PK\x03\x04 broken", "ไม่ใช่ไฟล์ XLSX"),
    "zip bomb": (crafted_xlsx(sheet_padding="<x/>" * 400_000), "XLSX"),
}


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if the refused file reached openpyxl at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file the guard should refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.parametrize("name", CRAFTED)
@pytest.mark.parametrize(
    "url", ["admin:accounts_school_import", "admin:repairs_asset_import"], ids=["schools", "assets"]
)
def test_a_crafted_xlsx_is_refused_in_thai_before_parsing(
    admin_client, office, no_openpyxl, name, url
):
    data, words = CRAFTED[name]
    page = admin_client.get(reverse(url))
    xlsx_index = next(
        str(index)
        for index, label in page.context["form"].fields["format"].choices
        if "xlsx" in str(label).lower()
    )
    response = admin_client.post(
        reverse(url),
        {
            "resource": "0",
            "format": xlsx_index,
            "import_file": SimpleUploadedFile("crafted.xlsx", data),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert any(words in error for error in errors), errors
    assert not School.objects.exists() and not Asset.objects.exists()


def test_the_admins_use_the_guarded_format(admin_client):
    from django.contrib import admin

    for model in (School, Asset):
        formats = admin.site._registry[model].get_import_formats()
        assert GuardedXLSX in formats
        assert not [kind for kind in formats if kind.__name__ == "XLSX"]

"""Every admin XLSX export is formatted like the portal's own exports (core.spreadsheets):
a title row, the header frozen with an auto-filter, fitted widths, date cells shown in the
Buddhist era, numbers as numbers, formulas kept as text; and the portal's import (where the
admin's Import button leads) reads such a file back."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.mixins import BaseExportMixin

from accounts.models import School
from core.admin_exports import SpreadsheetAdminMixin
from core.admin_imports import BackgroundImportAdminMixin
from core.spreadsheets import DATE_FORMAT, INTEGER_FORMAT, SafeCSV, SafeXLSX
from equipment_loans.models import ItemCategory, LoanItem
from repairs.models import Asset
from tests.factories import OfficeFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return OfficeFactory(code="1057", name_th="สพป.เชียงราย เขต 1")


@pytest.fixture
def admin_client(client, office):
    root = UserFactory(username="root", office=office, is_superuser=True, is_staff=True)
    client.force_login(root)
    return client


def admin_export(client, model, language: str = "th") -> openpyxl.worksheet.worksheet.Worksheet:
    """The admin's export page, posted as a person would: XLSX, every field ticked."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    client.cookies["django_language"] = language
    form = client.get(url).context["form"]
    formats = [f.__name__ for f in admin.site._registry[model].get_export_formats()]
    data = {name: "on" for name in form.fields if "resource_" in name}
    data |= {"format": str(formats.index("SafeXLSX")), "resource": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(SafeXLSX.CONTENT_TYPE)
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def assert_portal_layout(sheet, title: str) -> dict[str, openpyxl.cell.Cell]:
    """Title row, frozen header with auto-filter, widths; returns row 3 by header."""
    assert sheet["A1"].value == title
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A3"
    headers = [cell.value for cell in sheet[2]]
    last = openpyxl.utils.get_column_letter(len(headers))
    assert sheet.auto_filter.ref == f"A2:{last}{sheet.max_row}"
    for column in range(1, len(headers) + 1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width
        assert 8 <= width <= 60
    return dict(zip(headers, sheet[3], strict=True))


def test_every_admin_export_uses_the_portal_formatting():
    exporting = [m for m in admin.site._registry.values() if isinstance(m, BaseExportMixin)]
    assert len(exporting) >= 4, "schools, assets, loan items and loans export"
    for model_admin in exporting:
        assert isinstance(model_admin, SpreadsheetAdminMixin), model_admin
        assert list(model_admin.get_export_formats()) == [SafeXLSX, SafeCSV], model_admin
        if isinstance(model_admin, ImportMixin):  # never parses a spreadsheet in a request
            assert isinstance(model_admin, BackgroundImportAdminMixin), model_admin


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_asset_export_has_date_cells_in_the_buddhist_era(admin_client, office, language):
    school = SchoolFactory(office=office)
    Asset.objects.create(
        office=office,
        school=school,
        category="computer",
        brand="=HYPERLINK(1)",
        asset_number="7440-009-0001/67",
        acquired_on=datetime.date(2024, 3, 15),
    )
    sheet = admin_export(admin_client, Asset, language)
    row = assert_portal_layout(sheet, "ครุภัณฑ์")
    acquired = next(cell for header, cell in row.items() if header.startswith("วันที่ได้มา"))
    assert acquired.is_date and acquired.value.date() == datetime.date(2024, 3, 15)
    assert acquired.number_format == DATE_FORMAT
    brand = row["ยี่ห้อ"]
    assert brand.data_type == "s" and brand.value == "=HYPERLINK(1)"
    assert row["ประเภท"].value == "คอมพิวเตอร์"  # the Thai label, also for an English admin


def test_the_loan_item_export_has_numbers_as_numbers(admin_client, office):
    LoanItem.objects.create(
        office=office, name="แท็บเล็ต", category=ItemCategory.TABLET, quantity=1200
    )
    sheet = admin_export(admin_client, LoanItem)
    row = assert_portal_layout(sheet, "วัสดุอุปกรณ์ให้ยืม")
    numbers = [cell for cell in row.values() if cell.value == 1200]
    assert numbers, row
    assert numbers[0].data_type == "n" and numbers[0].number_format == INTEGER_FORMAT


def test_the_school_export_imports_back_through_the_portal(
    admin_client, office, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts import tasks
    from accounts.models import SchoolImport
    from accounts.services_schools import school_import_run

    SchoolFactory(office=office, obec_code="1057010001", name_th="โรงเรียนบ้านดู่")
    sheet = admin_export(admin_client, School)
    row = assert_portal_layout(sheet, "โรงเรียน")
    assert "1057010001" in [cell.value for cell in row.values()]
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    School.objects.update(name_th="ชื่อเดิมที่จะถูกแทน")
    monkeypatch.setattr(
        tasks.run_school_import_task, "delay", lambda pk: school_import_run(import_id=pk)
    )
    import_page = admin_client.get(reverse("admin:accounts_school_import"))["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            import_page, {"file": SimpleUploadedFile("schools.xlsx", buffer.getvalue())}
        )
    assert response.status_code == 302
    assert SchoolImport.objects.get().status == SchoolImport.Status.DONE  # title row skipped
    assert School.objects.get().name_th == "โรงเรียนบ้านดู่"

"""Hostile and broken spreadsheets: refused before parsing (core.xlsx_guard), memory bounded,
and a file the reader chokes on ends its import FAILED with nothing staged."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.xlsx_guard import XlsxLimits, XlsxRejected, check_xlsx
from dmc_emis.models import DataImport, StudentRecord

from .helpers import STUDENT_HEADER, csv_upload, run_import, with_check_digit, xlsx_upload

pytestmark = pytest.mark.django_db
A = "1090010001"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def crafted_xlsx(*, dimension="A1:B2", strings=1, rows=2, sheet_padding="") -> bytes:
    """A minimal XLSX made by hand, as an attacker would: any dimension, any string count."""
    sheet_rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, rows + 1)
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{sheet_rows}</sheetData>{sheet_padding}</worksheet>"
    )
    shared = "".join(f"<si><t>s{n}</t></si>" for n in range(strings))
    sst = f'<sst {NS} count="{strings}" uniqueCount="{strings}">{shared}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", sst)
    return buffer.getvalue()


def test_a_real_workbook_passes_the_guard():
    upload = xlsx_upload([STUDENT_HEADER, [A, "1", "ก", "ข", "ป.1", "ช", "01/01/2560"]])
    check_xlsx(io.BytesIO(upload.read()))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (crafted_xlsx(dimension="A1:B1048576"), "แถว"),  # a tiny file declaring 1M rows
        (crafted_xlsx(dimension="A1:ZZ10"), "คอลัมน์"),
        (crafted_xlsx(strings=600_001, rows=1), "CSV"),  # beyond the shared-string limit
        (crafted_xlsx(sheet_padding="<x/>" + " " * 30_000_000), "บีบอัด"),  # a zip bomb
        (b"PK\x03\x04 not really a zip", "XLSX"),
    ],
    ids=["lying-dimension", "too-many-columns", "shared-strings", "zip-bomb", "not-a-zip"],
)
def test_hostile_workbooks_are_refused_in_thai_before_parsing(data, words):
    with pytest.raises(XlsxRejected) as error:
        check_xlsx(io.BytesIO(data), XlsxLimits(max_rows=100_000, max_columns=100))
    assert words in str(error.value)


def test_the_crafted_files_cost_little_memory_to_refuse_or_import(open_round, people):
    """The issue's files: a 1.7 KB sheet declaring a million rows (800 MB before) and a DMC file
    with a huge string table (430 MB before). Peak Python memory stays under 20 MB."""
    hostile = [
        crafted_xlsx(dimension="A1:G1048576"),
        crafted_xlsx(strings=600_001, rows=1),
    ]
    tracemalloc.start()
    try:
        for number, data in enumerate(hostile):
            upload = SimpleUploadedFile(f"dmc{number}.xlsx", data, XLSX_TYPE)
            data_import = run_import(open_round, people["staff"], upload)
            assert data_import.status == DataImport.Status.FAILED
            assert data_import.errors[0]["message"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_the_asset_import_refuses_the_lying_dimension(client, people):
    from repairs.resources import AssetFileError, read_asset_file

    with pytest.raises(AssetFileError) as error:
        read_asset_file(crafted_xlsx(dimension="A1:G1048576"), "xlsx")
    assert "แถว" in str(error.value)


@pytest.mark.parametrize("bad_id", ["1²34567890123", "12345678901²3"])
def test_a_superscript_digit_is_a_finding_not_a_crash(open_round, people, bad_id):
    """'²' passes str.isdigit() but not int(): the ID is invalid, the import finishes."""
    rows = [STUDENT_HEADER, [A, bad_id, "ค", "ง", "ป.1", "ช", "01/01/2560"]]
    for upload in (xlsx_upload(rows), csv_upload(rows)):
        data_import = run_import(open_round, people["staff"], upload)
        assert data_import.status == DataImport.Status.DONE, data_import.errors
        record = StudentRecord.objects.get(data_import=data_import)
        assert record.has_problems and record.row_number == 2


def test_a_nul_byte_file_is_refused_at_upload_in_thai(open_round, people):
    from django.core.exceptions import ValidationError

    rows = [STUDENT_HEADER, [A, with_check_digit("110000000002"), "ค\x00", "ง", "ป.1", "ช", ""]]
    with pytest.raises(ValidationError) as error:
        run_import(open_round, people["staff"], csv_upload(rows))
    assert "CSV หรือ XLSX" in str(error.value)
    assert not DataImport.objects.exists()


def test_an_unforeseen_crash_ends_the_import_failed_and_removes_its_rows(
    open_round, people, monkeypatch
):
    from dmc_emis import services

    def explode(*args, **kwargs):
        StudentRecord.objects.filter(pk=-1).exists()  # the database is fine; the reader is not
        raise RuntimeError("parser bug")

    monkeypatch.setattr(services, "stage_file", explode)
    rows = [STUDENT_HEADER, [A, with_check_digit("110000000001"), "ก", "ข", "ป.1", "ช", "1/1/2560"]]
    data_import = run_import(open_round, people["staff"], csv_upload(rows))
    assert data_import.status == DataImport.Status.FAILED
    assert "ไม่ได้บันทึกข้อมูล" in data_import.errors[0]["message"]
    assert not StudentRecord.objects.filter(data_import=data_import).exists()

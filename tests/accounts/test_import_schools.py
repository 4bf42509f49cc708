"""Schools from CSV/XLSX with Thai headers: codes stay text, errors are per row, all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from accounts.models import School
from accounts.resources import (
    HEADERS,
    SchoolResource,
    export_schools,
    import_schools,
    read_school_file,
)
from tests.factories import SchoolFactory
from tests.reports.helpers import check_workbook

pytestmark = pytest.mark.django_db

HEADER_ROW = [
    "รหัสโรงเรียน (10 หลัก)",
    "รหัส SMIS (8 หลัก)",
    "ชื่อโรงเรียน",
    "ชื่อภาษาอังกฤษ",
    "อำเภอ",
    "ตำบล",
    "ขนาด",
    "รหัส สพท.",
    "ใช้งาน",
]
GOOD_ROWS = [
    [
        "1050100001",
        "05010001",
        "โรงเรียนบ้านดู่",
        "Ban Du School",
        "เมืองเชียงราย",
        "บ้านดู่",
        "เล็ก",
        "1057",
        "ใช่",
    ],
    [
        "1050100002",
        "05010002",
        "โรงเรียนวัดร่องขุ่น",
        "",
        "เมืองเชียงราย",
        "ป่าอ้อดอนชัย",
        "กลาง",
        "1057",
        "1",
    ],
    ["1050100003", "05010003", "โรงเรียนอนุบาลแม่จัน", "", "แม่จัน", "", "ใหญ่พิเศษ", "1057", ""],
    ["1050100004", "05010004", "โรงเรียนชุมชนบ้านป่าตึง", "", "แม่จัน", "ป่าตึง", "large", "1057", "ไม่ใช่"],
]


def csv_bytes(rows, *, header=HEADER_ROW, bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, *, header=HEADER_ROW) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_good_rows_stored():
    assert School.objects.count() == 4
    first = School.objects.get(obec_code="1050100001")
    assert first.smis_code == "05010001"  # leading zero kept
    assert first.name_en == "Ban Du School"
    assert first.office.code == "1057"
    assert first.size == School.Size.SMALL
    assert first.is_active
    assert School.objects.get(obec_code="1050100002").size == School.Size.MEDIUM
    third = School.objects.get(obec_code="1050100003")
    assert third.size == School.Size.EXTRA_LARGE
    assert third.is_active  # empty: the default
    fourth = School.objects.get(obec_code="1050100004")
    assert fourth.size == School.Size.LARGE
    assert not fourth.is_active


# Good files -------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "utf8-bom"])
def test_a_good_thai_csv_is_imported_with_leading_zeros(office, bom):
    result = import_schools(csv_bytes(GOOD_ROWS, bom=bom), "csv")
    assert result.errors == []
    assert (result.total, result.created, result.updated) == (4, 4, 0)
    assert result.stored
    assert_good_rows_stored()


def test_a_thai_windows_csv_is_read_too(office):
    data = csv_bytes(GOOD_ROWS).decode("utf-8").encode("cp874")
    result = import_schools(data, "csv")
    assert result.errors == []
    assert_good_rows_stored()


def test_a_good_xlsx_with_number_cells_is_imported(office):
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][0] = 1050100001  # a number cell, as Excel stores a typed code
    rows[0][1] = 5010001  # Excel dropped the leading zero of 05010001
    rows[1][0] = 1050100002.0
    rows[0][7] = 1057  # office code as a number too
    result = import_schools(xlsx_bytes(rows), "xlsx")
    assert result.errors == []
    assert result.created == 4
    assert_good_rows_stored()


def test_blank_lines_are_ignored(office):
    rows = [GOOD_ROWS[0], [""] * 9, *GOOD_ROWS[1:], [""] * 9, [""] * 9]
    result = import_schools(csv_bytes(rows), "csv")
    assert result.errors == []
    assert result.created == 4


def test_reimporting_updates_instead_of_duplicating(office):
    assert import_schools(csv_bytes(GOOD_ROWS), "csv").created == 4
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][2] = "โรงเรียนบ้านดู่ (ชื่อใหม่)"
    changed[0][6] = "กลาง"
    result = import_schools(csv_bytes(changed), "csv")
    assert result.errors == []
    assert (result.created, result.updated) == (0, 4)
    assert School.objects.count() == 4
    school = School.objects.get(obec_code="1050100001")
    assert school.name_th == "โรงเรียนบ้านดู่ (ชื่อใหม่)"
    assert school.size == School.Size.MEDIUM


def test_a_dry_run_checks_but_stores_nothing(office):
    result = import_schools(csv_bytes(GOOD_ROWS), "csv", dry_run=True)
    assert result.errors == []
    assert result.created == 4
    assert not result.stored
    assert not School.objects.exists()


def test_headers_may_be_spelt_loosely(office):
    header = ["รหัสโรงเรียน", "รหัส SMIS", "ชื่อโรงเรียน", "อำเภอ", "รหัส สพท"]
    rows = [["1050100001", "05010001", "โรงเรียนบ้านดู่", "เมืองเชียงราย", "1057"]]
    result = import_schools(csv_bytes(rows, header=header), "csv")
    assert result.errors == []
    assert School.objects.get().smis_code == "05010001"


# Bad files --------------------------------------------------------------------------------


def test_bad_rows_give_thai_errors_per_row_and_store_nothing(office):
    existing = SchoolFactory(office=office, obec_code="1050100099", smis_code="05010099")
    rows = [
        GOOD_ROWS[0],  # row 2: fine
        ["12345", "05010005", "โรงเรียนบ้านสั้น", "", "เมืองเชียงราย", "", "", "1057", ""],  # 3
        ["1050100006", "05010006", "โรงเรียนบ้านไกล", "", "เมืองเชียงราย", "", "", "9999", ""],
        ["1050100001", "05010007", "โรงเรียนบ้านซ้ำ", "", "เมืองเชียงราย", "", "", "1057", ""],
        ["1050100008", "05010008", "", "", "เมืองเชียงราย", "", "", "1057", ""],  # row 6
        ["1050100009", "501009", "โรงเรียนบ้านเจ็ด", "", "แม่จัน", "", "จิ๋ว", "1057", "บางที"],
        ["1050100010", "05010099", "โรงเรียนบ้านชน", "", "แม่จัน", "", "", "1057", ""],  # row 8
        GOOD_ROWS[1],  # row 9: fine
    ]
    result = import_schools(csv_bytes(rows), "csv")

    assert not School.objects.exclude(pk=existing.pk).exists()  # nothing stored, not even row 2
    assert not result.stored
    by_row = {error.row: " ".join(error.messages) for error in result.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert "รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก" in by_row[3]
    assert "ไม่พบ สพท. รหัส “9999”" in by_row[4]
    assert "ซ้ำกับแถวที่ 2" in by_row[5]
    assert "ต้องระบุชื่อโรงเรียน" in by_row[6]
    assert "รหัส SMIS ต้องเป็นตัวเลข 8 หลัก" in by_row[7]
    assert "ขนาด “จิ๋ว” ไม่ถูกต้อง" in by_row[7]
    assert "ค่า “บางที” ไม่ถูกต้อง" in by_row[7]
    assert "รหัส SMIS 05010099 เป็นของ" in by_row[8]
    # Each message names its column, and the printed line starts with the row.
    assert by_row[3].startswith("รหัสโรงเรียน (10 หลัก):")
    assert str(result.errors[0]).startswith("แถวที่ 3: ")
    assert result.failed_rows is not None and len(result.failed_rows) == 6


def test_one_bad_row_at_the_end_rolls_back_the_good_ones(office):
    rows = [*GOOD_ROWS, ["1050100005", "05010005", "", "", "", "", "", "1057", ""]]
    result = import_schools(csv_bytes(rows), "csv")
    assert [error.row for error in result.errors] == [6]
    assert "ต้องระบุอำเภอ" in " ".join(result.errors[0].messages)
    assert not School.objects.exists()


def test_a_duplicate_smis_code_within_the_file_is_reported(office):
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:1], "05010001", *GOOD_ROWS[1][2:]]]
    result = import_schools(csv_bytes(rows), "csv")
    assert [error.row for error in result.errors] == [3]
    assert "รหัส SMIS 05010001 ซ้ำกับแถวที่ 2" in result.errors[0].messages[0]
    assert not School.objects.exists()


def test_a_file_without_required_columns_is_refused(office):
    result = import_schools(csv_bytes([["x"]], header=["ชื่อโรงเรียน"]), "csv")
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert "ไม่พบคอลัมน์ที่ต้องมีในไฟล์" in str(result.errors[0])
    assert "รหัสโรงเรียน (10 หลัก)" in str(result.errors[0])


@pytest.mark.parametrize(
    ("data", "file_format", "expected"),
    [
        (b"", "csv", "ไฟล์ว่าง"),
        (b"not a zip file", "xlsx", "อ่านไฟล์ Excel (.xlsx) ไม่ได้"),
        (b"a,b", "ods", "ไม่รองรับไฟล์ชนิด"),
    ],
)
def test_unreadable_files_say_so(office, data, file_format, expected):
    result = import_schools(data, file_format)
    assert expected in str(result.errors[0])


def test_a_file_with_headers_only_is_an_error(office):
    result = import_schools(csv_bytes([]), "csv")
    assert "ไม่พบข้อมูลโรงเรียนในไฟล์" in str(result.errors[0])


# Export -----------------------------------------------------------------------------------


def test_export_has_thai_headers_and_text_codes(office):
    SchoolFactory(
        office=office, obec_code="1050100001", smis_code="05010001", size=School.Size.EXTRA_LARGE
    )
    dataset = SchoolResource().export()
    assert dataset.headers == HEADER_ROW == list(HEADERS.values())
    row = dataset[0]
    assert row[0] == "1050100001"
    assert row[1] == "05010001"
    assert row[6] == "ใหญ่พิเศษ"
    assert row[7] == "1057"
    assert row[8] == "ใช่"

    text = export_schools(format="csv").decode("utf-8")
    assert text.startswith("\ufeffรหัสโรงเรียน (10 หลัก),")
    assert ",05010001," in text

    data = export_schools(format="xlsx")
    check_workbook(data)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "โรงเรียน"  # the title row
    assert [cell.value for cell in sheet[2]] == HEADER_ROW
    assert sheet["B3"].value == "05010001"  # a code stays text, leading zero and all


def test_an_export_imports_back_unchanged(office):
    assert import_schools(csv_bytes(GOOD_ROWS), "csv").created == 4
    before = list(School.objects.order_by("obec_code").values())
    for file_format in ("csv", "xlsx"):
        result = import_schools(export_schools(format=file_format), file_format)
        assert result.errors == [], file_format
        assert result.updated == 4
    assert list(School.objects.order_by("obec_code").values()) == before


def test_read_school_file_keeps_codes_as_text():
    dataset = read_school_file(csv_bytes(GOOD_ROWS, bom=True), "csv")
    assert dataset.headers == HEADER_ROW
    assert dataset[0][1] == "05010001"


# Management command ------------------------------------------------------------------


def test_import_command_imports_a_good_file(office, tmp_path, capsys):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS))
    call_command("import_schools", str(path))
    assert School.objects.count() == 4


def test_import_command_fails_loudly_and_stores_nothing(office, tmp_path, capsys):
    path = tmp_path / "schools.csv"
    path.write_bytes(
        csv_bytes([GOOD_ROWS[0], ["123", "05010002", "x", "", "y", "", "", "1057", ""]])
    )
    with pytest.raises(CommandError):
        call_command("import_schools", str(path))
    assert "แถวที่ 3: " in capsys.readouterr().err
    assert not School.objects.exists()


def test_import_command_dry_run(office, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    call_command("import_schools", str(path), "--dry-run")
    assert not School.objects.exists()


@pytest.mark.django_db
def test_a_quoted_school_name_with_inner_quotes_survives_the_csv_reader():
    from accounts.resources import read_csv_rows

    data = 'ชื่อ,รหัส\n"โรงเรียน ""บ้านดู่""",1057010002\n'.encode()
    assert read_csv_rows(data)[1] == ['โรงเรียน "บ้านดู่"', "1057010002"]

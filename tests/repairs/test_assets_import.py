"""The asset register from CSV/XLSX: Thai headers and labels, B.E. dates, per-row Thai errors,
all or nothing, updates by asset number within the office, and exports that run no formulas."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from accounts.models import Office, School
from repairs.models import Asset
from repairs.resources import (
    HEADERS,
    AssetResource,
    csv_bytes,
    export_assets,
    import_assets,
    neutralise_formula,
    read_asset_file,
)

pytestmark = pytest.mark.django_db

HEADER_ROW = [
    "ประเภท",
    "ยี่ห้อ",
    "รุ่น",
    "หมายเลขเครื่อง (Serial)",
    "เลขครุภัณฑ์",
    "รหัสโรงเรียน (10 หลัก)",
    "สถานที่ตั้ง",
    "วันที่ได้มา (dd/mm/yyyy พ.ศ.)",
    "สถานะ",
    "ให้ยืมได้",
    "หมายเหตุ",
]


def good_rows(school_code="1090010001"):
    return [
        [
            "คอมพิวเตอร์",
            "Acer",
            "Veriton M200",
            "SN-0001",
            "7440-001-0001/65",
            school_code,
            "ห้องคอมพิวเตอร์ 1",
            "15/03/2567",
            "ใช้งาน",
            "ใช่",
            "ได้รับจัดสรรปีงบประมาณ 2567",
        ],
        [
            "printer",
            "Epson",
            "L3250",
            "SN-0002",
            "7440-002-0001/66",
            school_code,
            "ห้องธุรการ",
            "1 ต.ค. 2566",
            "ส่งซ่อม",
            "",
            "",
        ],
        # The office's own equipment: no school.
        [
            "Projector",
            "Epson",
            "EB-X06",
            "SN-0003",
            "7440-003-0001/64",
            "",
            "ห้องประชุม",
            "",
            "",
            "",
            "",
        ],
    ]


def csv_file(rows, *, header=HEADER_ROW, bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_file(rows, *, header=HEADER_ROW) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def far_school(db):
    far = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    return School.objects.create(
        office=far,
        obec_code="1090090001",
        smis_code="90090001",
        name_th="โรงเรียนไกล",
        district="ไกล",
    )


def assert_good_rows_stored(office, school):
    assert Asset.objects.count() == 3
    computer = Asset.objects.get(asset_number="7440-001-0001/65")
    assert computer.office == office
    assert computer.school == school
    assert computer.category == "computer"
    assert (computer.brand, computer.model_name, computer.serial_number) == (
        "Acer",
        "Veriton M200",
        "SN-0001",
    )
    assert computer.location == "ห้องคอมพิวเตอร์ 1"
    assert computer.acquired_on == datetime.date(2024, 3, 15)
    assert computer.status == Asset.Status.IN_USE
    assert computer.is_loanable
    assert computer.note == "ได้รับจัดสรรปีงบประมาณ 2567"
    printer = Asset.objects.get(asset_number="7440-002-0001/66")
    assert printer.category == "printer"
    assert printer.acquired_on == datetime.date(2023, 10, 1)
    assert printer.status == Asset.Status.IN_REPAIR
    assert not printer.is_loanable
    projector = Asset.objects.get(asset_number="7440-003-0001/64")
    assert projector.category == "projector"
    assert projector.school is None
    assert projector.office == office
    assert projector.acquired_on is None
    assert projector.status == Asset.Status.IN_USE


# Good files -------------------------------------------------------------------------------


def test_a_good_xlsx_is_imported(office, school):
    result = import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    assert result.errors == []
    assert (result.total, result.created, result.updated) == (3, 3, 0)
    assert result.stored
    assert_good_rows_stored(office, school)


@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "utf8-bom"])
def test_a_good_csv_is_imported(office, school, bom):
    result = import_assets(csv_file(good_rows(), bom=bom), "csv", office=office)
    assert result.errors == []
    assert result.created == 3
    assert_good_rows_stored(office, school)


def test_headers_are_matched_loosely_and_other_columns_ignored(office, school):
    header = [
        "ประเภทครุภัณฑ์",
        "ยี่ห้อ",
        "รุ่น",
        "Serial",
        "หมายเลขครุภัณฑ์",
        "รหัสโรงเรียน",
        "สถานที่ตั้ง",
        "วันที่ได้มา",
        "สถานะ",
        "ให้ยืมได้",
        "หมายเหตุ",
    ]
    rows = [[*row, "ไม่เกี่ยว"] for row in good_rows()]
    result = import_assets(csv_file(rows, header=[*header, "คอลัมน์อื่น"]), "csv", office=office)
    assert result.errors == []
    assert_good_rows_stored(office, school)


def test_excel_cells_dates_and_numbers_are_converted(office, school):
    rows = good_rows()
    rows[0][7] = datetime.datetime(2024, 3, 15)  # a date cell of a Thai-calendar Excel (A.D.)
    rows[1][7] = datetime.datetime(2566, 10, 1)  # B.E. typed into an A.D.-calendar Excel
    rows[2][7] = 45366  # a date cell formatted as a number: serial of 15 March 2024
    rows[0][5] = int(school.obec_code)  # the code as a number cell
    result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert result.errors == []
    assert Asset.objects.get(asset_number="7440-001-0001/65").acquired_on == datetime.date(
        2024, 3, 15
    )
    assert Asset.objects.get(asset_number="7440-002-0001/66").acquired_on == datetime.date(
        2023, 10, 1
    )
    assert Asset.objects.get(asset_number="7440-003-0001/64").acquired_on == datetime.date(
        2024, 3, 15
    )
    assert Asset.objects.get(asset_number="7440-001-0001/65").school == school


def test_school_codes_keep_their_leading_zero(office):
    school = School.objects.create(
        office=office, obec_code="0090010009", smis_code="00010009", name_th="ศูนย์", district="ก"
    )
    rows = [good_rows(school_code="")[0]]
    rows[0][5] = 90010009  # Excel dropped the leading zero
    result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert result.errors == []
    assert Asset.objects.get().school == school


def test_reimporting_updates_by_asset_number(office, school):
    import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    rows = good_rows()
    rows[0][6] = "ห้องสมุด"
    rows[0][8] = "เลิกใช้แล้ว"
    rows[0][9] = "ไม่ใช่"
    result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 3)
    assert Asset.objects.count() == 3
    computer = Asset.objects.get(asset_number="7440-001-0001/65")
    assert computer.location == "ห้องสมุด"
    assert computer.status == Asset.Status.RETIRED
    assert not computer.is_loanable


def test_empty_status_and_loanable_keep_what_the_asset_had(office, school):
    import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    rows = good_rows()
    rows[0][8] = rows[0][9] = ""
    assert import_assets(xlsx_file(rows), "xlsx", office=office).errors == []
    computer = Asset.objects.get(asset_number="7440-001-0001/65")
    assert computer.status == Asset.Status.IN_USE
    assert computer.is_loanable


def test_the_same_asset_number_in_another_office_is_another_asset(office, school, far_school):
    import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    result = import_assets(
        xlsx_file(good_rows(school_code=far_school.obec_code)), "xlsx", office=far_school.office
    )
    assert result.errors == []
    assert result.created == 3
    assert Asset.objects.filter(asset_number="7440-001-0001/65").count() == 2
    assert Asset.objects.get(asset_number="7440-001-0001/65", office=office).school == school


def test_rows_without_asset_number_are_matched_by_serial(office, school):
    rows = good_rows()
    rows[0][4] = ""
    assert import_assets(xlsx_file(rows), "xlsx", office=office).errors == []
    rows[0][6] = "ห้องสมุด"
    result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 3)
    assert Asset.objects.get(serial_number="SN-0001").location == "ห้องสมุด"


def test_dry_run_stores_nothing(office, school):
    result = import_assets(xlsx_file(good_rows()), "xlsx", office=office, dry_run=True)
    assert result.errors == []
    assert result.created == 3
    assert not result.stored
    assert Asset.objects.count() == 0


# Bad files --------------------------------------------------------------------------------


def test_bad_rows_give_thai_errors_per_row_and_store_nothing(office, school, far_school):
    rows = good_rows()
    bad = [
        [*rows[0][:4], "A-1", "1099999999", *rows[0][6:]],  # unknown school, row 5
        [*rows[0][:4], "A-2", far_school.obec_code, *rows[0][6:]],  # another office's, row 6
        [*rows[0][:4], "A-3", school.obec_code, "", "31/02/2567", *rows[0][8:]],  # row 7
        [*rows[0][:4], "A-4", school.obec_code, "", "15/03/2026", *rows[0][8:]],  # row 8
        [*rows[1][:4], "7440-001-0001/65", *rows[1][5:]],  # duplicate of row 2, row 9
        ["เครื่องซักผ้า", *rows[0][1:4], "A-6", *rows[0][5:]],  # row 10
        ["", "", "", "", "", school.obec_code, "", "", "", "", ""],  # row 11
        [*rows[0][:4], "A-8", "12345", *rows[0][6:]],  # row 12
        [*rows[0][:4], "A-9", school.obec_code, "", "1/1/2570", *rows[0][8:]],  # future, row 13
    ]
    result = import_assets(xlsx_file(rows + bad), "xlsx", office=office)
    assert Asset.objects.count() == 0
    assert not result.stored
    by_row = {error.row: " ".join(error.messages) for error in result.errors}
    assert sorted(by_row) == [5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "ไม่พบโรงเรียนรหัส 1099999999" in by_row[5]
    assert f"โรงเรียนรหัส {far_school.obec_code} ไม่ได้อยู่ในสังกัด" in by_row[6]
    assert "โรงเรียนไกล" not in by_row[6]  # another office's school is not named
    assert "31/02/2567 ไม่ใช่วันที่ที่มีอยู่จริง" in by_row[7]
    assert "2026 ดูเหมือนเป็นปี ค.ศ." in by_row[8] and "2569" in by_row[8]
    assert "เลขครุภัณฑ์ 7440-001-0001/65 ซ้ำกับแถวที่ 2" in by_row[9]
    assert "ประเภท “เครื่องซักผ้า” ไม่ถูกต้อง" in by_row[10]
    assert "ต้องระบุประเภท" in by_row[11]
    assert "ต้องระบุเลขครุภัณฑ์ หรือหมายเลขเครื่อง" in by_row[11]
    assert "รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก" in by_row[12]
    assert "เป็นวันในอนาคต" in by_row[13]
    # Each message names the Thai column, and the row as the user sees it in Excel.
    assert by_row[5].startswith("รหัสโรงเรียน (10 หลัก): ")
    assert str(result.errors[0]).startswith("แถวที่ 5: ")


def test_a_bad_row_keeps_earlier_updates_from_being_stored(office, school):
    import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    rows = good_rows()
    rows[0][6] = "ห้องสมุด"
    rows[2][7] = "15/03/2026"
    result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert [error.row for error in result.errors] == [4]
    assert Asset.objects.get(asset_number="7440-001-0001/65").location == "ห้องคอมพิวเตอร์ 1"


def test_thai_errors_whatever_the_active_language(office, school):
    from django.utils import translation

    rows = [good_rows()[0]]
    rows[0][7] = "15/03/2026"
    with translation.override("en"):
        result = import_assets(xlsx_file(rows), "xlsx", office=office)
    assert "ดูเหมือนเป็นปี ค.ศ." in result.error_lines()[0]


def test_missing_columns_and_unreadable_files_are_whole_file_errors(office):
    result = import_assets(csv_file([], header=["ยี่ห้อ", "รุ่น"]), "csv", office=office)
    assert result.errors[0].row is None
    assert "ไม่พบคอลัมน์ที่ต้องมีในไฟล์" in str(result.errors[0])
    assert "เลขครุภัณฑ์" in str(result.errors[0])
    assert "อ่านไฟล์ Excel (.xlsx) ไม่ได้" in str(
        import_assets(b"not a workbook", "xlsx", office=office).errors[0]
    )
    assert "ไม่พบข้อมูลครุภัณฑ์ในไฟล์" in str(import_assets(csv_file([]), "csv", office=office).errors[0])
    assert "ไม่รองรับไฟล์ชนิด" in str(import_assets(b"x", "pdf", office=office).errors[0])


def test_trailing_blank_lines_are_not_rows(office, school):
    data = xlsx_file([*good_rows(), [""] * 11, [None] * 11])
    assert len(read_asset_file(data, "xlsx")) == 3


# Export -----------------------------------------------------------------------------------


def test_neutralise_formula():
    assert neutralise_formula('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for text in ("+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("7440-001") == "7440-001"
    assert neutralise_formula(5) == 5
    assert neutralise_formula(None) is None


def dangerous_asset(office, school):
    return Asset.objects.create(
        office=office,
        school=school,
        category="computer",
        brand="+cmd|' /C calc'!A0",
        model_name="@SUM(1+1)",
        serial_number="-2+3",
        asset_number="7440-009-0001/67",
        note='=HYPERLINK("http://evil.example","คลิก")',
        acquired_on=datetime.date(2024, 3, 15),
    )


def test_csv_export_neutralises_formulas_and_reads_in_excel(office, school):
    dangerous_asset(office, school)
    data = export_assets(Asset.objects.all(), "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[:6] == HEADER_ROW[:6]
    values = dict(zip(header, row, strict=True))
    assert values["หมายเหตุ"] == '\'=HYPERLINK("http://evil.example","คลิก")'
    assert values["ยี่ห้อ"].startswith("'+")
    assert values["รุ่น"] == "'@SUM(1+1)"
    assert values["หมายเลขเครื่อง (Serial)"] == "'-2+3"
    assert values["รหัสโรงเรียน (10 หลัก)"] == school.obec_code
    assert values["ชื่อโรงเรียน"] == school.name_th
    assert values["วันที่ได้มา (dd/mm/yyyy พ.ศ.)"] == "15/03/2567"
    assert values["ประเภท"] == "คอมพิวเตอร์"
    assert values["สถานะ"] == "ใช้งาน"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_xlsx_export_writes_formula_text_as_text(office, school):
    dangerous_asset(office, school)
    data = export_assets(Asset.objects.all(), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "ครุภัณฑ์"  # the title row
    header = [cell.value for cell in sheet[2]]
    row = dict(zip(header, sheet[3], strict=True))
    note = row["หมายเหตุ"]
    assert note.data_type == "s"  # a string cell, not a formula
    assert note.value == '=HYPERLINK("http://evil.example","คลิก")'
    assert row["รหัสโรงเรียน (10 หลัก)"].value == school.obec_code


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(office, school, file_format):
    asset = dangerous_asset(office, school)
    import_assets(xlsx_file(good_rows()), "xlsx", office=office)
    before = {a.pk: a for a in Asset.objects.all()}
    data = export_assets(Asset.objects.all(), file_format)
    result = import_assets(data, file_format, office=office)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 4)
    fields = [f.name for f in Asset._meta.fields]
    for after in Asset.objects.all():
        assert [getattr(after, f) for f in fields] == [getattr(before[after.pk], f) for f in fields]
    asset.refresh_from_db()
    assert asset.note.startswith("=HYPERLINK")


def test_csv_bytes_helper_neutralises_any_dataset():
    import tablib

    data = csv_bytes(tablib.Dataset(["=1+1", "ok"], headers=["a", "b"]))
    assert data.decode("utf-8-sig").splitlines()[1] == "'=1+1,ok"


def test_the_resource_takes_the_office_from_the_importing_user(office, school, people):
    import tablib

    dataset = tablib.Dataset(*good_rows(), headers=HEADER_ROW)
    result = AssetResource().import_data(dataset, dry_run=False, user=people["staff"])
    assert not result.has_errors() and not result.has_validation_errors()
    assert Asset.objects.filter(office=office).count() == 3
    assert set(HEADERS.values()) <= set(HEADER_ROW)


def test_the_resource_reports_file_problems_once(office, people):
    import tablib

    nobody = people["staff"]
    nobody.office = None
    rows = good_rows()
    result = AssetResource().import_data(tablib.Dataset(*rows, headers=HEADER_ROW), user=nobody)
    assert [str(e.error) for e in result.base_errors] == ["นำเข้าไม่ได้: บัญชีผู้ใช้นี้ไม่ได้สังกัด สพท. ใด"]
    assert not result.has_validation_errors() and not result.error_rows
    dataset = tablib.Dataset(*[row[:3] for row in rows], headers=HEADER_ROW[:3])
    result = AssetResource(office=office).import_data(dataset)
    assert len(result.base_errors) == 1
    assert "ไม่พบคอลัมน์ที่ต้องมีในไฟล์" in str(result.base_errors[0].error)
    assert not result.has_validation_errors() and not result.error_rows
    assert not Asset.objects.exists()


def test_semicolon_and_thai_windows_csv_files(office, school):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER_ROW)
    writer.writerows(good_rows())
    result = import_assets(buffer.getvalue().encode("cp874"), "csv", office=office)
    assert result.errors == []
    assert_good_rows_stored(office, school)


def test_admin_export_formats_are_safe():
    import tablib

    from repairs.resources import SafeCSV, SafeXLSX

    dataset = tablib.Dataset(["=1+1"], headers=["a"])
    assert SafeCSV().export_data(dataset).decode("utf-8-sig").splitlines()[1] == "'=1+1"
    sheet = load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")

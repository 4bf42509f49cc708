"""The Buddhist-era date format of our XLSX cells, as LibreOffice displays it.

openpyxl only stores the number format; whether a spreadsheet program shows 2569 for a date
in 2026 is up to the program. LibreOffice (headless) saves the sheet as CSV with "save cell
contents as shown", which is what a person sees in the cells. Skipped where LibreOffice is not
installed (it is not a requirement of the project).
"""

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess

import pytest
import tablib

from core.spreadsheets import xlsx_bytes

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")

# CSV filter options: comma, double quote, UTF-8 (76), from line 1, no column formats,
# language default, quote text: no, detect special numbers: yes, save cells as shown: yes.
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_date_cells_in_the_buddhist_era(tmp_path):
    dataset = tablib.Dataset(headers=["วันที่", "เวลา", "จำนวน", "เงิน"])
    dataset.append([datetime.date(2026, 12, 3), datetime.datetime(2026, 1, 31, 9, 30), 1200, 12.5])
    source = tmp_path / "sheet.xlsx"
    source.write_bytes(xlsx_bytes(dataset, title="ทดสอบ"))
    subprocess.run(
        [
            str(OFFICE),
            f"-env:UserInstallation=file://{tmp_path}/profile",  # never a shared profile
            "--headless",
            "--convert-to",
            AS_SHOWN,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((tmp_path / "sheet.csv").read_text("utf-8").splitlines()))
    assert rows[0][0] == "ทดสอบ"
    assert rows[1] == ["วันที่", "เวลา", "จำนวน", "เงิน"]
    assert rows[2] == ["3 ธ.ค. 2569", "31 ม.ค. 2569 09:30", "1,200", "12.50"]

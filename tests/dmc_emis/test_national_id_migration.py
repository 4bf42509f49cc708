"""The migration that seals stored national IDs: forwards encrypts every row and re-keys the
findings' subject keys; backwards (with the same key) gives the plain numbers back."""

from __future__ import annotations

import datetime
import hashlib
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.fieldcrypt import cipher_for

from .helpers import with_check_digit

# Found by its name's tail, so renumbering at a merge does not break the test.
MIGRATION = next(
    path.stem
    for path in (Path(__file__).resolve().parents[2] / "dmc_emis" / "migrations").glob(
        "*_national_id_encrypted.py"
    )
)
AFTER = [("dmc_emis", MIGRATION)]
BEFORE = [
    dependency
    for dependency in import_module(f"dmc_emis.migrations.{MIGRATION}").Migration.dependencies
    if dependency[0] == "dmc_emis"
]
PURPOSE = "dmc_emis.StudentRecord.national_id"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_ids_are_sealed_and_given_back(office, school, people):
    old_apps = migrate(BEFORE)
    Round = old_apps.get_model("dmc_emis", "Round")
    RoundSchool = old_apps.get_model("dmc_emis", "RoundSchool")
    DataImport = old_apps.get_model("dmc_emis", "DataImport")
    StudentRecord = old_apps.get_model("dmc_emis", "StudentRecord")
    Finding = old_apps.get_model("dmc_emis", "Finding")
    round_ = Round.objects.create(
        office_id=office.pk,
        kind="dmc_term1",
        academic_year=2569,
        title="รอบทดสอบ",
        opens_on=datetime.date(2026, 5, 11),
        deadline_on=datetime.date(2026, 6, 10),
    )
    entry = RoundSchool.objects.create(round=round_, school_id=school.pk)
    data_import = DataImport.objects.create(
        round=round_, file="x.csv", original_name="x.csv", uploaded_by_id=people["staff"].pk
    )
    ids = [with_check_digit(f"1101700207{n:02d}") for n in range(3)]
    for row, national_id in enumerate([*ids, ""], start=2):
        StudentRecord.objects.create(
            data_import=data_import,
            round=round_,
            entry=entry,
            row_number=row,
            national_id=national_id,
            grade="p1",
        )
    old_key = hashlib.sha256(ids[0].encode()).hexdigest()[:40]
    Finding.objects.create(entry=entry, rule="duplicate_school", subject_key=old_key, detail="ซ้ำ")

    new_apps = migrate(AFTER)
    cipher = cipher_for(PURPOSE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id_encrypted, national_id_hash FROM dmc_emis_studentrecord"
            " ORDER BY row_number"
        )
        rows = cursor.fetchall()
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "dmc_emis_studentrecord"
            )
        ]
    assert "national_id" not in columns
    assert [cipher.decrypt(token) for token, _h in rows] == [*ids, ""]
    assert [digest for _t, digest in rows] == [cipher.lookup_hash(v) for v in [*ids, ""]]
    assert all(v not in repr(rows) for v in ids)
    finding = new_apps.get_model("dmc_emis", "Finding").objects.get()
    assert finding.subject_key == cipher.lookup_hash(ids[0])

    back_apps = migrate(BEFORE)
    plain = back_apps.get_model("dmc_emis", "StudentRecord").objects.order_by("row_number")
    assert [s.national_id for s in plain] == [*ids, ""]
    migrate(AFTER)

"""The data migrations of the reports app: the per-year Thai-digits choice moves to the office's
document settings; scheduled tasks lose their English glosses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("reports", "0003_yearly_report_text"),
    ("documents", "0003_certificates_in_the_registers"),
]


def migrate(targets):
    """Every app at its latest migration but those named in `targets`; the apps' state then."""
    executor = MigrationExecutor(connection)
    named = {app for app, _name in targets}
    nodes = [key for key in executor.loader.graph.leaf_nodes() if key[0] not in named]
    nodes += targets
    executor.migrate(nodes)
    executor.loader.build_graph()
    return executor.loader.project_state(nodes).apps


def leaves():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in ("reports", "documents")]


def test_the_latest_years_choice_becomes_the_offices_and_names_lose_english():
    final = leaves()
    try:
        old = migrate(BEFORE)
        Office = old.get_model("accounts", "Office")
        Text = old.get_model("reports", "YearlyReportText")
        Settings = old.get_model("documents", "OfficeDocumentSettings")
        PeriodicTask = old.get_model("django_celery_beat", "PeriodicTask")
        saved = Office.objects.create(code="M1", name_th="สพป.มีตั้งค่า", kind="primary")
        unsaved = Office.objects.create(
            code="M2", name_th="สพป.ยังไม่ตั้งค่า", kind="primary", phone="043 111 111"
        )
        untouched = Office.objects.create(code="M3", name_th="สพป.ไม่เคยเลือก", kind="primary")
        Settings.objects.create(
            office=saved, office_name="สพป.มีตั้งค่า", group_name="กลุ่ม", letter_code="ศธ 04001"
        )
        Text.objects.create(office=saved, fiscal_year=2568, thai_digits=True)
        Text.objects.create(office=saved, fiscal_year=2569, thai_digits=False)  # the latest
        Text.objects.create(office=unsaved, fiscal_year=2569, thai_digits=False)
        PeriodicTask.objects.create(name="งานทดสอบ (test job)", task="x.y")
        PeriodicTask.objects.create(name="Only English (kept)", task="x.z")
        # A shipped task as its scheduling migration named it (other tests may have emptied the
        # table since the migrations ran, so it is put back here).
        PeriodicTask.objects.update_or_create(
            task="processes.due_date_pass",
            defaults={"name": "ตรวจกำหนดเวลางานประจำวัน (daily due-date pass)"},
        )

        new = migrate(final)
        Settings = new.get_model("documents", "OfficeDocumentSettings")
        PeriodicTask = new.get_model("django_celery_beat", "PeriodicTask")
        assert Settings.objects.get(office_id=saved.pk).thai_digits is False
        created = Settings.objects.get(office_id=unsaved.pk)
        assert created.thai_digits is False
        assert (created.office_name, created.telephone) == ("สพป.ยังไม่ตั้งค่า", "043 111 111")
        assert not Settings.objects.filter(office_id=untouched.pk).exists()
        assert "thai_digits" not in {
            f.name for f in new.get_model("reports", "YearlyReportText")._meta.fields
        }
        names = set(
            PeriodicTask.objects.filter(task__startswith="x.").values_list("name", flat=True)
        )
        assert names == {"งานทดสอบ", "Only English (kept)"}
        shipped = PeriodicTask.objects.exclude(task__startswith="x.").values_list("name", flat=True)
        assert "ตรวจกำหนดเวลางานประจำวัน" in shipped
        assert all("(" not in name for name in shipped), list(shipped)
    finally:
        migrate(final)

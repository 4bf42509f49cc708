"""The asset register's pages: who sees which assets, the list's filters, an asset with its
repair history, the import page's role matrix, the export, and the admin."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Office, Role, School
from accounts.services import user_create
from processes.definitions import definition_import
from repairs.models import Asset, AssetImport, SlaTarget
from repairs.selectors_assets import assets_visible_to, can_manage_assets
from repairs.services import ticket_file
from tests.factories import SchoolFactory, make_user

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "processes" / "repair-ticket.json"

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


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านอื่น",
        district="เมือง",
    )


@pytest.fixture
def teacher_b(other_school):
    return user_create(
        username="teacher_b",
        password="x",
        office=other_school.office,
        school=other_school,
        roles=[Role.objects.get(code="school_user")],
    )


@pytest.fixture
def far_office(db):
    return Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)


@pytest.fixture
def outsider(far_office):
    """Staff of another office."""
    return user_create(
        username="far", password="x", office=far_office, roles=[Role.objects.get(code="staff")]
    )


@pytest.fixture
def admin_user(office):
    return make_user("admin", office=office, username="portal_admin")


@pytest.fixture
def assets(office, school, other_school, far_office):
    far_school = School.objects.create(
        office=far_office,
        obec_code="1090090001",
        smis_code="90090001",
        name_th="โรงเรียนไกล",
        district="ไกล",
    )
    return {
        "a": Asset.objects.create(
            office=office,
            school=school,
            category="computer",
            brand="Acer",
            model_name="Veriton",
            serial_number="SN-A",
            asset_number="7440-001-0001/65",
        ),
        "b": Asset.objects.create(
            office=office,
            school=other_school,
            category="printer",
            brand="Epson",
            model_name="L3250",
            serial_number="SN-B",
            asset_number="7440-002-0001/66",
            status=Asset.Status.IN_REPAIR,
        ),
        "own": Asset.objects.create(
            office=office,
            category="projector",
            brand="Epson",
            model_name="EB-X06",
            asset_number="7440-003-0001/64",
        ),
        "far": Asset.objects.create(
            office=far_office,
            school=far_school,
            category="computer",
            brand="Dell",
            asset_number="7440-001-0001/65",
        ),
    }


def names(queryset):
    return {asset.pk for asset in queryset}


# Who sees what ----------------------------------------------------------------------------


def test_assets_visible_to_each_kind_of_user(people, teacher_b, outsider, assets):
    a, b, own, far = assets["a"], assets["b"], assets["own"], assets["far"]
    assert names(assets_visible_to(people["school_user"])) == {a.pk}
    assert names(assets_visible_to(people["school_director"])) == {a.pk}
    assert names(assets_visible_to(teacher_b)) == {b.pk}
    assert names(assets_visible_to(people["staff"])) == {a.pk, b.pk, own.pk}
    assert names(assets_visible_to(people["director"])) == {a.pk, b.pk, own.pk}
    assert names(assets_visible_to(outsider)) == {far.pk}


def test_superuser_sees_all_and_a_user_without_office_none(assets):
    root = make_user("admin", username="root", is_superuser=True)
    root.office = None
    root.save()
    assert names(assets_visible_to(root)) == {a.pk for a in assets.values()}
    nobody = make_user("staff", username="nobody")
    nobody.office = None
    nobody.save()
    assert not assets_visible_to(nobody).exists()


def test_who_manages_the_register(people, admin_user, outsider):
    assert can_manage_assets(people["staff"])
    assert can_manage_assets(people["group_head"])
    assert can_manage_assets(admin_user)
    assert can_manage_assets(outsider)  # for their own office
    for role in ("school_user", "school_director", "director", "deputy_director"):
        assert not can_manage_assets(people[role]), role


# The list ---------------------------------------------------------------------------------


def list_pks(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("repairs:assets"), params)
    assert response.status_code == 200
    return {asset.pk for asset in response.context["page"]}


def test_the_list_shows_only_visible_assets(client, people, teacher_b, outsider, assets):
    assert list_pks(client, people["school_user"]) == {assets["a"].pk}
    assert list_pks(client, teacher_b) == {assets["b"].pk}
    assert list_pks(client, outsider) == {assets["far"].pk}
    assert list_pks(client, people["staff"]) == {
        assets["a"].pk,
        assets["b"].pk,
        assets["own"].pk,
    }


def test_the_list_filters(client, people, school, other_school, assets):
    staff = people["staff"]
    assert list_pks(client, staff, school=other_school.pk) == {assets["b"].pk}
    assert list_pks(client, staff, school="office") == {assets["own"].pk}
    assert list_pks(client, staff, category="printer") == {assets["b"].pk}
    assert list_pks(client, staff, status="in_repair") == {assets["b"].pk}
    assert list_pks(client, staff, q="epson") == {assets["b"].pk, assets["own"].pk}
    assert list_pks(client, staff, q="SN-A") == {assets["a"].pk}
    assert list_pks(client, staff, q="7440-003") == {assets["own"].pk}
    assert list_pks(client, staff, q="veriton") == {assets["a"].pk}
    # Unknown values are ignored, not errors.
    assert len(list_pks(client, staff, category="nope", status="x", school="abc")) == 3


def test_a_school_cannot_filter_its_way_into_another_school(client, people, other_school, assets):
    assert list_pks(client, people["school_user"], school=other_school.pk) == set()
    assert list_pks(client, people["school_user"], school_name="บ้านอื่น") == set()
    response = client.get(reverse("repairs:assets"))
    assert 'name="school"' not in response.text  # no school filter for a school


def test_the_list_filters_by_the_chosen_or_the_typed_school(
    client, people, school, other_school, assets
):
    staff = people["staff"]
    everything = {assets["a"].pk, assets["b"].pk, assets["own"].pk}
    assert list_pks(client, staff, school=other_school.pk) == {assets["b"].pk}
    # Typed without picking a suggestion, or without JavaScript: part of the name.
    assert list_pks(client, staff, school_name="บ้านอื่น") == {assets["b"].pk}
    assert list_pks(client, staff, school_name="  บ้าน  ") == {assets["a"].pk, assets["b"].pk}
    # Or a school's code in full, which the box invites too.
    assert list_pks(client, staff, school_name=other_school.obec_code) == {assets["b"].pk}
    assert list_pks(client, staff, school_name=other_school.smis_code) == {assets["b"].pk}
    assert list_pks(client, staff, school_name=other_school.obec_code[:4]) == set()
    # A picked school wins over the text left in the box.
    assert list_pks(client, staff, school=school.pk, school_name="บ้านอื่น") == {assets["a"].pk}
    # The office's own equipment has no school: a box of its own, and the old ?school=office.
    assert list_pks(client, staff, own="1") == {assets["own"].pk}
    assert list_pks(client, staff, school="office") == {assets["own"].pk}
    assert list_pks(client, staff, own="1", school=school.pk) == set()
    # Junk is ignored, never an error.
    for junk in ("x", "-1", "๑", "1.5", "9" * 30, ""):
        assert list_pks(client, staff, school=junk) == everything, junk
    assert list_pks(client, staff, own="yes") == everything
    # Another office's school, picked or typed, finds nothing of it.
    assert list_pks(client, staff, school=assets["far"].school_id) == set()
    assert list_pks(client, staff, school_name="ไกล") == set()


def test_the_export_follows_the_school_filter(client, people, other_school, assets):
    client.force_login(people["staff"])
    response = client.get(
        reverse("repairs:asset_export"), {"school_name": "บ้านอื่น", "format": "csv"}
    )
    body = response.content.decode("utf-8-sig")
    assert assets["b"].asset_number in body
    assert assets["a"].asset_number not in body


ASSET_SCHOOL_SIDE = ("school_user", "school_director", "teacher_b")
ASSET_OFFICE_SIDE = ("staff", "group_head", "deputy_director", "director", "admin", "outsider")


@pytest.mark.parametrize("role", [*ASSET_SCHOOL_SIDE, *ASSET_OFFICE_SIDE])
def test_every_role_reloads_the_list_with_the_chosen_school_and_no_list_of_schools(
    client, people, teacher_b, admin_user, outsider, other_school, assets, role
):
    user = {"teacher_b": teacher_b, "admin": admin_user, "outsider": outsider}.get(role)
    client.force_login(user or people[role])
    response = client.get(reverse("repairs:assets"), {"school": other_school.pk})
    assert response.status_code == 200
    html = response.text
    if role in ASSET_SCHOOL_SIDE:
        # A school's people see their own school's assets: there is nothing to choose.
        assert 'name="school_name"' not in html
        assert 'name="own"' not in html
        return
    assert reverse("portal:school_search") in html
    assert f'name="school" id="f-school-id" value="{other_school.pk}"' in html
    # The chosen school is named back, to those who may see it; no option per school.
    assert ('value="โรงเรียนบ้านอื่น"' in html) == (role != "outsider")
    assert "<option" not in html.split('id="f-school-options"')[1].split("</datalist>")[0]
    assert "โรงเรียนบ้านทดสอบ" not in html  # the other school of the office, not listed
    assert "โรงเรียนไกล" not in html
    assert 'name="own" value="1" id="f-own">' in html  # not ticked


def test_the_box_shows_back_what_was_typed_and_the_office_own_tick(client, people, assets):
    client.force_login(people["staff"])
    html = client.get(reverse("repairs:assets"), {"school_name": "บ้าน", "own": "1"}).text
    assert 'name="school" id="f-school-id" value=""' in html
    assert 'name="school_name" value="บ้าน"' in html
    assert 'id="f-own" checked' in html
    old_link = client.get(reverse("repairs:assets"), {"school": "office"}).text
    assert 'id="f-own" checked' in old_link


def test_the_list_no_longer_carries_every_school(client, people, office, assets):
    many = [SchoolFactory(office=office, name_th=f"โรงเรียนหลายแห่ง {n}") for n in range(30)]
    client.force_login(people["staff"])
    html = client.get(reverse("repairs:assets")).text
    assert not any(s.name_th in html for s in many)
    assert html.count("<option") < 30


def test_the_list_counts_and_pages_by_50(client, people, office, school):
    Asset.objects.bulk_create(
        Asset(office=office, school=school, category="computer", asset_number=f"N-{n:03d}")
        for n in range(55)
    )
    Asset.objects.filter(asset_number__in=["N-000", "N-001"]).update(status="lost")
    client.force_login(people["staff"])
    response = client.get(reverse("repairs:assets"))
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 55
    assert dict((code, n) for code, _label, n in response.context["counts"]) == {
        "in_use": 53,
        "lost": 2,
    }
    assert 'id="asset-count"' in response.text
    second = client.get(reverse("repairs:assets"), {"page": 2, "category": "computer"})
    assert len(second.context["page"]) == 5
    assert "category=computer" in second.text  # filters kept in the page links


def test_the_list_is_built_for_a_phone(client, people, assets):
    client.force_login(people["staff"])
    html = client.get(reverse("repairs:assets")).text
    assert 'class="table-responsive"' in html
    assert "d-none d-md-table-cell" in html  # secondary columns fold away on a 360 px screen


def test_import_button_only_for_managers(client, people, assets):
    client.force_login(people["staff"])
    assert reverse("repairs:asset_import") in client.get(reverse("repairs:assets")).text
    client.force_login(people["school_user"])
    assert reverse("repairs:asset_import") not in client.get(reverse("repairs:assets")).text


def test_the_list_needs_a_login(client):
    response = client.get(reverse("repairs:assets"), {"school_name": "บ้าน"})
    assert response.status_code == 302
    assert "login" in response["Location"]


# The asset page ---------------------------------------------------------------------------


def test_detail_is_404_across_schools_and_offices(client, people, teacher_b, outsider, assets):
    def status(user, asset):
        client.force_login(user)
        return client.get(reverse("repairs:asset", args=[asset.pk])).status_code

    assert status(people["school_user"], assets["a"]) == 200
    assert status(people["school_user"], assets["b"]) == 404
    assert status(people["school_user"], assets["own"]) == 404
    assert status(teacher_b, assets["a"]) == 404
    assert status(outsider, assets["a"]) == 404
    assert status(people["staff"], assets["far"]) == 404
    for asset in ("a", "b", "own"):
        assert status(people["staff"], assets[asset]) == 200


def test_detail_shows_the_facts(client, people, school, assets):
    asset = assets["a"]
    asset.location = "ห้องคอมพิวเตอร์ 1"
    asset.acquired_on = "2024-03-15"
    asset.save()
    client.force_login(people["school_user"])
    html = client.get(reverse("repairs:asset", args=[asset.pk])).text
    for text in ("7440-001-0001/65", "SN-A", "Acer", "Veriton", school.name_th, "ห้องคอมพิวเตอร์ 1"):
        assert text in html
    assert "15 มีนาคม พ.ศ. 2567" in html


def test_detail_shows_the_repair_history_newest_first(client, people, school, assets):
    definition_import(json.loads(FIXTURE.read_text("utf-8")))
    asset = assets["a"]

    def file(symptom):
        return ticket_file(
            requester=people["school_user"],
            school=school,
            category="computer",
            symptom=symptom,
            location="ห้องคอม",
            urgency="normal",
            contact_phone="081-234-5678",
            asset=asset,
        )

    first, second = file("เปิดไม่ติด"), file("จอดับ")
    client.force_login(people["school_user"])
    response = client.get(reverse("repairs:asset", args=[asset.pk]))
    assert [t.pk for t in response.context["tickets"]] == [second.pk, first.pk]
    html = response.text
    assert html.index(second.reference) < html.index(first.reference)
    assert f'href="{first.get_absolute_url()}"' in html
    # Another asset's page has no history.
    client.force_login(people["staff"])
    other = client.get(reverse("repairs:asset", args=[assets["b"].pk]))
    assert list(other.context["tickets"]) == []


# Import page ------------------------------------------------------------------------------


def xlsx_upload(rows, name="assets.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER_ROW)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def a_row(school_code="1090010001", number="7440-001-0009/67"):
    return [
        "คอมพิวเตอร์",
        "Lenovo",
        "ThinkCentre",
        "SN-9",
        number,
        school_code,
        "ห้อง 1",
        "15/03/2567",
        "",
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [("school_user", 403), ("school_director", 403), ("director", 403), ("staff", 200)],
)
def test_import_page_get(client, people, role, status):
    client.force_login(people[role])
    assert client.get(reverse("repairs:asset_import")).status_code == status


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """Posts the import form and runs what it queued on commit, as the Celery worker would."""
    from repairs import tasks
    from repairs.services_assets import asset_import_run

    queued: list[int] = []

    def delay(import_id):
        queued.append(import_id)
        return asset_import_run(import_id=import_id)

    monkeypatch.setattr(tasks.run_asset_import_task, "delay", delay)

    def post(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("repairs:asset_import"), data)
        return response

    post.queued = queued
    return post


@pytest.mark.parametrize(
    ("who", "status", "stored"),
    [
        ("school_user", 403, False),
        ("school_director", 403, False),
        ("staff", "done", True),
        ("group_head", "done", True),
        ("deputy_director", 403, False),
        ("director", 403, False),
        ("admin", "done", True),
        ("outsider", "failed", False),  # staff elsewhere: our school is not in their office
    ],
)
def test_import_post_role_matrix(
    client, people, admin_user, outsider, school, worker, who, status, stored
):
    user = {"admin": admin_user, "outsider": outsider}.get(who) or people[who]
    client.force_login(user)
    response = worker(client, {"file": xlsx_upload([a_row()])})
    assert Asset.objects.exists() is stored
    if isinstance(status, int):
        assert response.status_code == status
        assert not AssetImport.objects.exists()
        return
    asset_import = AssetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == asset_import.get_absolute_url()
    assert worker.queued == [asset_import.pk]
    assert asset_import.status == status
    assert asset_import.uploaded_by == user and asset_import.office == user.office
    page = client.get(response["Location"])
    assert page.status_code == 200
    if stored:
        assert Asset.objects.get().office == school.office
    if who == "outsider":
        assert "ไม่ได้อยู่ในสังกัด" in page.text


def test_import_success_shows_the_counts(client, people, school, worker):
    Asset.objects.create(
        office=school.office, school=school, category="printer", asset_number="X-2"
    )
    client.force_login(people["staff"])
    response = worker(client, {"file": xlsx_upload([a_row(), a_row(number="X-2")])})
    page = client.get(response["Location"])
    assert 'id="import-done"' in page.text
    assert "เพิ่มใหม่ 1 แก้ไข 1 จากทั้งหมด 2" in page.text
    assert "2 จาก 2 แถว" in page.text  # rows checked of all
    asset_import = AssetImport.objects.get()
    assert (asset_import.created_count, asset_import.updated_count) == (1, 1)
    assert asset_import.rows_done == asset_import.rows_total == 2
    assert not asset_import.file  # the upload is not kept once imported
    assert Asset.objects.count() == 2
    assert Asset.objects.get(asset_number="X-2").category == "computer"


def test_import_with_bad_rows_shows_thai_errors_and_stores_nothing(client, people, school, worker):
    client.force_login(people["staff"])
    rows = [a_row(), a_row(number="X-2"), a_row(school_code="1099999999", number="X-3")]
    rows[1][7] = "15/03/2026"
    response = worker(client, {"file": xlsx_upload(rows)})
    assert not Asset.objects.exists()
    asset_import = AssetImport.objects.get()
    assert asset_import.status == AssetImport.Status.FAILED
    assert [error["row"] for error in asset_import.errors] == [3, 4]
    html = client.get(response["Location"]).text
    assert 'id="import-errors"' in html
    assert "แถวที่ 3:" in html and "ดูเหมือนเป็นปี ค.ศ." in html
    assert "แถวที่ 4:" in html and "ไม่พบโรงเรียนรหัส 1099999999" in html


def test_import_csv_with_bom_through_the_page(client, people, school, worker):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER_ROW)
    writer.writerow(a_row())
    upload = SimpleUploadedFile("assets.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    client.force_login(people["group_head"])
    worker(client, {"file": upload})
    assert AssetImport.objects.get().status == AssetImport.Status.DONE
    assert Asset.objects.get().school == school


def test_import_dry_run_through_the_page(client, people, school, worker):
    client.force_login(people["staff"])
    response = worker(client, {"file": xlsx_upload([a_row()]), "dry_run": "on"})
    assert AssetImport.objects.get().status == AssetImport.Status.CHECKED
    assert 'id="import-checked"' in client.get(response["Location"]).text
    assert not Asset.objects.exists()


def test_an_admin_without_office_is_told_and_cannot_post(client, db):
    root = make_user("admin", username="root2")
    root.office = None
    root.save()
    client.force_login(root)
    response = client.get(reverse("repairs:asset_import"))
    assert response.status_code == 200
    assert response.context["office"] is None
    assert 'type="file"' not in response.text
    response = client.post(reverse("repairs:asset_import"), {"file": xlsx_upload([a_row()])})
    assert response.status_code == 403
    assert not AssetImport.objects.exists()


def test_import_refuses_other_file_types(client, people):
    client.force_login(people["staff"])
    upload = SimpleUploadedFile("assets.pdf", b"%PDF-1.4")
    response = client.post(reverse("repairs:asset_import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


# Export -----------------------------------------------------------------------------------


def test_export_csv_is_the_filtered_visible_list_with_formulas_neutralised(client, people, assets):
    Asset.objects.filter(pk=assets["b"].pk).update(note="=cmd|' /C calc'!A0")
    client.force_login(people["staff"])
    response = client.get(reverse("repairs:asset_export"), {"format": "csv", "category": "printer"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == HEADER_ROW[:5]
    assert [row[4] for row in rows[1:]] == ["7440-002-0001/66"]
    assert rows[1][-1] == "'=cmd|' /C calc'!A0"


def test_export_xlsx_of_a_school_user_has_only_their_school(client, people, assets):
    client.force_login(people["school_user"])
    response = client.get(reverse("repairs:asset_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [row[4] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert numbers == ["7440-001-0001/65"]
    assert len(numbers) == 1  # not the other school's, not the far office's same number


# Admin ------------------------------------------------------------------------------------


@pytest.fixture
def superuser(office):
    user = make_user("admin", office=office, username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_admin_pages_open(client, superuser, assets):
    client.force_login(superuser)
    for name in ("changelist", "export", "add"):
        assert client.get(reverse(f"admin:repairs_asset_{name}")).status_code == 200, name
    response = client.get(reverse("admin:repairs_asset_changelist"), {"q": "SN-B"})
    assert list(response.context["cl"].result_list) == [assets["b"]]
    assert client.get(reverse("admin:repairs_slatarget_changelist")).status_code == 200


@pytest.mark.parametrize("step", ["import", "process_import"])
def test_the_admins_import_leads_to_the_background_import_and_parses_nothing(
    client, superuser, school, monkeypatch, step
):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("the admin's request parsed a spreadsheet")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    client.force_login(superuser)
    url = reverse(f"admin:repairs_asset_{step}")
    response = client.post(
        url, {"import_file": xlsx_upload([a_row()]), "format": "1", "resource": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:asset_import")
    assert client.get(url)["Location"] == reverse("repairs:asset_import")
    assert not Asset.objects.exists() and not AssetImport.objects.exists()


def test_admin_asset_form_refuses_a_school_of_another_office(client, superuser, far_office):
    far_school = School.objects.create(
        office=far_office, obec_code="1090090009", smis_code="90090009", name_th="ไกล", district="ก"
    )
    client.force_login(superuser)
    response = client.post(
        reverse("admin:repairs_asset_add"),
        {
            "office": superuser.office_id,
            "school": far_school.pk,
            "category": "computer",
            "status": "in_use",
            "asset_number": "X-1",
        },
    )
    assert response.status_code == 200
    assert "school" in response.context["adminform"].form.errors
    assert not Asset.objects.exists()


def test_sla_targets_are_edited_in_the_list(client, superuser):
    for priority, hours, days in [("low", 16, 10), ("critical", 2, 1), ("normal", 8, 5)]:
        SlaTarget.objects.get_or_create(
            priority=priority, defaults={"first_response_hours": hours, "resolve_days": days}
        )
    client.force_login(superuser)
    response = client.get(reverse("admin:repairs_slatarget_changelist"))
    shown = [target.priority for target in response.context["cl"].result_list]
    assert shown == sorted(shown, key=["low", "normal", "high", "critical"].index)
    assert "form-0-first_response_hours" in response.text  # editable in place

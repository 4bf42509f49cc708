"""Every data-round page and action for every role, masking on screen and in exports, the
audited full export, the progress partial and the PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dmc_emis import checks
from dmc_emis.models import DataImport, Finding, NationalIdDisclosure, RoundSchool
from tests.render_jobs import fetch_pdf

from .helpers import COUNT_HEADER, STUDENT_HEADER, csv_upload, run_import, with_check_digit

pytestmark = pytest.mark.django_db

A = "1090010001"
FULL_ID = with_check_digit("110170020703")
BAD_ID = "1234567890122"


def actor(who, people, teacher_b, admin_user, outsider):
    return {"teacher_b": teacher_b, "admin": admin_user, "outsider": outsider}.get(who) or people[
        who
    ]


@pytest.fixture
def with_students(open_round, people):
    deadline = open_round.deadline_on
    birth = f"01/01/{deadline.year - 7 + 543}"
    run_import(
        open_round,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, FULL_ID, "สมชาย", "ใจดี", "ป.1", "ช", birth],
                [A, BAD_ID, "สมหญิง", "ใจงาม", "ป.1", "ญ", birth],
            ]
        ),
    )
    return open_round


ROLES = ["school_user", "teacher_b", "staff", "group_head", "director", "admin", "outsider"]


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 403, 200, 200, 200, 200, 404], strict=True)),
)
def test_the_board_is_for_the_office(
    client, people, teacher_b, admin_user, outsider, open_round, who, status
):
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    assert client.get(open_round.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [404, 404, 302, 302, 403, 302, 404], strict=True)),
)
def test_only_ict_staff_open_a_round(
    client,
    people,
    teacher_b,
    admin_user,
    outsider,
    data_round,
    round_processes,
    school,
    who,
    status,
):
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    response = client.post(reverse("dmc_emis:open", args=[data_round.pk]))
    assert response.status_code == status
    assert RoundSchool.objects.exists() is (status == 302)


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 403, 302, 302, 403, 302, 404], strict=True)),
)
def test_only_ict_staff_import(
    client, people, teacher_b, admin_user, outsider, open_round, who, status
):
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    upload = csv_upload([COUNT_HEADER, [A, "ป.1", 1, 1]])
    response = client.post(
        reverse("dmc_emis:import_create", args=[open_round.pk]), {"file": upload}
    )
    assert response.status_code == status
    assert DataImport.objects.exists() is (status == 302)


def test_a_bad_upload_is_explained_on_the_board(client, people, open_round):
    client.force_login(people["staff"])
    response = client.post(
        reverse("dmc_emis:import_create", args=[open_round.pk]),
        {"file": csv_upload([["x"]], name="notes.docx")},
    )
    assert response.status_code == 400
    assert "CSV" in response.content.decode()


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [200, 404, 200, 200, 200, 200, 404], strict=True)),
)
def test_a_schools_page_is_its_own_and_the_offices(
    client, people, teacher_b, admin_user, outsider, open_round, school, who, status
):
    entry = RoundSchool.objects.get(round=open_round, school=school)
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    assert client.get(entry.get_absolute_url()).status_code == status


ANSWER_ROLES = [*ROLES, "school_director"]


@pytest.mark.parametrize(
    "who, status",
    list(zip(ANSWER_ROLES, [302, 404, 403, 403, 403, 403, 404, 302], strict=True)),
)
def test_only_the_school_answers_its_issues(
    client, people, teacher_b, admin_user, outsider, with_students, who, status
):
    finding = Finding.objects.get(rule="national_id")
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    response = client.post(
        reverse("dmc_emis:answer", args=[finding.pk]), {f"f{finding.pk}-answer": "แก้ไขใน DMC แล้ว"}
    )
    assert response.status_code == status
    finding.refresh_from_db()
    assert (finding.status == Finding.Status.ANSWERED) is (status == 302)


def test_an_empty_answer_is_refused_and_the_page_keeps_the_form(client, people, with_students):
    finding = Finding.objects.get(rule="national_id")
    client.force_login(people["school_user"])
    response = client.post(
        reverse("dmc_emis:answer", args=[finding.pk]), {f"f{finding.pk}-answer": "  "}
    )
    assert response.status_code == 400
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 404, 302, 302, 403, 302, 404], strict=True)),
)
def test_only_ict_staff_resolve_issues(
    client, people, teacher_b, admin_user, outsider, with_students, who, status
):
    finding = Finding.objects.get(rule="national_id")
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    assert client.post(reverse("dmc_emis:resolve", args=[finding.pk])).status_code == status
    finding.refresh_from_db()
    assert (finding.status == Finding.Status.RESOLVED) is (status == 302)
    entry = finding.entry
    entry.refresh_from_db()
    assert entry.open_findings == (0 if status == 302 else 1)


@pytest.mark.parametrize("who", ["school_user", "school_director", "staff", "director", "admin"])
def test_no_page_shows_a_national_id_in_full(
    client, people, teacher_b, admin_user, outsider, with_students, school, who
):
    entry = RoundSchool.objects.get(round=with_students, school=school)
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "1-1017-xxxxx-xx-" in page and "1-2345-xxxxx-xx-2" in page
    assert FULL_ID not in page and BAD_ID not in page


def test_exports_of_the_board_and_the_issues_mask_ids(client, people, with_students):
    client.force_login(people["staff"])
    board = client.get(reverse("dmc_emis:board_export", args=[with_students.pk]) + "?format=csv")
    assert board.status_code == 200 and A in board.content.decode("utf-8-sig")
    findings = client.get(
        reverse("dmc_emis:findings_export", args=[with_students.pk]) + "?format=csv"
    )
    text = findings.content.decode("utf-8-sig")
    assert "1-2345-xxxxx-xx-2" in text and BAD_ID not in text
    xlsx = client.get(reverse("dmc_emis:findings_export", args=[with_students.pk]))
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 403, 403, 403, 403, 200, 404], strict=True)),
)
def test_only_the_admin_exports_ids_in_full_and_it_is_recorded(
    client, people, teacher_b, admin_user, outsider, with_students, who, status
):
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    url = reverse("dmc_emis:national_ids", args=[with_students.pk])
    response = client.post(url, {"reason": "ส่งข้อมูลให้ สพฐ. ตามหนังสือที่ ศธ 04001/123"})
    assert response.status_code == status
    if status == 200:
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "1-1017-00207-03-" in text
        disclosure = NationalIdDisclosure.objects.get()
        assert (disclosure.user, disclosure.rows) == (admin_user, 2)
    else:
        assert not NationalIdDisclosure.objects.exists()


def test_a_full_export_without_a_reason_is_refused(client, admin_user, with_students):
    client.force_login(admin_user)
    response = client.post(
        reverse("dmc_emis:national_ids", args=[with_students.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert not NationalIdDisclosure.objects.exists()


def test_the_import_page_polls_its_progress(client, people, with_students):
    data_import = DataImport.objects.get()
    client.force_login(people["staff"])
    full = client.get(data_import.get_absolute_url()).content.decode()
    partial = client.get(data_import.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in partial
    assert 'data-status="done"' in partial and "hx-get" not in partial
    DataImport.objects.filter(pk=data_import.pk).update(status="running", progress=40)
    running = client.get(data_import.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" in running and "40%" in running


def test_the_board_filters_counts_and_counts_down(client, people, with_students):
    client.force_login(people["staff"])
    page = client.get(with_students.get_absolute_url() + "?issues=1").content.decode()
    assert 'data-school="1090010001"' in page and 'data-school="1090010002"' not in page
    assert "data-countdown" in page and "<svg" in page
    page = client.get(with_students.get_absolute_url() + "?status=bogus&page=x").content.decode()
    assert 'data-school="1090010002"' in page


def test_the_director_sees_the_board_and_the_acknowledgement_once_summarised(
    client, people, open_round
):
    from processes.services import task_complete

    client.force_login(people["director"])
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "/decide/" not in page and "import_create" not in page
    task_complete(
        task=open_round.ack_case.tasks.get(status="open"),
        user=people["staff"],
        outcome="done",
        data={},
    )
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "/decide/" in page
    assert 'name="file"' not in page  # read-only: no import for the director


def test_the_summary_pdf(client, people, with_students):
    client.force_login(people["director"])
    pdf = fetch_pdf(client, reverse("dmc_emis:summary_pdf", args=[with_students.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert pdf.job.filename == f"dmc-round-{with_students.pk}.pdf"


def test_the_school_sees_its_rounds_and_the_office_all(client, people, open_round):
    client.force_login(people["school_user"])
    assert open_round.title in client.get(reverse("dmc_emis:index")).content.decode()
    client.force_login(people["staff"])
    assert open_round.get_absolute_url() in client.get(reverse("dmc_emis:index")).content.decode()


def test_the_home_page_shows_the_round_for_the_school_and_the_office(client, people, open_round):
    client.force_login(people["school_user"])
    page = client.get("/").content.decode()
    assert open_round.title in page and "ยังไม่เริ่ม" in page
    client.force_login(people["group_head"])
    page = client.get("/").content.decode()
    assert open_round.get_absolute_url() in page


def test_an_id_typed_into_an_answer_reaches_the_office_masked(client, people, with_students):
    """PDPA: the school may paste a student's full ID; office roles read it masked."""
    finding = Finding.objects.get(rule="national_id")
    full = "1-1000-00000-01-6"
    assert checks.national_id_is_valid(checks.clean_national_id(full))
    client.force_login(people["school_user"])
    client.post(
        reverse("dmc_emis:answer", args=[finding.pk]),
        {f"f{finding.pk}-answer": f"แก้เลขเป็น {full} และ ๑๑๐๐๐๐๐๐๐๐๐๑๖ แล้ว โทร 0812345678"},
    )
    finding.refresh_from_db()
    assert "1-1000-xxxxx-xx-6" in finding.answer
    assert "1100000000016" not in finding.answer and full not in finding.answer
    assert "๑๑๐๐๐๐๐๐๐๐๐๑๖" not in finding.answer
    assert "0812345678" in finding.answer  # a phone number is not an ID
    client.force_login(people["staff"])
    page = client.get(finding.entry.get_absolute_url()).content.decode()
    assert "1-1000-xxxxx-xx-6" in page and full not in page

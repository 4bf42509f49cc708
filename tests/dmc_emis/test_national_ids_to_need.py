"""PDPA, issue 18 item 2: a round seeded with students whose national IDs are known, then every
page and export of the data rounds walked as every role, looking for any of those IDs in full
(plain, dashed as on the card, spaced, in Thai digits). Only the administrator's audited export
holds them; the database holds them sealed."""

from __future__ import annotations

import io
import logging
import sys
import zipfile

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import RoleCode
from core.fieldcrypt import DecryptionError, FieldCipher
from core.logmask import MaskIdNumbers
from dmc_emis import checks
from dmc_emis.models import (
    DataImport,
    Finding,
    FindingRule,
    NationalIdDisclosure,
    RoundSchool,
    StudentRecord,
)
from tests.factories import make_user
from tests.render_jobs import eager_worker, job_of

from .helpers import STUDENT_HEADER, csv_upload, run_import, with_check_digit

pytestmark = pytest.mark.django_db

A, B = "1090010001", "1090010002"
ONCE = with_check_digit("110170020703")  # one student of school A
TWICE = with_check_digit("310100123456")  # listed twice by school A
BOTH = with_check_digit("150990001234")  # listed by school A and by school B
BAD_CHECKSUM = "1234567890122"  # a mistyped ID is still someone's
IN_ERRORS = with_check_digit("370050077788")  # typed into the wrong columns of a broken file
IN_ANSWER_THAI = with_check_digit("199000111222")  # a school pastes it in Thai digits
IN_ANSWER_DASHED = with_check_digit("288000333444")  # and another, dashed as on the card
STORED = [ONCE, TWICE, BOTH, BAD_CHECKSUM]
ALL_IDS = [*STORED, IN_ERRORS, IN_ANSWER_THAI, IN_ANSWER_DASHED]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def dashed(value: str) -> str:
    return checks.format_national_id(value)


def spellings(value: str) -> list[str]:
    """Every way the number could be written out in full."""
    spaced = dashed(value).replace("-", " ")
    return [
        value,
        dashed(value),
        spaced,
        value.translate(THAI),
        dashed(value).translate(THAI),
    ]


FORBIDDEN = [(value, form) for value in ALL_IDS for form in spellings(value)]


def assert_no_full_id(text: str, where: str) -> None:
    for value, form in FORBIDDEN:
        assert form not in text, f"{where}: national ID {checks.mask_national_id(value)} in full"


def body_text(response) -> str:
    """What a response carries, as text: pages, CSV, the XML inside an XLSX, a PDF's text."""
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


@pytest.fixture
def seeded(open_round, people, school, other_school, teacher_b):
    """Two imports (one good, one broken), the findings they raise and the schools' answers."""
    deadline = open_round.deadline_on
    birth = f"01/01/{deadline.year - 7 + 543}"
    good = run_import(
        open_round,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, ONCE, "สมชาย", "ใจดี", "ป.1", "ช", birth],
                [A, TWICE, "สมหญิง", "ใจงาม", "ป.1", "ญ", birth],
                [A, dashed(TWICE), "สมหญิง", "ใจงาม", "ป.1", "ญ", birth],
                [A, BOTH, "สมศักดิ์", "รักเรียน", "ป.1", "ช", birth],
                [A, BAD_CHECKSUM, "สมใจ", "ตั้งใจ", "ป.1", "ญ", birth],
                [B, BOTH.translate(THAI), "สมศักดิ์", "รักเรียน", "ป.1", "ช", birth],
            ],
            name=f"{ONCE}.csv",
        ),
    )
    assert good.status == DataImport.Status.DONE, good.errors
    broken = run_import(
        open_round,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, ONCE, "ก", "ข", dashed(IN_ERRORS), "ช", birth],
                [A, ONCE, "ก", "ข", "ป.1", "ช", IN_ERRORS],
            ]
        ),
    )
    assert broken.status == DataImport.Status.FAILED and len(broken.errors) == 2
    rules = set(Finding.objects.values_list("rule", flat=True))
    assert {
        FindingRule.NATIONAL_ID,
        FindingRule.DUPLICATE_IN_SCHOOL,
        FindingRule.DUPLICATE_ACROSS,
    } <= rules
    answers = []
    for user, entry_school, text in (
        (people["school_user"], school, f"แก้แล้ว เลขที่ถูกคือ {IN_ANSWER_THAI.translate(THAI)}"),
        (teacher_b, other_school, f"นักเรียนย้ายมา เลข {dashed(IN_ANSWER_DASHED)}"),
    ):
        finding = Finding.objects.filter(entry__school=entry_school).first()
        assert finding is not None
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("dmc_emis:answer", args=[finding.pk]),
            {f"f{finding.pk}-answer": text},
            follow=True,
        )
        assert response.status_code == 200
        answers.append(body_text(response))
    return {"round": open_round, "imports": [good, broken], "answer_pages": answers}


def everyone(people, teacher_b, admin_user, outsider, office):
    superuser = make_user(
        RoleCode.ADMIN, office=office, username="root", password="x", is_superuser=True
    )
    return {
        "anonymous": None,
        **people,
        "teacher_b": teacher_b,
        "admin": admin_user,
        "outsider": outsider,
        "superuser": superuser,
    }


def portal_urls(seeded) -> list[str]:
    round_ = seeded["round"]
    pk = round_.pk
    urls = [
        "/",
        reverse("dmc_emis:index"),
        round_.get_absolute_url(),
        round_.get_absolute_url() + "?issues=1",
        reverse("dmc_emis:board_export", args=[pk]),
        reverse("dmc_emis:board_export", args=[pk]) + "?format=csv",
        reverse("dmc_emis:findings_export", args=[pk]),
        reverse("dmc_emis:findings_export", args=[pk]) + "?format=csv",
        reverse("dmc_emis:summary_pdf", args=[pk]),
        reverse("processes:inbox"),
        reverse("processes:my_tasks"),
        reverse("school_map:index"),
    ]
    urls += [data_import.get_absolute_url() for data_import in seeded["imports"]]
    for entry in RoundSchool.objects.filter(round=round_).select_related("case"):
        urls.append(entry.get_absolute_url())
        if entry.case:
            urls.append(reverse("processes:case", args=[entry.case.reference]))
    return urls


ADMIN_MODELS = [
    "dmc_emis/roundtemplate",
    "dmc_emis/round",
    "dmc_emis/roundschool",
    "dmc_emis/dataimport",
    "dmc_emis/finding",
    "dmc_emis/nationaliddisclosure",
    "processes/notification",
    "processes/caseevent",
]


def admin_urls() -> list[str]:
    urls = [f"/admin/{model}/" for model in ADMIN_MODELS]
    urls += [
        f"/admin/dmc_emis/finding/{pk}/change/"
        for pk in Finding.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/admin/dmc_emis/dataimport/{pk}/change/"
        for pk in DataImport.objects.values_list("pk", flat=True)
    ]
    return urls


def test_no_page_export_message_or_mail_shows_a_full_id_to_any_role(
    seeded, people, teacher_b, admin_user, outsider, office
):
    for text in seeded["answer_pages"]:
        assert_no_full_id(text, "the page after an answer")
    urls = portal_urls(seeded)
    seen = pdfs = 0
    for role, user in everyone(people, teacher_b, admin_user, outsider, office).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        role_urls = urls + (admin_urls() if role == "superuser" else [])
        for url in role_urls:
            with eager_worker():  # the summary PDF renders in a worker: here, at once
                response = client.get(url)
            assert response.status_code < 500, (role, url)
            assert_no_full_id(body_text(response), f"{role} GET {url}")
            if response.status_code == 200:
                seen += 1
            if response.status_code == 302 and response.url.startswith("/files/"):
                download = client.get(job_of(response).get_absolute_url() + "download/")
                assert download.status_code == 200, (role, url)
                assert_no_full_id(body_text(download), f"{role} PDF of {url}")
                pdfs += 1
        for data_import in seeded["imports"]:  # the progress partial the page polls
            partial = client.get(data_import.get_absolute_url(), HTTP_HX_REQUEST="true")
            assert_no_full_id(body_text(partial), f"{role} progress of {data_import.pk}")
    assert seen > 100  # the walk saw pages, not only refusals
    assert pdfs >= 4  # and the summary PDF of those who may read the whole round
    for message in mail.outbox:
        assert_no_full_id(f"{message.subject}\n{message.body}", "an e-mail")


def test_the_office_reads_what_it_needs_masked(client, seeded, people, school):
    """Masking keeps what the office needs: which student, which row, which other school."""
    client.force_login(people["staff"])
    entry = RoundSchool.objects.get(round=seeded["round"], school=school)
    page = body_text(client.get(entry.get_absolute_url()))
    for value in STORED:
        assert checks.mask_national_id(value) in page
    broken = body_text(client.get(seeded["imports"][1].get_absolute_url()))
    assert checks.mask_national_id(IN_ERRORS) in broken
    findings = body_text(
        client.get(reverse("dmc_emis:findings_export", args=[seeded["round"].pk]) + "?format=csv")
    )
    assert checks.mask_national_id(BOTH) in findings and B in findings
    assert checks.mask_national_id(IN_ANSWER_DASHED) in findings


def test_the_yearly_report_and_its_export_pack_mask_ids(seeded, office, admin_user):
    """The round's part of the yearly report and of the admin's export pack (reports app)."""
    from core.thaitime import fiscal_year_of
    from dmc_emis.report_providers import rounds_export, rounds_section

    fiscal_year = fiscal_year_of(seeded["round"].deadline_on)
    section = rounds_section(office, fiscal_year)
    assert section is not None
    assert_no_full_id(repr(section), "the yearly report's section")
    files = rounds_export(office, fiscal_year, admin_user)
    findings = [f for f in files if f.filename == "round-findings.xlsx"]
    assert findings and len(findings[0].dataset) == Finding.objects.count()
    for export in files:
        assert_no_full_id(export.dataset.export("csv"), export.filename)
    assert checks.mask_national_id(IN_ANSWER_THAI) in findings[0].dataset.export("csv")


def test_only_the_audited_export_holds_the_ids_in_full(client, seeded, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("dmc_emis:national_ids", args=[seeded["round"].pk]),
        {"reason": "ส่งข้อมูลให้ สพฐ. ตามหนังสือที่ ศธ 04001/123"},
    )
    assert response.status_code == 200
    text = body_text(response)
    for value in (ONCE, TWICE, BOTH):
        assert dashed(value) in text
    assert dashed(BAD_CHECKSUM) in text  # a mistyped ID leaves as stored
    disclosure = NationalIdDisclosure.objects.get()
    assert (disclosure.user, disclosure.rows) == (admin_user, 6)


def test_the_database_holds_no_id_in_plain(seeded):
    """Raw SQL, past the ORM: the students' table and every other table of the data rounds."""
    tables = [
        model._meta.db_table
        for model in (StudentRecord, Finding, DataImport, RoundSchool, NationalIdDisclosure)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")
            dump = "\n".join(repr(row) for row in cursor.fetchall())
            assert_no_full_id(dump, f"table {table}")
        cursor.execute(
            f"SELECT national_id_encrypted, national_id_hash FROM {StudentRecord._meta.db_table}"
        )
        sealed = cursor.fetchall()
    assert len(sealed) == 6 and all(token.startswith("g1:") for token, _digest in sealed)
    hashes = [digest for _token, digest in sealed]
    assert all(len(digest) == 64 for digest in hashes)
    assert len(set(hashes)) == 4  # TWICE twice and BOTH twice: equal numbers, equal hashes


def test_look_ups_go_through_the_keyed_hash(seeded, school, other_school):
    both = StudentRecord.objects.filter(
        round=seeded["round"], national_id_hash=StudentRecord.hash_of(BOTH)
    )
    assert {s.entry.school for s in both} == {school, other_school}
    assert {s.national_id_in_full() for s in both} == {BOTH}
    assert {f.subject_key for f in Finding.objects.filter(rule=FindingRule.DUPLICATE_ACROSS)} == {
        StudentRecord.hash_of(BOTH)
    }


def test_the_uploaded_files_are_gone_once_imported(seeded):
    for data_import in DataImport.objects.all():
        assert data_import.file.name == ""
    assert all(ONCE not in d.original_name for d in DataImport.objects.all())


def test_a_value_sealed_under_another_key_does_not_open():
    mine, theirs = FieldCipher("key one", "a.column"), FieldCipher("key two", "a.column")
    token = mine.encrypt(ONCE)
    assert mine.decrypt(token) == ONCE and ONCE not in token
    assert mine.encrypt(ONCE) != token  # a fresh nonce each time
    with pytest.raises(DecryptionError):
        theirs.decrypt(token)
    with pytest.raises(DecryptionError):  # another column's token does not open here either
        FieldCipher("key one", "another.column").decrypt(token)
    assert mine.lookup_hash(ONCE) == mine.lookup_hash(ONCE) != theirs.lookup_hash(ONCE)
    assert mine.encrypt("") == "" and mine.lookup_hash("") == ""


def test_a_record_sealed_under_another_key_shows_a_mark_not_a_crash(seeded, settings, school):
    settings.PORTAL_FIELD_KEY = "a different key"
    student = StudentRecord.objects.filter(entry__school=school).first()
    assert student is not None and student.masked_national_id == "?"


def test_logs_mask_ids_in_messages_and_tracebacks():
    try:
        raise ValueError(f"bad cell {dashed(ONCE)}")
    except ValueError:
        record = logging.LogRecord(
            "dmc_emis", logging.ERROR, __file__, 1, "row %s: %s", (3, ONCE), sys.exc_info()
        )
    assert MaskIdNumbers().filter(record)
    text = logging.Formatter().format(record)
    assert checks.mask_national_id(ONCE) in text
    assert_no_full_id(text, "a log line")


def test_production_settings_refuse_to_start_without_a_field_key():
    import os
    import subprocess

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PORTAL_FIELD_KEY", "PORTAL_DEMO", "DJANGO_DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY="x" * 50)
    code = "import django; django.setup()"
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0 and "PORTAL_FIELD_KEY is not set" in run.stderr
    env["PORTAL_FIELD_KEY"] = "y" * 48
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr


def test_a_new_field_key_reseals_every_id_and_findings_follow(seeded, settings, monkeypatch):
    from django.core.management import CommandError, call_command

    before = {s.pk: s.national_id_in_full() for s in StudentRecord.objects.all()}
    old_key = settings.PORTAL_FIELD_KEY
    settings.PORTAL_FIELD_KEY = "the office's new field key"
    monkeypatch.delenv("PORTAL_FIELD_KEY_OLD", raising=False)
    with pytest.raises(CommandError):  # the old key must be given, in the environment
        call_command("rotate_field_key")
    monkeypatch.setenv("PORTAL_FIELD_KEY_OLD", "not the old key")
    with pytest.raises(CommandError):  # a wrong old key changes nothing
        call_command("rotate_field_key")
    assert all(s.masked_national_id == "?" for s in StudentRecord.objects.all())

    monkeypatch.setenv("PORTAL_FIELD_KEY_OLD", old_key)
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert f"{len(before)} IDs re-encrypted" in out.getvalue()
    assert {s.pk: s.national_id_in_full() for s in StudentRecord.objects.all()} == before
    assert {f.subject_key for f in Finding.objects.filter(rule=FindingRule.DUPLICATE_ACROSS)} == {
        StudentRecord.hash_of(BOTH)  # under the new key
    }
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)  # a rerun finds nothing left to do
    assert f"0 IDs re-encrypted, {len(before)} already under the new key" in out.getvalue()

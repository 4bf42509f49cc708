"""The yearly report and export pack jobs: content, progress, all-or-nothing files, schedule,
access to the downloads, and the monthly summary."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Office, RoleCode
from core import thaitime
from core.registry import Section, register_section, section_providers
from processes.models import Notification
from reports import services
from reports.models import ReportJob
from reports.services import (
    monthly_summary_send,
    report_job_request,
    report_job_run,
    scheduled_yearly_jobs,
)
from tests.factories import make_user
from tests.reports.helpers import approved_by_acting_director, pdf_text

pytestmark = pytest.mark.django_db

CURRENT = thaitime.fiscal_year_of(timezone.localdate())


@pytest.fixture
def admin_user(office):
    return make_user(RoleCode.ADMIN, office=office, username="officeadmin")


def run(job: ReportJob) -> ReportJob:
    return report_job_run(job_id=job.pk)


def test_yearly_report_has_cover_contents_processes_and_charts(
    plan_definition, people, django_capture_on_commit_callbacks
):
    approved_by_acting_director(plan_definition, people)
    with django_capture_on_commit_callbacks():
        job = report_job_request(
            user=people["director"], kind=ReportJob.Kind.YEARLY_REPORT, fiscal_year=CURRENT
        )
    job = run(job)
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    path = Path(settings.MEDIA_ROOT) / job.file
    assert path.is_file() and job.size == path.stat().st_size
    assert [p.name for p in path.parent.iterdir()] == [job.download_name]  # nothing half-made
    text = pdf_text(path.read_bytes())
    year = thaitime.to_thai_digits(CURRENT)
    assert f"ปีงบประมาณ พ.ศ. {year}" in text
    assert "สพป.ทดสอบ เขต ๑" in text
    assert "สารบัญ" in text
    assert "บทที่ ๑\nงานแผนงานและโครงการ" in text  # the plan process's area of work
    assert "จัดทำแผนทดสอบ" in text  # the process, in the summary table and its own block
    assert "จำนวนเรื่องตามกระบวนงาน" in text  # a chart's title, drawn as SVG
    assert "หน้า ๑ /" not in text.split("\f")[0]  # the cover carries no page number


def test_a_later_app_plugs_a_section_in_through_the_registry(plan_definition, people):
    def loans(office, fiscal_year):
        return Section(key="example", title="บริการตัวอย่างของแอปใหม่", figures=[("ยืมออก", 7)])

    before = dict(section_providers())
    register_section("example", loans, order=60)
    try:
        job = ReportJob.objects.create(
            office=people["director"].office, kind=ReportJob.Kind.YEARLY_REPORT, fiscal_year=CURRENT
        )
        text = pdf_text((Path(settings.MEDIA_ROOT) / run(job).file).read_bytes())
    finally:
        from core import registry

        registry._sections.pop("example")
    assert "บริการตัวอย่างของแอปใหม่" in text and "ยืมออก" in text
    assert dict(section_providers()) == before


def test_export_pack_holds_one_workbook_per_list_with_thai_headers(
    plan_definition, people, admin_user
):
    approved_by_acting_director(plan_definition, people)
    job = ReportJob.objects.create(
        office=admin_user.office,
        kind=ReportJob.Kind.EXPORT_PACK,
        fiscal_year=CURRENT,
        requested_by=admin_user,
    )
    job = run(job)
    archive = zipfile.ZipFile(Path(settings.MEDIA_ROOT) / job.file)
    names = set(archive.namelist())
    assert {
        "accounts/schools.xlsx",
        "accounts/users.xlsx",
        "processes/cases.xlsx",
        "processes/case-steps.xlsx",
        "repairs/repair-tickets.xlsx",
        "repairs/assets.xlsx",
    } <= names
    sheet = load_workbook(io.BytesIO(archive.read("processes/case-steps.xlsx"))).active
    title, *rows = sheet.iter_rows(values_only=True)
    assert title[0] == "ขั้นตอนของเรื่อง"
    assert rows[0][:3] == ("เลขที่เรื่อง", "เรื่อง", "กระบวนงาน")
    assert "ปฏิบัติราชการแทน/รักษาราชการแทน" in rows[0]
    assert len(rows) == 1 + 3  # draft, group head, director


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler of ours runs."""


def test_a_worker_killed_mid_export_leaves_no_file_and_the_retry_completes(
    plan_definition, people, admin_user, monkeypatch
):
    approved_by_acting_director(plan_definition, people)
    job = ReportJob.objects.create(
        office=admin_user.office, kind=ReportJob.Kind.EXPORT_PACK, fiscal_year=CURRENT
    )
    real_xlsx = services.xlsx_bytes
    written = []

    def dies_on_the_third_file(dataset, **kwargs):
        written.append(1)
        if len(written) == 3:
            raise Killed
        return real_xlsx(dataset, **kwargs)

    monkeypatch.setattr(services, "xlsx_bytes", dies_on_the_third_file)
    with pytest.raises(Killed):
        run(job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING and not job.file
    # The pack was being built in the worker's own temporary file: the storage has nothing.
    folder = Path(settings.MEDIA_ROOT) / "reports" / job.office.code / str(CURRENT)
    assert not folder.exists()

    # The redelivered task finds a fresh heartbeat and leaves it; once stale, it takes over.
    monkeypatch.setattr(services, "xlsx_bytes", real_xlsx)
    assert report_job_run(job_id=job.pk) is None
    job = report_job_run(job_id=job.pk, stale_after=datetime.timedelta(0))
    assert job.status == ReportJob.Status.DONE and job.attempts == 2
    assert [p.name for p in folder.iterdir()] == [job.download_name]
    assert len(zipfile.ZipFile(folder / job.download_name).namelist()) >= 6
    # Running it once more does nothing: the job is done.
    assert report_job_run(job_id=job.pk) is None


def test_an_error_marks_the_job_failed_and_stores_nothing(people, monkeypatch):
    job = ReportJob.objects.create(
        office=people["director"].office, kind=ReportJob.Kind.YEARLY_REPORT, fiscal_year=CURRENT
    )

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        run(job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "font missing" in job.error
    assert not (Path(settings.MEDIA_ROOT) / "reports").exists()
    monkeypatch.undo()
    assert run(job).status == ReportJob.Status.DONE


def test_the_schedule_makes_one_report_and_one_pack_per_office_per_closed_year(
    people, django_capture_on_commit_callbacks, monkeypatch
):
    other = Office.objects.create(code="9003", name_th="สพม.ทดสอบ", kind=Office.Kind.SECONDARY)
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    october_2 = datetime.date(2026, 10, 2)  # fiscal year 2570 has begun; 2569 is closed
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduled_yearly_jobs(today=october_2)
    jobs = ReportJob.objects.filter(trigger=ReportJob.Trigger.SCHEDULED)
    assert jobs.count() == 4 and set(jobs.values_list("fiscal_year", flat=True)) == {2569}
    assert set(jobs.values_list("office", flat=True)) == {people["staff"].office_id, other.pk}
    assert sorted(queued) == sorted(first)
    for job in jobs:
        run(job)
    with django_capture_on_commit_callbacks(execute=True):
        again = scheduled_yearly_jobs(today=october_2 + datetime.timedelta(days=1))
    assert again == [] and jobs.count() == 4


def test_the_monthly_summary_reaches_the_director_once(plan_definition, people):
    approved_by_acting_director(plan_definition, people)
    today = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    assert monthly_summary_send(today=today) == 1
    assert monthly_summary_send(today=today) == 1
    summaries = Notification.objects.filter(kind="monthly_summary")
    recipients = set(summaries.values_list("recipient__username", flat=True))
    # The director, and the deputy while acting for them.
    assert "director" in recipients
    assert summaries.filter(recipient=people["director"]).count() == 1
    assert "สรุปผลการปฏิบัติงานประจำเดือน" in summaries.first().subject


@pytest.fixture
def done_jobs(people, admin_user):
    office = people["director"].office
    report = run(
        ReportJob.objects.create(
            office=office, kind=ReportJob.Kind.YEARLY_REPORT, fiscal_year=CURRENT
        )
    )
    pack = run(
        ReportJob.objects.create(
            office=office, kind=ReportJob.Kind.EXPORT_PACK, fiscal_year=CURRENT
        )
    )
    return report, pack


@pytest.mark.parametrize(
    ("who", "report_status", "pack_status"),
    [
        ("admin", 200, 200),
        ("director", 200, 403),
        ("group_head", 200, 403),
        ("deputy_director", 403, 403),
        ("staff", 403, 403),
        ("school_user", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_downloads_are_for_admins_directors_and_group_heads_of_the_office(
    client, people, admin_user, done_jobs, who, report_status, pack_status
):
    if who == "admin":
        user = admin_user
    elif who == "outsider":
        other = Office.objects.create(code="9004", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
        user = make_user(RoleCode.DIRECTOR, office=other, username="outsider")
    else:
        user = people[who]
    client.force_login(user)
    report, pack = done_jobs
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == report_status
    if report_status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("reports:download", args=[pack.pk])).status_code == pack_status
    assert client.get(reverse("reports:job_progress", args=[report.pk])).status_code == (
        report_status
    )


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("admin", "export_pack", 302),
        ("director", "yearly_report", 302),
        ("group_head", "yearly_report", 302),
        ("director", "export_pack", 400),  # not offered to a director: the form refuses it
        ("staff", "yearly_report", 403),
        ("school_user", "yearly_report", 403),
    ],
)
def test_asking_for_a_document_by_role(
    client, people, admin_user, who, kind, status, django_capture_on_commit_callbacks
):
    client.force_login(admin_user if who == "admin" else people[who])
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("reports:request"), {"kind": kind, "fiscal_year": CURRENT})
    assert response.status_code == status
    assert ReportJob.objects.filter(kind=kind).count() == (1 if status == 302 else 0)


def test_a_future_or_nonsense_year_is_refused_with_the_form_kept(client, people):
    client.force_login(people["director"])
    response = client.post(
        reverse("reports:request"), {"kind": "yearly_report", "fiscal_year": "x"}
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_the_progress_card_polls_until_the_job_is_done(client, people):
    job = ReportJob.objects.create(
        office=people["director"].office,
        kind=ReportJob.Kind.YEARLY_REPORT,
        fiscal_year=CURRENT,
        progress=40,
        status=ReportJob.Status.RUNNING,
    )
    client.force_login(people["director"])
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40%" in page
    run(ReportJob.objects.filter(pk=job.pk).update(status="queued") and job)
    card = client.get(reverse("reports:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in card and reverse("reports:download", args=[job.pk]) in card

"""Writes of the reports app: asking for a yearly report or export pack, building it in the
worker with progress and an all-or-nothing file, the schedule's passes, the monthly summary."""

from __future__ import annotations

import base64
import datetime
import functools
import logging
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Office, RoleCode, User
from core import thaitime
from core.pdf import render_pdf
from core.registry import export_providers, section_providers
from core.spreadsheets import xlsx_bytes
from documents.selectors import settings_for
from processes.models import Case, Task
from processes.selectors import role_holders
from processes.services import notify
from reports.models import ReportJob, YearlyReportText
from reports.selectors import can_request_kind

logger = logging.getLogger(__name__)

# A running job whose last progress is older than this lost its worker and may be taken over.
STALE_AFTER = datetime.timedelta(minutes=10)
Progress = Callable[[int, str], None]


# ---------------------------------------------------------------------------------------------
# Asking for a job
# ---------------------------------------------------------------------------------------------


def _check_fiscal_year(fiscal_year: int) -> None:
    current = thaitime.fiscal_year_of(timezone.localdate())
    if not (thaitime.MIN_BE_YEAR <= fiscal_year <= current):
        raise ValidationError(
            {"fiscal_year": _("Choose a fiscal year up to %(year)s.") % {"year": current}}
        )


@transaction.atomic
def report_job_request(*, user: User, kind: str, fiscal_year: int) -> ReportJob:
    """Queue a report or pack of the user's office; the worker builds it after commit."""
    if not can_request_kind(user, kind) or user.office_id is None:
        raise PermissionDenied(_("You cannot ask for this report."))
    _check_fiscal_year(fiscal_year)
    job = ReportJob.objects.create(
        office_id=user.office_id,
        kind=kind,
        fiscal_year=fiscal_year,
        requested_by=user,
        parameters={"fiscal_year": fiscal_year, "language": "th"},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from reports.tasks import run_report_job

    try:
        run_report_job.delay(job_id)
    except Exception:  # any broker failure: the daily pass picks queued jobs up again
        logger.warning("Broker unavailable; report job %s waits for the next pass.", job_id)


# ---------------------------------------------------------------------------------------------
# Building a job (in the worker)
# ---------------------------------------------------------------------------------------------


def _claim(job_id: int, now: datetime.datetime, stale_after: datetime.timedelta) -> bool:
    """Mark the job running for this worker; False if it is done or someone is on it."""
    takeable = Q(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.FAILED]) | Q(
        status=ReportJob.Status.RUNNING, heartbeat_at__lt=now - stale_after
    )
    return bool(
        ReportJob.objects.filter(takeable, pk=job_id).update(
            status=ReportJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error="",
        )
    )


def _progress_for(job_id: int) -> Progress:
    def progress(percent: int, message: str) -> None:
        ReportJob.objects.filter(pk=job_id).update(
            progress=max(0, min(percent, 99)), message=message[:255], heartbeat_at=timezone.now()
        )

    return progress


def report_job_run(
    *, job_id: int, stale_after: datetime.timedelta = STALE_AFTER
) -> ReportJob | None:
    """Build the job's file; None when there was nothing to do (done, or another worker has it).

    The file is built in a temporary file of this worker and handed to the storage (local disk
    or the S3-compatible store every node shares) only when complete, and the job names it only
    once the storage holds all of it: a worker killed while building leaves nothing in the
    storage (killed while storing, a file no job names, replaced by the retry). The job stays
    running until its heartbeat is stale (or failed, on an error), and running it again starts
    afresh.
    """
    if not _claim(job_id, timezone.now(), stale_after):
        return None
    job = ReportJob.objects.select_related("office").get(pk=job_id)
    progress = _progress_for(job.pk)
    name = f"reports/{job.office.code}/{job.fiscal_year}/{job.download_name}"
    try:
        with tempfile.TemporaryFile() as built:
            with translation.override(job.parameters.get("language", "th")):
                if job.kind == ReportJob.Kind.YEARLY_REPORT:
                    built.write(build_yearly_report(job.office, job.fiscal_year, progress=progress))
                else:
                    build_export_pack(
                        job.office, job.fiscal_year, built, user=job.requested_by, progress=progress
                    )
            size = built.tell()
            built.seek(0)
            # A run that died after storing the file but before saying so left it under this
            # name (the job's own); replace it rather than keep both.
            if default_storage.exists(name):
                default_storage.delete(name)
            stored = default_storage.save(name, File(built, name=job.download_name))
    except Exception as error:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        progress=100,
        message="",
        file=stored,
        size=size,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


APPENDIX_LETTERS = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
GARUDA = Path(settings.BASE_DIR) / "static" / "img" / "garuda.png"


def _garuda_data_uri() -> str:
    """The Garuda as a data: URI (PDFs load nothing from disk but the bundled fonts)."""
    return "data:image/png;base64," + base64.b64encode(GARUDA.read_bytes()).decode()


def default_foreword(office: Office, fiscal_year: int) -> str:
    first, last = thaitime.fiscal_year_bounds(fiscal_year)
    group = office.ict_group_name or "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"
    return (
        f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {fiscal_year} ฉบับนี้ {group}"
        f" {office.name_th} จัดทำขึ้นเพื่อสรุปผลการดำเนินงานตามภารกิจของกลุ่ม ระหว่างวันที่"
        f" {thaitime.format_thai_date(first, 'long', language='th').replace('พ.ศ. ', '')} ถึงวันที่"
        f" {thaitime.format_thai_date(last, 'long', language='th').replace('พ.ศ. ', '')}"
        " ตามกระบวนงานในคู่มือการปฏิบัติงาน งานบริการสถานศึกษา งานข้อมูลนักเรียน"
        " และแผนงานโครงการ พร้อมทั้งปัญหา อุปสรรค และข้อเสนอแนะ"
        "\n\n"
        "ข้อมูลในรายงานได้จากระบบงานของกลุ่มโดยตรง เพื่อใช้เป็นข้อมูลประกอบการบริหาร"
        " การวางแผน และการพัฒนางานในปีงบประมาณต่อไป ขอขอบคุณผู้บริหาร บุคลากร"
        " และสถานศึกษาในสังกัดทุกแห่งที่ให้ความร่วมมือในการดำเนินงานด้วยดี"
    )


def report_text_for(office: Office, fiscal_year: int) -> YearlyReportText:
    """The office's texts for the year, unsaved defaults when nobody has written any."""
    text = YearlyReportText.objects.filter(office=office, fiscal_year=fiscal_year).first()
    return text or YearlyReportText(office=office, fiscal_year=fiscal_year)


def report_text_save(
    *, user: User, office: Office, fiscal_year: int, data: dict
) -> YearlyReportText:
    """Keep what the group head wrote for the year's report (the next run prints it)."""
    from reports.selectors import can_edit_report_text

    if not can_edit_report_text(user) or user.office_id != office.pk:
        raise PermissionDenied(_("Only the group head writes the yearly report's texts."))
    _check_fiscal_year(fiscal_year)
    text, _created = YearlyReportText.objects.update_or_create(
        office=office,
        fiscal_year=fiscal_year,
        defaults={
            "foreword": data.get("foreword", "").strip(),
            "summary": data.get("summary", "").strip(),
            "problems": data.get("problems", "").strip(),
            "updated_by": user,
        },
    )
    return text


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a typed text: separated by blank lines, inner line breaks joined."""
    return [" ".join(part.split()) for part in text.replace("\r", "").split("\n\n") if part.strip()]


def _appendices(sections: list) -> list[dict[str, Any]]:
    """Move the sections' wide and appendix tables to lettered appendices (landscape pages
    for wide ones); each table gets `appendix_letter` so its chapter can refer to it."""
    found: list[dict[str, Any]] = []
    for section in sections:
        for part in [section, *section.blocks]:
            for table in part.tables:
                if table.in_appendix:
                    letter = APPENDIX_LETTERS[len(found) % len(APPENDIX_LETTERS)]
                    table.appendix_letter = letter
                    found.append({"letter": letter, "table": table, "chapter": section.title})
    return found


def _top_level(sections: list) -> list:
    areas = {s.key.removeprefix("area-") for s in sections if s.key.startswith("area-")}
    return [s for s in sections if not (s.area and s.area in areas)]


def _chapters(sections: list) -> list:
    """One chapter per area of work: a section that names its area (repairs, loans, rounds,
    plans) becomes the first parts of the engine's chapter of that area, when there is one."""
    by_area = {s.key.removeprefix("area-"): s for s in sections if s.key.startswith("area-")}
    chapters = []
    joined: dict[str, int] = {}
    for section in sections:
        chapter = by_area.get(section.area) if section.area else None
        if chapter is None:
            chapters.append(section)
            continue
        position = joined.get(section.area, 0)
        chapter.blocks.insert(position, section)
        joined[section.area] = position + 1
    return chapters


def yearly_report_context(
    office: Office, fiscal_year: int, *, progress: Progress | None = None
) -> dict:
    """Everything the yearly report prints, built once: every figure is one object that the
    executive summary and its chapter both show, so a figure has one value everywhere."""
    from reports.selectors import evaluation_remarks

    progress = progress or (lambda percent, message: None)
    providers = section_providers()
    sections = []
    for number, (key, provider) in enumerate(providers):
        progress(5 + 70 * number // max(len(providers), 1), key)
        section = provider(office, fiscal_year)
        if section is not None:
            sections.append(section)
    progress(78, "texts")
    text = report_text_for(office, fiscal_year)
    remarks = evaluation_remarks(office, fiscal_year)
    if text.problems:
        problems = [line.strip(" -•\t") for line in text.problems.splitlines() if line.strip()]
        problems_source = "edited"
    else:
        problems = [f"{remark} ({title})" for title, remark in remarks]
        problems_source = "cases"
    first, last = thaitime.fiscal_year_bounds(fiscal_year)
    indicators = [indicator for section in sections for indicator in section.indicators]
    generated_at = timezone.now()
    overview = (
        f"ในปีงบประมาณ พ.ศ. {fiscal_year} {office.ict_group_name} {office.name_th}"
        f" ดำเนินงาน {len(_top_level(sections))} ด้าน ได้แก่ "
        + " ".join(section.title for section in _top_level(sections))
    )
    if indicators:
        achieved = sum(1 for i in indicators if i.achieved)
        overview += f" ตัวชี้วัดของแผนบรรลุค่าเป้าหมาย {achieved} จาก {len(indicators)} ตัวชี้วัด"
    appendices = _appendices(sections)
    return {
        "office": office,
        "fiscal_year": fiscal_year,
        "first_day": first,
        "last_day": last,
        "summary_sections": sections,
        "sections": _chapters(sections),
        "appendices": appendices,
        "foreword": paragraphs(text.foreword or default_foreword(office, fiscal_year)),
        "summary_overview": overview,
        "summary_paragraphs": paragraphs(text.summary),
        "indicators": indicators,
        "problems": problems,
        "problems_source": problems_source,
        "thai_digits": settings_for(office).thai_digits,
        "garuda": _garuda_data_uri(),
        "generated_at": generated_at,
        "signed_month": (
            f"{thaitime.THAI_MONTHS[generated_at.month - 1]}"
            f" {timezone.localtime(generated_at).year + thaitime.BE_OFFSET}"
        ),
    }


def build_yearly_report(
    office: Office, fiscal_year: int, *, progress: Progress | None = None
) -> bytes:
    """The yearly report PDF as area offices publish it: cover, foreword, contents, executive
    summary, one chapter per area of work, problems and suggestions, appendices."""
    progress = progress or (lambda percent, message: None)
    context = yearly_report_context(office, fiscal_year, progress=progress)
    progress(85, "pdf")
    return render_pdf("reports/pdf/yearly_report.html", context, thai_digits=context["thai_digits"])


def build_export_pack(
    office: Office,
    fiscal_year: int,
    target: Path | IO[bytes],
    *,
    user: User | None = None,
    progress: Progress | None = None,
) -> None:
    """A ZIP with one folder per app and one XLSX per list, written to `target` (a path or a
    seekable binary file)."""
    progress = progress or (lambda percent, message: None)
    providers = export_providers()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, (key, provider) in enumerate(providers):
            progress(5 + 90 * number // max(len(providers), 1), key)
            for export in provider(office, fiscal_year, user):
                archive.writestr(
                    f"{key}/{export.filename}",
                    xlsx_bytes(export.dataset, title=export.title or Path(export.filename).stem),
                )


# ---------------------------------------------------------------------------------------------
# The schedule
# ---------------------------------------------------------------------------------------------


def scheduled_yearly_jobs(*, today: datetime.date) -> list[int]:
    """After a fiscal year closes (1 October), one report and one pack per office for it.

    Idempotent: the scheduled job of an office, kind and year is created once (a unique
    constraint backs this up against two passes at once); a job not yet done (queued, failed,
    or running with a stale heartbeat) is queued again. Returns the ids queued.
    """
    closed_year = thaitime.fiscal_year_of(today) - 1
    queued = []
    now = timezone.now()
    for office in Office.objects.order_by("pk"):
        for kind in ReportJob.Kind.values:
            try:
                with transaction.atomic():
                    job, _created = ReportJob.objects.get_or_create(
                        office=office,
                        kind=kind,
                        fiscal_year=closed_year,
                        trigger=ReportJob.Trigger.SCHEDULED,
                        defaults={"parameters": {"fiscal_year": closed_year, "language": "th"}},
                    )
            except IntegrityError:
                job = ReportJob.objects.get(
                    office=office,
                    kind=kind,
                    fiscal_year=closed_year,
                    trigger=ReportJob.Trigger.SCHEDULED,
                )
            waiting = job.status in (ReportJob.Status.QUEUED, ReportJob.Status.FAILED)
            stale = job.status == ReportJob.Status.RUNNING and (
                job.heartbeat_at is None or job.heartbeat_at < now - STALE_AFTER
            )
            if waiting or stale:
                transaction.on_commit(functools.partial(_enqueue, job.pk))
                queued.append(job.pk)
    return queued


def _month_before(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def monthly_summary_send(*, today: datetime.date) -> int:
    """Tell each office's director (and whoever acts for them) last month's work in numbers.

    Idempotent: the notification's dedupe key names the office and the month, so a second
    run in the same month queues nothing. Returns the number of offices summarised.
    """
    first, last = _month_before(today)
    zone = timezone.get_default_timezone()
    begin = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    month = f"{thaitime.THAI_MONTHS[first.month - 1]} {first.year + thaitime.BE_OFFSET}"
    sent = 0
    for office in Office.objects.order_by("pk"):
        cases = Case.objects.filter(office=office)
        started = cases.filter(started_at__gte=begin, started_at__lt=end)
        closed = cases.filter(closed_at__gte=begin, closed_at__lt=end)
        overdue = Task.objects.open().filter(
            case__office=office,
            case__state=Case.State.RUNNING,
            due_on__lt=today,
            paused_at__isnull=True,
        )
        lines = [
            f"เรื่องที่เริ่มในเดือน: {started.count()} เรื่อง",
            f"เรื่องที่ปิดในเดือน: {closed.count()} เรื่อง"
            f" (ไม่อนุมัติ {closed.filter(state=Case.State.REJECTED).count()})",
            f"ขั้นตอนที่เกินกำหนด ณ วันที่ {thaitime.format_thai_date(today, 'long', language='th')}:"
            f" {overdue.count()} รายการ",
        ]
        by_process = (
            started.values("version__definition__title_th")
            .annotate(n=Count("pk"))
            .order_by("-n", "version__definition__title_th")
        )
        for row in by_process:
            lines.append(f"  - {row['version__definition__title_th']}: {row['n']}")
        # The director, and whoever holds the post under an acting order today.
        recipients = role_holders(role=RoleCode.DIRECTOR, case=Case(office=office), on=today)
        if not recipients:
            continue
        with transaction.atomic():
            notify(
                recipients=recipients,
                kind="monthly_summary",
                subject=f"สรุปผลการปฏิบัติงานประจำเดือน{month} ({office})",
                body="\n".join(lines),
                dedupe=f"monthly-summary:{office.pk}:{first:%Y-%m}",
            )
        sent += 1
    return sent

"""Writes of the data rounds: creating rounds from templates, opening a round for every school,
the responsible staff, imports and their checks, answers to findings, reminders and the audited
full-ID export. Rounds of every duty kind go through the same functions; a kind without an
import opens `data-duty` cases instead of `dmc-round` ones and has no round acknowledgement."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, RoleCode, School, User
from accounts.selectors import authority_for
from core import thaitime
from core.bulk_sql import insert_columns, update_by_key
from core.side_connection import side_connection
from dmc_emis import checks
from dmc_emis.importing import FileError, sniff_format, stage_file
from dmc_emis.models import (
    OFFICE_STATUSES,
    STATUS_RANK,
    DataImport,
    Finding,
    FindingRule,
    GradeCount,
    NationalIdDisclosure,
    Round,
    RoundSchool,
    RoundStatusSnapshot,
    RoundTemplate,
    SchoolStatus,
    StudentRecord,
    default_milestones,
    duty_milestones,
    national_id_cipher,
)
from processes.bulk import NewCase, Notice, cases_start_bulk, notify_many, school_role_holders
from processes.models import ProcessDefinition
from processes.selectors import role_holders
from processes.services import case_start, notify

logger = logging.getLogger(__name__)

ROUND_PROCESS = "dmc-round"
DUTY_PROCESS = "data-duty"
ACK_PROCESS = "dmc-round-ack"
IMPORT_MAX_BYTES = 200 * 1024 * 1024
PROGRESS_STEP = 5  # percent of the import's bar between two writes
OFFICE_WORKERS = (RoleCode.STAFF, RoleCode.GROUP_HEAD, RoleCode.ADMIN)


# ---------------------------------------------------------------------------
# Who may do what (the views ask the same questions before showing a button)
# ---------------------------------------------------------------------------


def can_manage_round(user: User, round_: Round) -> bool:
    """Open a round, import its data, resolve findings: the office's ICT staff and group head."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.is_school_side or user.office_id != round_.office_id:
        return False
    return any(authority_for(user, role) for role in OFFICE_WORKERS)


def _require_manager(user: User, round_: Round) -> None:
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("Only the office's ICT staff can do this."))


# ---------------------------------------------------------------------------
# Rounds from templates
# ---------------------------------------------------------------------------


def academic_year_of(day: datetime.date) -> int:
    """The Thai academic year (Buddhist era) a day belongs to: it starts on 16 May."""
    year = day.year if (day.month, day.day) >= (5, 16) else day.year - 1
    return year + thaitime.BE_OFFSET


def round_from_template(
    *, office: Office, template: RoundTemplate, academic_year: int
) -> tuple[Round, bool]:
    """The office's round of `template` in `academic_year`, created from the template if missing."""
    deadline = template.deadline_for(academic_year)
    round_, created = Round.objects.get_or_create(
        office=office,
        kind=template.kind,
        academic_year=academic_year,
        defaults={
            "template": template,
            "title": f"{template.title_th} ปีการศึกษา {academic_year}",
            "opens_on": (
                deadline - datetime.timedelta(days=template.opens_days_before) if deadline else None
            ),
            "deadline_on": deadline,
            "cutoff_time": template.cutoff_time,
            "milestones": template.milestones,
            "reminder_days": template.reminder_days,
            "jump_threshold_percent": template.jump_threshold_percent,
        },
    )
    if created:
        round_.responsible_staff.set(
            template.responsible_staff.filter(office_id=office.pk, is_active=True)
        )
    return round_, created


def rounds_create_for_next_year(*, today: datetime.date) -> int:
    """Every office's rounds of this and next academic year from the active templates.

    Idempotent (one round per office, kind and year); a template edited by the admin shapes the
    rounds created after the edit, never the ones already created.
    """
    created = 0
    current = academic_year_of(today)
    templates = list(RoundTemplate.objects.filter(is_active=True))
    for office in Office.objects.all():
        for template in templates:
            for year in (current, current + 1):
                _round, was_created = round_from_template(
                    office=office, template=template, academic_year=year
                )
                created += was_created
    return created


# ---------------------------------------------------------------------------
# Opening a round: one case per school, in bulk
# ---------------------------------------------------------------------------


def _definition(code: str) -> ProcessDefinition:
    definition = ProcessDefinition.objects.filter(code=code, is_active=True).first()
    if definition is None:
        raise ValidationError(
            _("The process “%(code)s” is not loaded; run manage.py load_catalogue.")
            % {"code": code}
        )
    return definition


def first_milestone_date(round_: Round) -> datetime.date | None:
    dates = [day for _status, day in round_.milestone_dates()]
    return min(dates) if dates else round_.deadline_on


@transaction.atomic
def round_set_responsible(*, round_: Round, user: User, staff: list[User]) -> Round:
    """Name the office staff who follow the round: shown on the board, reminded before the
    deadline, and given the check of each school's submission."""
    _require_manager(user, round_)
    allowed = {
        member.pk
        for member in responsible_staff_choices(round_).filter(
            pk__in=[member.pk for member in staff]
        )
    }
    if len(allowed) != len({member.pk for member in staff}):
        raise ValidationError(
            {"responsible_staff": _("Only active staff of this office can be responsible.")}
        )
    round_.responsible_staff.set(allowed)
    return round_


def responsible_staff_choices(round_: Round):
    """Office people who may follow a duty: the office's active users outside the schools."""
    return User.objects.filter(
        office_id=round_.office_id, is_active=True, school__isnull=True
    ).order_by("first_name", "username")


def process_of(round_: Round) -> str:
    """The process each school's case runs: the student-data flow or a simple duty."""
    return ROUND_PROCESS if round_.has_import else DUTY_PROCESS


@transaction.atomic
def round_open(*, round_: Round, user: User, deadline_on: datetime.date | None = None) -> int:
    """Open the round for every active school of the office that is not in it yet.

    A round whose deadline no manual gives takes the one the office sets now (`deadline_on`);
    it cannot open without one. Returns how many schools were added. Running it again only
    adds schools created since.
    """
    _require_manager(user, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.deadline_on is None:
        if deadline_on is None:
            raise ValidationError(
                {"deadline_on": _("Set the deadline of this round before opening it.")}
            )
        if deadline_on < timezone.localdate():
            raise ValidationError({"deadline_on": _("The deadline cannot be in the past.")})
        round_.deadline_on = deadline_on
        round_.opens_on = min(timezone.localdate(), deadline_on)
        round_.save(update_fields=["deadline_on", "opens_on"])
    if not round_.has_import and round_.milestones == default_milestones():
        # A round made by hand carries the student-data milestones by default; a simple duty
        # has one: the school has submitted by the deadline.
        round_.milestones = duty_milestones()
        round_.save(update_fields=["milestones"])
    assert round_.deadline_on is not None  # set just above when it was missing
    definition = _definition(process_of(round_))
    present = RoundSchool.objects.filter(round=round_).values("school_id")
    schools = list(
        School.objects.filter(office_id=round_.office_id, is_active=True)
        .exclude(pk__in=present)
        .only("pk", "name_th", "obec_code", "office_id")
        .order_by("obec_code")
    )
    entry_ids = insert_columns(
        RoundSchool,
        same={"round_id": round_.pk},
        varying={"school_id": [school.pk for school in schools]},
    )
    entries = [
        RoundSchool(pk=pk, round=round_, school=school)
        for pk, school in zip(entry_ids, schools, strict=True)
    ]
    due_on = first_milestone_date(round_)
    data = {"round_id": round_.pk, "data_date": round_.deadline_on.isoformat()}
    case_ids = cases_start_bulk(
        definition=definition,
        requester=user,
        office=round_.office,
        cases=[
            NewCase(
                title=f"{round_.title} · {school.name_th}",
                school=school,
                subject=entry,
                data=data,
                due_on=due_on,
            )
            for school, entry in zip(schools, entries, strict=True)
        ],
    )
    now = timezone.now()
    # Each entry is tied to the case started for it by key, not by looking the case up.
    update_by_key(
        RoundSchool, keys=entry_ids, varying={"case_id": case_ids}, same={"last_activity_at": now}
    )
    if round_.ack_case_id is None and round_.has_import:
        round_.ack_case = case_start(
            definition=_definition(ACK_PROCESS),
            requester=user,
            title=round_.title,
            office=round_.office,
            subject=round_,
        )
    if round_.opened_at is None:
        round_.opened_at, round_.opened_by = now, user
    round_.save(update_fields=["ack_case", "opened_at", "opened_by"])
    return len(entry_ids)


# ---------------------------------------------------------------------------
# Imports: upload, stream in Celery, apply all at once
# ---------------------------------------------------------------------------


def import_upload(*, round_: Round, user: User, upload) -> DataImport:
    """Keep the uploaded export and queue its import; the worker does the reading."""
    _require_manager(user, round_)
    if not round_.has_import:
        raise ValidationError({"file": _("This duty has no data import.")})
    if not round_.is_open:
        raise ValidationError({"file": _("Open the round for the schools before importing data.")})
    if upload.size > IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 200 MB.")})
    head = upload.read(4096)
    upload.seek(0)
    try:
        file_format = sniff_format(head)
    except FileError as error:
        raise ValidationError({"file": str(error)}) from None
    name = getattr(upload, "name", "") or "import"
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    with transaction.atomic():
        data_import = DataImport(
            round=round_,
            # A file named after a student would show the number on every import page.
            original_name=checks.mask_digit_runs(name)[:255],
            file_format=file_format,
            file_size=upload.size,
            uploaded_by=user,
        )
        data_import.file.save(data_import.original_name, upload, save=False)
        data_import.save()
        transaction.on_commit(lambda: _queue_import(data_import.pk))
    return data_import


def _queue_import(import_id: int) -> None:
    from dmc_emis.tasks import run_import_task

    try:
        run_import_task.delay(import_id)
    except Exception:  # a broker outage: the beat pass picks queued imports up
        logger.warning("Broker unavailable; import %s waits for the next pass.", import_id)


def import_run(*, import_id: int) -> str:
    """Read, check and apply one queued import. Idempotent: only a queued import is claimed."""
    with _worker_mark(import_id):
        claimed = DataImport.objects.filter(pk=import_id, status=DataImport.Status.QUEUED).update(
            status=DataImport.Status.RUNNING
        )
        if not claimed:
            return "skipped"
        data_import = DataImport.objects.select_related("round").get(pk=import_id)
        try:
            return _import_read_and_apply(data_import)
        finally:
            _discard_upload(data_import)


# The first key of the advisory locks that mark an import's worker as alive ("DMC").
_IMPORT_LOCKS = 0x444D43


@contextmanager
def _worker_mark(import_id: int) -> Iterator[None]:
    """While a worker runs an import it holds an advisory lock named after it (PostgreSQL).
    The lock goes with the worker's connection, so a worker killed mid-file (out of memory, a
    restart) leaves an import that says "running" and a lock anyone can take: that is how
    `imports_settle_abandoned` tells the two apart. Taken before the claim, so a running
    import is never without its mark."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_IMPORT_LOCKS, import_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_IMPORT_LOCKS, import_id])


ABANDONED_MESSAGE = (
    "การนำเข้าหยุดกลางคันเพราะเครื่องประมวลผลหยุดทำงาน ระบบไม่ได้บันทึกข้อมูลใดจากไฟล์นี้ กรุณานำเข้าไฟล์อีกครั้ง"
)


def imports_settle_abandoned() -> int:
    """Imports that say "running" or "checking" but whose worker died end as failed, with
    their upload removed: their transaction rolled back when the worker's connection went, so
    nothing of them was stored, and the page must not show them running forever. A file that
    killed its worker is not tried again by itself. Returns how many were settled."""
    if connection.vendor != "postgresql":
        return 0  # one process runs everything there (the demo); nothing to tell apart
    busy = [DataImport.Status.RUNNING, DataImport.Status.APPLYING]
    settled = 0
    for import_id in list(DataImport.objects.filter(status__in=busy).values_list("pk", flat=True)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_IMPORT_LOCKS, import_id])
            if not cursor.fetchone()[0]:
                continue  # its worker is alive and holds the mark
        try:
            # Under the mark, again: the worker may have finished since the list was read.
            data_import = DataImport.objects.filter(pk=import_id, status__in=busy).first()
            if data_import is not None:
                _import_failed(data_import, [{"row": None, "message": ABANDONED_MESSAGE}])
                _discard_upload(data_import)
                settled += 1
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_IMPORT_LOCKS, import_id])
    return settled


def _discard_upload(data_import: DataImport) -> None:
    """The uploaded file goes once its import has ended, whatever the outcome: its rows are in
    the database with the national IDs sealed, and a plain copy left on disk would undo that."""
    name = data_import.file.name
    if not name:
        return
    try:
        data_import.file.storage.delete(name)
    except Exception:  # the disk's OSError or the S3 store's own errors alike
        logger.warning("Could not remove the uploaded file of import %s.", data_import.pk)
    DataImport.objects.filter(pk=data_import.pk).update(file="")


class _Rejected(Exception):
    """The file broke a rule that stops it: nothing of its rows may stay."""

    def __init__(self, errors: list[dict], rows: int):
        super().__init__(errors)
        self.errors = errors
        self.rows = rows


def _import_read_and_apply(data_import: DataImport) -> str:
    """Read, check and apply in one transaction: the round shows the previous data or all of
    the new, and a file with errors leaves nothing behind. The progress bar is written beside
    that transaction so that the import page sees it move."""
    import_id = data_import.pk
    round_ = data_import.round
    entries: dict[str, int] = {}
    for pk, obec, smis in RoundSchool.objects.filter(round=round_).values_list(
        "pk", "school__obec_code", "school__smis_code"
    ):
        entries[obec] = pk
        entries[smis] = pk
    shown_percent, shown_status = 0, str(DataImport.Status.RUNNING)
    with side_connection() as side:

        def progress(fraction: float, status: str = DataImport.Status.RUNNING) -> None:
            # Reading is 90 % of the bar; checking and applying the rest. Written in steps of
            # PROGRESS_STEP: each write leaves a version of the import's row that cannot be
            # cleaned up while the import's transaction is open, and every foreign-key check
            # of its findings and totals at commit walks past all of them.
            nonlocal shown_percent, shown_status
            percent = int(fraction * 90)
            if percent < shown_percent + PROGRESS_STEP and status == shown_status:
                return
            shown_percent, shown_status = percent, status
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {DataImport._meta.db_table} SET progress = %s, status = %s"
                    " WHERE id = %s",
                    [percent, status, import_id],
                )

        try:
            with transaction.atomic():
                _begin_import(data_import)
                result = stage_file(
                    data_import, entries=entries, data_date=round_.deadline_on, progress=progress
                )
                if result.errors:
                    raise _Rejected(_with_truncation_note(result), result.rows)
                progress(1.0, DataImport.Status.APPLYING)
                data_import.content = result.content
                DataImport.objects.filter(pk=import_id).update(
                    rows_read=result.rows, content=result.content
                )
                duplicates = _duplicate_count_rows(data_import)
                if duplicates:
                    raise _Rejected(duplicates, result.rows)
                import_apply(data_import=data_import)
        except _Rejected as rejected:
            return _import_failed(data_import, rejected.errors, rows=rejected.rows)
        except FileError as error:
            return _import_failed(data_import, [{"row": None, "message": str(error)}])
        except Exception:
            # Whatever broke, the import must not stay "running": its rows went with the rollback.
            logger.exception("DMC import %s failed", import_id)
            return _import_failed(
                data_import,
                [{"row": None, "message": "อ่านไฟล์ไม่สำเร็จ ไฟล์อาจเสียหาย ระบบไม่ได้บันทึกข้อมูลใดจากไฟล์นี้"}],
            )
    return "done"


def _begin_import(data_import: DataImport) -> None:
    """Inside the import's transaction, on PostgreSQL: the import, its round and the round's
    schools are locked against deletion (FOR KEY SHARE, as a foreign key's check would lock
    them) until it commits, because the student rows carry no database-level foreign keys (their
    row-by-row checks would cost more than reading the file; see StudentRecord). The grouping
    of a million rows (totals, duplicates) gets the memory to do it without spilling to disk."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        for table, column, value in (
            (DataImport._meta.db_table, "id", data_import.pk),
            (Round._meta.db_table, "id", data_import.round_id),
            (RoundSchool._meta.db_table, "round_id", data_import.round_id),
        ):
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s"
                " FOR KEY SHARE) AS held",
                [value],
            )


def _with_truncation_note(result) -> list[dict]:
    errors = list(result.errors)
    if result.truncated:
        errors.append(
            {
                "row": None,
                "message": f"พบข้อผิดพลาดมากกว่า {len(errors)} แถว แสดงเฉพาะ {len(errors)} แถวแรก",
            }
        )
    return errors


def _import_failed(data_import: DataImport, errors: list[dict], rows: int = 0) -> str:
    """Nothing of a broken file stays (its rows went with the rollback); the errors stay for the
    person to read, with any thirteen-digit number in them masked: the import page is read by
    every office role."""
    errors = [{**e, "message": checks.mask_digit_runs(str(e.get("message", "")))} for e in errors]
    DataImport.objects.filter(pk=data_import.pk).update(
        status=DataImport.Status.FAILED,
        errors=errors,
        rows_read=rows,
        finished_at=timezone.now(),
    )
    return "failed"


def _duplicate_count_rows(data_import: DataImport) -> list[dict]:
    """A counts file giving a school's grade twice is ambiguous: an error, not a finding."""
    if data_import.content != DataImport.Content.COUNTS:
        return []
    staged = GradeCount.objects.filter(data_import=data_import)
    twice = staged.values("entry_id", "grade").annotate(n=Count("pk")).filter(n__gt=1)
    errors = []
    for group in twice[:50]:
        numbers = staged.filter(entry_id=group["entry_id"], grade=group["grade"]).values_list(
            "row_number", flat=True
        )
        rows = sorted(number for number in numbers if number is not None)  # staged rows have one
        errors.append(
            {
                "row": rows[1],
                "message": "โรงเรียนและชั้นเดียวกันซ้ำกับแถวที่ "
                + ", ".join(str(r) for r in rows[:1] + rows[2:]),
            }
        )
    return errors


def _masked(token: str) -> str:
    """The masked form of a stored ID, for a finding's text (decrypted only to be masked)."""
    return checks.mask_national_id(national_id_cipher().decrypt(token))


@transaction.atomic
def import_apply(*, data_import: DataImport) -> int:
    """Make the import's rows the round's data for their schools and record what the checks
    find. Runs in the import's transaction, after its rows were written as current: the board
    shows the previous data or all of the new data. Returns how many findings were recorded.
    """
    is_students = data_import.content == DataImport.Content.STUDENTS
    if is_students:
        _analyze(StudentRecord)
        _store_grade_totals(data_import)
    # Up to a million rows just arrived (and the round's schools may be new): without fresh
    # statistics the planner walks the checks' joins as if the tables were empty.
    _analyze(GradeCount, RoundSchool)
    # The schools the file speaks of: every one has at least one grade total by now.
    touched = GradeCount.objects.filter(data_import=data_import).values("entry_id")
    # The new file replaces what earlier imports said about the same schools.
    if is_students:
        StudentRecord.objects.filter(entry_id__in=touched, is_current=True).exclude(
            data_import=data_import
        ).delete()
    GradeCount.objects.filter(entry_id__in=touched).exclude(data_import=data_import).delete()
    Finding.objects.filter(
        entry_id__in=touched, status__in=[Finding.Status.OPEN, Finding.Status.ANSWERED]
    ).exclude(data_import=data_import).filter(_rules_replaced_by(is_students)).delete()

    findings = 0
    if is_students:
        findings += _row_findings(data_import)
        findings += _duplicates_in_school(data_import)
        findings += _duplicates_across_schools(data_import)
    findings += _count_jumps(data_import)
    _refresh_entries(data_import)
    _tell_schools_of_findings(data_import)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=DataImport.Status.DONE,
        progress=100,
        findings_count=findings,
        finished_at=timezone.now(),
    )
    return findings


def _analyze(*models) -> None:
    """Fresh planner statistics, counting the rows this transaction wrote (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(model._meta.db_table for model in models)}")


def _store_grade_totals(data_import: DataImport) -> None:
    """Each school's grades counted from its student rows: one INSERT … SELECT … GROUP BY."""
    totals = (
        StudentRecord.objects.filter(data_import=data_import)
        .values("entry_id", "grade")
        .annotate(male=Count("pk", filter=Q(gender="M")), female=Count("pk", filter=~Q(gender="M")))
        .values_list("entry_id", "grade", "male", "female")
    )
    sql, params = totals.query.sql_with_params()
    table = GradeCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entry_id, grade, male, female, data_import_id, is_current,"
            f" row_number) SELECT totals.*, %s, %s, NULL FROM ({sql}) AS totals",
            [data_import.pk, True, *params],
        )


def _rules_replaced_by(is_students: bool) -> Q:
    if is_students:
        return ~Q(rule="")  # a student file re-checks every rule
    return Q(rule=FindingRule.COUNT_JUMP)


def _row_findings(data_import: DataImport) -> int:
    rows = (
        StudentRecord.objects.filter(data_import=data_import, has_problems=True)
        .values_list("entry_id", "row_number", "grade", "problems", "national_id_hash")
        .order_by("pk")
    )
    batch: list[Finding] = []
    created = 0
    for entry_id, row_number, grade, problems, id_hash in rows.iterator(chunk_size=5000):
        for rule, message in problems:
            batch.append(
                Finding(
                    entry_id=entry_id,
                    data_import=data_import,
                    rule=rule,
                    row_number=row_number,
                    grade=grade,
                    subject_key=id_hash or f"row:{row_number}",
                    detail=f"แถวที่ {row_number}: {message}"[:500],
                )
            )
        if len(batch) >= 5000:
            created += len(Finding.objects.bulk_create(batch))
            batch = []
    created += len(Finding.objects.bulk_create(batch))
    return created


def _duplicates_in_school(data_import: DataImport) -> int:
    staged = StudentRecord.objects.filter(data_import=data_import).exclude(national_id_hash="")
    groups = staged.values("entry_id", "national_id_hash").annotate(n=Count("pk")).filter(n__gt=1)
    batch = []
    for group in groups.iterator(chunk_size=2000):
        places = list(
            staged.filter(entry_id=group["entry_id"], national_id_hash=group["national_id_hash"])
            .order_by("row_number")
            .values_list("row_number", "national_id_encrypted")
        )
        rows = [row for row, _token in places]
        masked = _masked(places[0][1])
        batch.append(
            Finding(
                entry_id=group["entry_id"],
                data_import=data_import,
                rule=FindingRule.DUPLICATE_IN_SCHOOL,
                row_number=rows[0],
                subject_key=group["national_id_hash"],
                detail=f"เลขประจำตัวประชาชน {masked} ซ้ำกันในแถวที่ {', '.join(map(str, rows[:20]))}"[
                    :500
                ],
            )
        )
    return len(Finding.objects.bulk_create(batch, batch_size=2000))


def _duplicates_across_schools(data_import: DataImport) -> int:
    """A student listed by two schools of the round: each school gets an issue naming the other.

    The other school's open issue about the same student is not repeated on a later import.
    """
    current = StudentRecord.objects.filter(round_id=data_import.round_id, is_current=True).exclude(
        national_id_hash=""
    )
    elsewhere = current.filter(national_id_hash=OuterRef("national_id_hash")).exclude(
        entry_id=OuterRef("entry_id")
    )
    shared = (
        StudentRecord.objects.filter(data_import=data_import)
        .exclude(national_id_hash="")
        .filter(Exists(elsewhere))
        .values_list("national_id_hash", flat=True)
        .distinct()
    )
    existing = set(
        Finding.objects.filter(
            entry__round_id=data_import.round_id,
            rule=FindingRule.DUPLICATE_ACROSS,
            status__in=[Finding.Status.OPEN, Finding.Status.ANSWERED],
        ).values_list("entry_id", "subject_key")
    )
    created = 0
    ids = list(shared.iterator(chunk_size=5000))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        by_id: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        token_of: dict[str, str] = {}
        for key, token, entry_id, code, row in current.filter(
            national_id_hash__in=chunk
        ).values_list(
            "national_id_hash",
            "national_id_encrypted",
            "entry_id",
            "entry__school__obec_code",
            "row_number",
        ):
            by_id[key].append((entry_id, code, row))
            token_of.setdefault(key, token)
        batch = []
        for key, places in by_id.items():
            masked = _masked(token_of[key])
            for entry_id, _code, row in places:
                if (entry_id, key) in existing:
                    continue
                existing.add((entry_id, key))
                others = sorted({code for other, code, _r in places if other != entry_id})
                batch.append(
                    Finding(
                        entry_id=entry_id,
                        data_import=data_import,
                        rule=FindingRule.DUPLICATE_ACROSS,
                        row_number=row,
                        subject_key=key,
                        detail=(
                            f"เลขประจำตัวประชาชน {masked} มีในโรงเรียนอื่นด้วย (รหัส {', '.join(others)})"
                        )[:500],
                    )
                )
        created += len(Finding.objects.bulk_create(batch, batch_size=2000))
    return created


def previous_round(round_: Round) -> Round | None:
    """The office's latest earlier round that has student counts, to compare against."""
    return (
        Round.objects.filter(office_id=round_.office_id, deadline_on__lt=round_.deadline_on)
        .filter(entries__grade_counts__is_current=True)
        .order_by("-deadline_on")
        .distinct()
        .first()
    )


def _count_jumps(data_import: DataImport) -> int:
    """A grade whose count moved more than the round's threshold from the previous round. The
    database pairs the import's grade totals with the previous round's by school and grade and
    returns only the jumps (a million-student office has some 180,000 grade totals)."""
    round_ = data_import.round
    before = previous_round(round_)
    if before is None:
        return 0
    threshold = round_.jump_threshold_percent
    counts, entries = GradeCount._meta.db_table, RoundSchool._meta.db_table
    created = 0
    # A server-side cursor on PostgreSQL: a first round of a new grade structure can jump
    # everywhere, and a list of 180,000 findings would not fit a worker's memory.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"""
            SELECT now.entry_id, now.grade, now.male, now.female, now.row_number, was.total
            FROM {counts} now
            JOIN {entries} here ON here.id = now.entry_id
            JOIN (
                SELECT there.school_id, before.grade, before.male + before.female AS total
                FROM {counts} before JOIN {entries} there ON there.id = before.entry_id
                WHERE there.round_id = %s AND before.is_current = %s
            ) AS was ON was.school_id = here.school_id AND was.grade = now.grade
            WHERE now.data_import_id = %s AND now.is_current = %s AND was.total > 0
              AND abs(now.male + now.female - was.total) * 100 > %s * was.total
            """,
            [before.pk, True, data_import.pk, True, threshold],
        )
        while jumps := cursor.fetchmany(2000):
            batch = []
            for entry_id, grade, male, female, row, was in jumps:
                jump = checks.count_jump_percent(was, male + female) or 0.0
                batch.append(
                    Finding(
                        entry_id=entry_id,
                        data_import=data_import,
                        rule=FindingRule.COUNT_JUMP,
                        row_number=row,
                        grade=grade,
                        subject_key=f"grade:{grade}",
                        detail=(
                            f"ชั้น {grade.upper()}: {male + female} คน จากรอบก่อน {was} คน "
                            f"(เปลี่ยน {jump:.0f}% เกิน {threshold}%)"
                        ),
                    )
                )
            created += len(Finding.objects.bulk_create(batch))
    return created


def _refresh_entries(data_import: DataImport) -> None:
    """Totals and open-issue counts of the schools the import touched, as the board lists them:
    one UPDATE from the import's grade totals (every touched school has at least one)."""
    entries, counts = RoundSchool._meta.db_table, GradeCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {entries} SET
                male = totals.male,
                female = totals.female,
                open_findings = (
                    SELECT count(*) FROM {Finding._meta.db_table} finding
                    WHERE finding.entry_id = {entries}.id AND finding.status <> %s
                ),
                last_activity_at = %s
            FROM (
                SELECT entry_id, sum(male) AS male, sum(female) AS female FROM {counts}
                WHERE data_import_id = %s AND is_current = %s GROUP BY entry_id
            ) AS totals
            WHERE {entries}.id = totals.entry_id
            """,
            [Finding.Status.RESOLVED, timezone.now(), data_import.pk, True],
        )


def _tell_schools_of_findings(data_import: DataImport) -> None:
    entries = list(
        RoundSchool.objects.filter(findings__data_import=data_import)
        .distinct()
        .select_related("case", "round")
    )
    holders = school_role_holders(RoleCode.SCHOOL_USER, {e.school_id for e in entries})
    notify_many(
        [
            Notice(
                recipients=holders.get(entry.school_id, []),
                kind="dmc_findings",
                subject=_("%(round)s: the office found issues in your school's data")
                % {"round": entry.round.title},
                dedupe=f"dmc-findings:{data_import.pk}:{entry.pk}",
                case=entry.case,
            )
            for entry in entries
        ]
    )


# ---------------------------------------------------------------------------
# Findings: the school answers, the office resolves
# ---------------------------------------------------------------------------


def _refresh_open_count(entry_id: int) -> None:
    RoundSchool.objects.filter(pk=entry_id).update(
        open_findings=Finding.objects.filter(entry_id=entry_id)
        .exclude(status=Finding.Status.RESOLVED)
        .count(),
        last_activity_at=timezone.now(),
    )


@transaction.atomic
def finding_answer(*, finding: Finding, user: User, answer: str) -> Finding:
    """The school says what it corrected (or why the data is right)."""
    finding = Finding.objects.select_for_update().select_related("entry").get(pk=finding.pk)
    if not (user.is_active and user.is_school_side and user.school_id == finding.entry.school_id):
        raise PermissionDenied(_("Only the school can answer its issues."))
    if finding.status == Finding.Status.RESOLVED:
        raise ValidationError(_("This issue is already resolved."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(
            {"answer": _("Please say what was corrected or why the data is right.")}
        )
    # PDPA: an ID typed into the answer would reach every office role; it is stored masked.
    finding.answer = checks.mask_national_ids_in_text(answer)[:2000]
    finding.status = Finding.Status.ANSWERED
    finding.answered_by = user
    finding.answered_at = timezone.now()
    finding.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    _refresh_open_count(finding.entry_id)
    return finding


@transaction.atomic
def finding_resolve(*, finding: Finding, user: User) -> Finding:
    finding = Finding.objects.select_for_update().select_related("entry__round").get(pk=finding.pk)
    _require_manager(user, finding.entry.round)
    if finding.status != Finding.Status.RESOLVED:
        finding.status = Finding.Status.RESOLVED
        finding.resolved_by = user
        finding.resolved_at = timezone.now()
        finding.save(update_fields=["status", "resolved_by", "resolved_at"])
        _refresh_open_count(finding.entry_id)
    return finding


# ---------------------------------------------------------------------------
# Reminders, the deadline-morning summary and the daily status snapshot
# ---------------------------------------------------------------------------


def next_milestone(round_: Round, status: str) -> tuple[str, datetime.date] | None:
    """The first milestone the school has not reached yet, with its date (office steps skipped)."""
    rank = STATUS_RANK.get(status, 0)
    for milestone_status, day in round_.milestone_dates():
        if milestone_status in OFFICE_STATUSES:
            continue  # the office's step, not the school's
        if STATUS_RANK[milestone_status] > rank:
            return milestone_status, day
    return None


def round_reminders(*, today: datetime.date) -> dict[str, int]:
    """Remind schools short of their next milestone on the round's reminder days (14, 7, 3, 1
    and 0 days before the deadline by default), tell the round's responsible staff on the same
    days how many schools have not submitted and how many wait for their check, and send the
    group head and the director a summary on the deadline morning. A round without a deadline
    reminds nobody. Each message has a dedupe key: a rerun sends nothing."""
    counts = {"reminded": 0, "staff": 0, "summaries": 0}
    for round_ in Round.objects.filter(opened_at__isnull=False, deadline_on__gte=today):
        assert round_.deadline_on is not None  # the filter above
        days_left = (round_.deadline_on - today).days
        if days_left in {int(d) for d in round_.reminder_days}:
            counts["reminded"] += _remind_schools(round_, days_left)
            counts["staff"] += _remind_staff(round_, days_left)
        if days_left == 0 and round_.has_import:
            counts["summaries"] += _deadline_summary(round_, today)
    return counts


def _remind_schools(round_: Round, days_left: int) -> int:
    behind = []
    entries = (
        RoundSchool.objects.filter(round=round_)
        .select_related("case")
        .exclude(status__in=round_.done_statuses)
    )
    for entry in entries.iterator(chunk_size=5000):
        milestone = next_milestone(round_, entry.status)
        if milestone is not None:
            behind.append((entry, milestone))
    holders = school_role_holders(RoleCode.SCHOOL_USER, {e.school_id for e, _m in behind})
    directors = school_role_holders(RoleCode.SCHOOL_DIRECTOR, {e.school_id for e, _m in behind})
    notices = []
    assert round_.deadline_on is not None  # only rounds with a deadline remind
    for entry, (status, day) in behind:
        recipients = holders.get(entry.school_id, [])
        if status == SchoolStatus.CERTIFIED:
            recipients = recipients + directors.get(entry.school_id, [])
        when = _("today") if days_left == 0 else _("in %(days)s days") % {"days": days_left}
        notices.append(
            Notice(
                recipients=recipients,
                kind="dmc_reminder",
                subject=_("%(round)s: deadline %(when)s (%(date)s %(time)s)")
                % {
                    "round": round_.title,
                    "when": when,
                    "date": thaitime.format_thai_date(round_.deadline_on),
                    "time": round_.cutoff_time.strftime("%H:%M"),
                },
                body=_("Next for your school: %(milestone)s by %(date)s.")
                % {"milestone": SchoolStatus(status).label, "date": thaitime.format_thai_date(day)},
                dedupe=f"dmc-remind:{entry.pk}:{days_left}",
                case=entry.case,
            )
        )
    notify_many(notices)
    return len(notices)


def _remind_staff(round_: Round, days_left: int) -> int:
    """The responsible staff's reminder: schools still to submit, submissions still to check."""
    staff = list(round_.responsible_staff.filter(is_active=True))
    if not staff:
        return 0
    counts = status_counts(round_)
    behind = sum(
        n for status, n in counts.items() if STATUS_RANK[status] < STATUS_RANK["submitted"]
    )
    to_check = counts.get(SchoolStatus.SUBMITTED, 0) + counts.get(SchoolStatus.CORRECTED, 0)
    if not (behind or to_check):
        return 0
    assert round_.deadline_on is not None  # only rounds with a deadline remind
    when = _("today") if days_left == 0 else _("in %(days)s days") % {"days": days_left}
    notify(
        recipients=staff,
        kind="duty_staff_reminder",
        subject=_("%(round)s: deadline %(when)s (%(date)s)")
        % {
            "round": round_.title,
            "when": when,
            "date": thaitime.format_thai_date(round_.deadline_on),
        },
        body=_(
            "%(behind)s of %(total)s schools have not submitted yet; %(to_check)s submissions"
            " wait for your check."
        )
        % {"behind": behind, "total": sum(counts.values()), "to_check": to_check},
        dedupe=f"duty-staff:{round_.pk}:{days_left}",
    )
    return len(staff)


def status_counts(round_: Round) -> dict[str, int]:
    """How many schools hold each of the round's statuses (the kind's own, in order)."""
    found = dict(
        RoundSchool.objects.filter(round=round_)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in round_.statuses}


def _deadline_summary(round_: Round, today: datetime.date) -> int:
    counts = status_counts(round_)
    lines = [f"{SchoolStatus(status).label}: {n}" for status, n in counts.items() if n]
    recipients = []
    for role in (RoleCode.GROUP_HEAD, RoleCode.DIRECTOR):
        recipients += role_holders(role=role, case=round_.ack_case) if round_.ack_case else []
    notify(
        recipients=recipients,
        kind="dmc_deadline_summary",
        subject=_("%(round)s: deadline today %(time)s — %(done)s of %(total)s schools certified")
        % {
            "round": round_.title,
            "time": round_.cutoff_time.strftime("%H:%M"),
            "done": counts[SchoolStatus.CERTIFIED] + counts[SchoolStatus.ACKNOWLEDGED],
            "total": sum(counts.values()),
        },
        body="\n".join(lines),
        dedupe=f"dmc-summary:{round_.pk}:{today.isoformat()}",
        case=round_.ack_case,
    )
    return 1 if recipients else 0


def round_snapshots(*, today: datetime.date) -> int:
    """Today's count of schools per status for every open round (the board's chart)."""
    done = 0
    # A round opened without a deadline is impossible (round_open asks for one).
    for round_ in Round.objects.filter(
        opened_at__isnull=False, deadline_on__gte=today - datetime.timedelta(days=7)
    ):
        RoundStatusSnapshot.objects.update_or_create(
            round=round_, day=today, defaults={"counts": status_counts(round_)}
        )
        done += 1
    return done


def requeue_stalled_imports(
    *, older_than: datetime.timedelta = datetime.timedelta(minutes=5)
) -> int:
    """Queued imports whose message was lost (broker down at upload) are sent again."""
    cutoff = timezone.now() - older_than
    ids = list(
        DataImport.objects.filter(
            status=DataImport.Status.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        _queue_import(pk)
    return len(ids)


# ---------------------------------------------------------------------------
# PDPA: the one way national IDs leave the portal in full
# ---------------------------------------------------------------------------


@transaction.atomic
def national_ids_export(
    *, round_: Round, user: User, reason: str
) -> tuple[NationalIdDisclosure, Iterator[list]]:
    """Rows with full national IDs for the administrator; the audit row is written first, and
    the rows are read lazily so a million students stream out rather than sit in memory."""
    if not checks.can_see_full_national_id(user) or (
        not user.is_superuser and user.office_id != round_.office_id
    ):
        raise PermissionDenied(_("Only the administrator can export national IDs in full."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Please give the reason for this export (PDPA).")})
    students = StudentRecord.objects.filter(round=round_, is_current=True).order_by(
        "entry__school__obec_code", "row_number"
    )
    disclosure = NationalIdDisclosure.objects.create(
        round=round_, user=user, reason=reason[:500], rows=students.count()
    )
    cipher = national_id_cipher()
    rows = (
        [code, checks.format_national_id(cipher.decrypt(token)), first, last, grade, gender, birth]
        for code, token, first, last, grade, gender, birth in students.values_list(
            "entry__school__obec_code",
            "national_id_encrypted",
            "first_name",
            "last_name",
            "grade",
            "gender",
            "birth_date",
        ).iterator(chunk_size=5000)
    )
    return disclosure, rows


def entry_touch(entry_id: int, **fields) -> None:
    RoundSchool.objects.filter(pk=entry_id).update(last_activity_at=timezone.now(), **fields)

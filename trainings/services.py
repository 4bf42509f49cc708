"""Writes for trainings. Each function checks who may write and keeps the rules the database
cannot (a registered participant only, attendance enough for a certificate…)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleCode, School, User
from core import thaitime
from core.import_jobs import RowError
from documents.memo import long_date
from documents.models import IssuedDocument, RegisterKind
from documents.services import document_bytes, document_issue, document_render, issued_cancel
from processes.models import Case
from processes.selectors import cases_visible_to
from trainings.models import (
    DEFAULT_QUESTIONS,
    Answer,
    Attendance,
    Certificate,
    EvaluationResponse,
    Participant,
    Question,
    Session,
    Training,
    name_key,
)
from trainings.selectors import can_manage, eligibility

TRAINING_FIELDS = (
    "title",
    "description",
    "registration_open",
    "capacity",
    "min_attendance_percent",
    "evaluation_required",
    "signer_name",
    "signer_position",
)
SESSION_FIELDS = (
    "date",
    "starts_at",
    "ends_at",
    "hours",
    "topic",
    "place",
    "online_link",
    "speakers",
)


def _require_manager(user: User, training_or_office_id: Training | int) -> None:
    office_id = (
        training_or_office_id.office_id
        if isinstance(training_or_office_id, Training)
        else training_or_office_id
    )
    if not can_manage(user, office_id):
        raise PermissionDenied(_("Only the office's staff and group head run trainings."))


# ---------------------------------------------------------------------------------------------
# Trainings and sessions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def training_create(*, user: User, case: Case, **values: Any) -> Training:
    """A training held as part of `case` (any process), with the standard evaluation form."""
    _require_manager(user, case.office_id)
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.state == Case.State.CANCELLED:
        raise ValidationError({"case": _("The case is cancelled.")})
    training = Training(
        office_id=case.office_id,
        case=case,
        created_by=user,
        **{k: v for k, v in values.items() if k in TRAINING_FIELDS},
    )
    training.title = training.title.strip()
    training.full_clean()
    training.save()
    Question.objects.bulk_create(
        Question(
            training=training, position=i, kind=kind, text=str(text), required=kind == "rating"
        )
        for i, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    return training


@transaction.atomic
def training_update(*, user: User, training: Training, **values: Any) -> Training:
    _require_manager(user, training)
    for name in TRAINING_FIELDS:
        if name in values:
            setattr(training, name, values[name])
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def session_save(
    *, user: User, training: Training, session: Session | None = None, **values: Any
) -> Session:
    _require_manager(user, training)
    if session is not None and session.training_id != training.pk:
        raise PermissionDenied
    session = session or Session(training=training)
    for name in SESSION_FIELDS:
        if name in values:
            setattr(session, name, values[name] if values[name] is not None else "")
    for name in ("starts_at", "ends_at"):
        if getattr(session, name) == "":
            setattr(session, name, None)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_delete(*, user: User, session: Session) -> None:
    _require_manager(user, session.training)
    if session.attendance.exists():
        raise ValidationError(_("Attendance has been recorded for this session; it stays."))
    session.delete()


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


def _check_seat(training: Training, adding: int = 1) -> None:
    if training.capacity and training.participants.count() + adding > training.capacity:
        raise ValidationError(_("The training is full (%(n)s seats).") % {"n": training.capacity})


def _save_participant(participant: Participant) -> Participant:
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already registered for this training.") % {"name": participant.full_name}
        ) from None
    return participant


@transaction.atomic
def register_self(*, user: User, training: Training) -> Participant:
    """A person of the office (a school's teacher, the office's staff) signs up themselves."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not user.is_active or user.office_id != training.office_id:
        raise PermissionDenied(_("Only people of the office register for its trainings."))
    if not training.registration_open:
        raise ValidationError(_("Registration for this training is closed."))
    if training.participants.filter(user=user).exists():
        raise ValidationError(_("You are already registered for this training."))
    _check_seat(training)
    return _save_participant(
        Participant(
            training=training,
            user=user,
            full_name=user.display_name,
            position=user.position,
            school=user.school,
            email=user.email,
            source=Participant.Source.SELF,
            registered_by=user,
        )
    )


@transaction.atomic
def participant_remove(*, user: User, participant: Participant) -> None:
    """Staff take a person off the list, or a person withdraws, before anything is recorded."""
    if participant.user_id != user.pk:
        _require_manager(user, participant.training)
    if (
        participant.attendance.exists()
        or hasattr(participant, "certificate")
        or EvaluationResponse.objects.filter(participant=participant).exists()
    ):
        raise ValidationError(
            _("%(name)s has attendance or answers recorded; the registration stays.")
            % {"name": participant.full_name}
        )
    participant.delete()


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


class ParticipantList:
    """The rows of a participant list (full_name, position, school_code, email) read against the
    training as it is now: who is new (`new`), who was registered already (`already`, by name,
    or by account through the e-mail), and which rows are wrong. Rows may be read a batch at a
    time; names repeated within the list are the whole list's."""

    def __init__(self, *, user: User, training: Training) -> None:
        self.user = user
        self.training = training
        self.schools = {s.obec_code: s for s in School.objects.filter(office_id=training.office_id)}
        self.accounts = {
            u.email.casefold(): u
            for u in User.objects.filter(office_id=training.office_id, is_active=True).exclude(
                email=""
            )
        }
        self.existing_names = set(training.participants.values_list("name_key", flat=True))
        self.existing_users = set(
            training.participants.exclude(user=None).values_list("user_id", flat=True)
        )
        self.seen: set[str] = set()
        self.new: list[Participant] = []
        self.already: list[str] = []

    def read(self, rows: Sequence[Mapping[str, str]], *, first_row: int = 2) -> list[RowError]:
        """Read `rows`, the first of which is spreadsheet row `first_row`; the wrong ones."""
        errors: list[RowError] = []
        for number, row in enumerate(rows, start=first_row):
            problem = self._read_row(row)
            if problem:
                errors.append(RowError(number, (problem,)))
        return errors

    def _read_row(self, row: Mapping[str, str]) -> str:
        name = " ".join(str(row.get("full_name") or "").split())
        code = thaitime.to_arabic_digits(str(row.get("school_code") or "")).strip()
        if not name and not code and not row.get("position"):
            return ""  # a blank line
        if not name:
            return _("The full name is missing.")
        school = None
        if code:
            school = self.schools.get(code)
            if school is None:
                return _("No school of this office has the code %(code)s.") % {"code": code}
        email = str(row.get("email") or "").strip()
        account = self.accounts.get(email.casefold()) if email else None
        key = name_key(name)
        if (
            key in self.existing_names
            or key in self.seen
            or (account and account.pk in self.existing_users)
        ):
            self.already.append(name)
            return ""
        self.seen.add(key)
        self.new.append(
            Participant(
                training=self.training,
                user=account,
                full_name=name,
                name_key=key,
                position=str(row.get("position") or "").strip()[:255],
                school=school,
                email=email[:254],
                source=Participant.Source.LIST,
                registered_by=self.user,
            )
        )
        return ""

    def seats_problem(self) -> str:
        """Why the new people do not fit the training's seats ("" when they do)."""
        try:
            _check_seat(self.training, len(self.new))
        except ValidationError as error:
            return " ".join(error.messages)
        return ""


@transaction.atomic
def participants_import(
    *, user: User, training: Training, rows: Sequence[Mapping[str, str]]
) -> ImportResult:
    """Add a list of people (rows of full_name, position, school_code, email) in one go.

    A row with an unknown school code or without a name stores nothing of the whole list and
    every such row is reported with its row number (row 2 is the first under the header).
    People already registered (by name, or by account) are skipped and listed. The list page
    runs this in the background after checking the rows in batches (trainings.services_lists).
    """
    _require_manager(user, training)
    training = Training.objects.select_for_update().get(pk=training.pk)
    people = ParticipantList(user=user, training=training)
    errors = people.read(rows)
    if errors:
        raise ValidationError([str(error) for error in errors])
    _check_seat(training, len(people.new))
    try:
        with transaction.atomic():
            Participant.objects.bulk_create(people.new)
    except IntegrityError:
        raise ValidationError(
            _("Someone registered at the same moment; upload the list again.")
        ) from None
    return ImportResult(added=[p.full_name for p in people.new], already=people.already)


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *, user: User, session: Session, present: Iterable[int | str]
) -> tuple[int, int]:
    """Make the session's attendance exactly the participants `present` (their ids); returns
    (added, removed). Anyone not registered for this training is refused."""
    training = session.training
    _require_manager(user, training)
    wanted = {int(pk) for pk in present}
    registered = set(training.participants.filter(pk__in=wanted).values_list("pk", flat=True))
    strangers = wanted - registered
    if strangers:
        raise ValidationError(
            _("Only participants registered for this training can be marked present.")
        )
    current = set(session.attendance.values_list("participant_id", flat=True))
    removed = current - wanted
    added = wanted - current
    if removed:
        session.attendance.filter(participant_id__in=removed).delete()
    Attendance.objects.bulk_create(
        Attendance(session=session, participant_id=pk, marked_by=user) for pk in sorted(added)
    )
    return len(added), len(removed)


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def evaluation_submit(
    *, user: User, training: Training, answers: Mapping[int, Any]
) -> EvaluationResponse:
    """The participant's one evaluation, after attending at least one session."""
    participant = training.participants.filter(user=user).first()
    if participant is None:
        raise PermissionDenied(_("Only the training's participants answer its evaluation."))
    if not participant.attendance.exists():
        raise ValidationError(_("The evaluation opens once you have attended a session."))
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    for question in training.questions.all():
        value = answers.get(question.pk)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if question.required:
                errors[f"q{question.pk}"] = _("Please answer this question.")
            continue
        answer = Answer(question=question)
        if question.kind == Question.Kind.RATING:
            if str(value) not in {"1", "2", "3", "4", "5"}:
                errors[f"q{question.pk}"] = _("Choose one of the five levels.")
                continue
            answer.rating = int(value)
        else:
            answer.text = str(value)[:5000]
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(participant=participant)
            for answer in rows:
                answer.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError(_("You have already answered this evaluation.")) from None
    return response


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------


def _signer(training: Training) -> tuple[str, str]:
    if training.signer_name.strip():
        return training.signer_name.strip(), training.signer_position.strip()
    director = (
        User.objects.filter(
            office_id=training.office_id, roles__code=RoleCode.DIRECTOR, is_active=True
        )
        .order_by("pk")
        .first()
    )
    office_name = training.office.name_th
    position = (director.position if director and director.position else "") or (
        f"ผู้อำนวยการ{office_name}"
    )
    return (director.display_name if director else ""), position


def _dates_text(training: Training) -> str:
    """'10 ธันวาคม 2569', '10 - 11 ธันวาคม 2569' or '30 ธันวาคม 2569 - 2 มกราคม 2570'."""
    dates = sorted({s.date for s in training.sessions.all()})
    if not dates:
        return ""

    def long(day) -> str:
        return thaitime.format_thai_date(day, "long", language="th").replace("พ.ศ. ", "")

    first, last = dates[0], dates[-1]
    if first == last:
        return long(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} - {long(last)}"
    return f"{long(first)} - {long(last)}"


@transaction.atomic
def certificate_issue(*, user: User, participant: Participant) -> Certificate:
    """The participant's certificate: taken from the register once; asking again returns it.

    The participant asks for their own; staff may issue anyone's. Refused until the person has
    attended enough of the hours (and answered the evaluation, where the training asks it).
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    training = participant.training
    if participant.user_id != user.pk:
        _require_manager(user, training)
    existing = Certificate.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    status = eligibility(participant)
    if not status.attendance_ok:
        raise ValidationError(
            _("A certificate needs %(needed)s of the %(total)s hours; %(attended)s attended.")
            % {"needed": status.needed, "total": status.total, "attended": status.attended}
        )
    if not status.ok:
        raise ValidationError(_("Answer the evaluation first; the certificate follows."))
    today = timezone.localdate()
    signer_name, signer_position = _signer(training)
    affiliation = participant.school.name_th if participant.school is not None else ""
    dates = _dates_text(training)
    document = document_issue(
        kind=IssuedDocument.Kind.CERTIFICATE,
        register=RegisterKind.CERTIFICATE,
        case=training.case,
        subject=f"เกียรติบัตรการอบรม {training.title}",
        recipient=participant.full_name,
        content={
            "subject": f"เกียรติบัตรการอบรม {training.title}",
            "recipient_name": participant.full_name,
            "recipient_affiliation": affiliation,
            "training_title": training.title,
            "hours": f"{status.total:g}",
            "training_dates": dates,
            "issued_on": long_date(today),
            "signer": {"name": signer_name, "position": signer_position},
        },
        user=user,
        decision="มอบเกียรติบัตร",
    )
    entry = document.entry
    return Certificate.objects.create(
        training=training,
        participant=participant,
        office_id=training.office_id,
        year=entry.year,
        sequence=entry.number,
        number=entry.display_number,
        recipient_name=participant.full_name,
        recipient_affiliation=affiliation,
        training_title=training.title,
        hours=status.total,
        training_date_text=dates,
        signer_name=signer_name,
        signer_position=signer_position,
        issued_on=today,
        issued_by=user,
        document=document,
    )


def certificates_issue_all(*, user: User, training: Training) -> tuple[int, int]:
    """Issue every eligible participant's certificate; returns (issued now, not eligible)."""
    _require_manager(user, training)
    issued = skipped = 0
    for participant in training.participants.filter(certificate__isnull=True):
        try:
            certificate_issue(user=user, participant=participant)
        except ValidationError:
            skipped += 1
        else:
            issued += 1
    return issued, skipped


def certificate_is_stored(certificate: Certificate) -> bool:
    """Whether the certificate's file is kept already (served as it is, nothing to render)."""
    if certificate.document_id is not None:
        document = certificate.document
        return document is not None and document.is_issued
    return bool(certificate.file)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF: the registered document's stored file (rendered now if the
    worker has not done it yet, never again afterwards). Certificates issued before they were
    registered documents keep their own stored file, rendered once on first download."""
    if certificate.document_id is not None:
        document = document_render(certificate.document_id)
        assert document is not None  # the row is protected from deletion
        if certificate.sha256 != document.sha256:
            Certificate.objects.filter(pk=certificate.pk).update(sha256=document.sha256)
            certificate.sha256 = document.sha256
        return document_bytes(document)
    if certificate.file:
        with certificate.file.open("rb") as stored:
            return stored.read()
    from trainings.pdf import render_certificate

    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.file:  # rendered by a simultaneous request
            with locked.file.open("rb") as stored:
                return stored.read()
        data = render_certificate(locked)
        locked.sha256 = hashlib.sha256(data).hexdigest()
        locked.file.save(f"certificate-{locked.pk}.pdf", ContentFile(data), save=False)
        locked.save(update_fields=["file", "sha256"])
    certificate.file, certificate.sha256 = locked.file, locked.sha256
    return data


@transaction.atomic
def certificate_cancel(*, user: User, certificate: Certificate, reason: str) -> Certificate:
    """A cancelled number stays in the register, marked, with the reason."""
    _require_manager(user, certificate.training)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if certificate.cancelled_at is None:
        certificate.cancelled_at = timezone.now()
        certificate.cancel_reason = reason.strip()[:500]
        certificate.save(update_fields=["cancelled_at", "cancel_reason"])
        if certificate.document is not None:
            issued_cancel(document=certificate.document, user=user, reason=reason)
    return certificate

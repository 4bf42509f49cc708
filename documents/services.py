"""Writes of official documents: numbers from the registers, issuing, freezing, cancelling.

Every number is taken by `number_take` inside the caller's transaction, under a row lock on the
register's counter: two documents issued at once wait for each other for the few milliseconds
of the insert, and a transaction that rolls back gives its number back with everything else,
so a register has neither gaps nor repeats.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, User
from core import thaitime
from documents.memo import approval_round, memo_content
from documents.models import (
    IssuedDocument,
    OfficeDocumentSettings,
    RegisterCounter,
    RegisterEntry,
    RegisterKind,
)
from documents.selectors import can_edit_settings, can_keep_registers, settings_for
from processes.models import Case, Outcome, StepKind, Task

logger = logging.getLogger(__name__)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


def settings_save(*, office: Office, user: User, values: dict[str, Any]) -> OfficeDocumentSettings:
    if not can_edit_settings(user) or (not user.is_superuser and user.office_id != office.pk):
        raise PermissionDenied
    current = settings_for(office)
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


# ---------------------------------------------------------------------------------------------
# Registers
# ---------------------------------------------------------------------------------------------


def register_year(kind: str, day: datetime.date) -> int:
    """Both registers start again each year: the outgoing one on 1 January (calendar year),
    the order register with the Buddhist year, which also turns on 1 January; kept in B.E."""
    return day.year + thaitime.BE_OFFSET


def number_take(
    *,
    office: Office,
    kind: str,
    date: datetime.date,
    subject: str,
    sender: str,
    recipient: str,
    user: User | None,
) -> RegisterEntry:
    """The next number of the register, as a row; call inside the transaction that needs it."""
    year = register_year(kind, date)
    with transaction.atomic():
        try:
            with transaction.atomic():
                RegisterCounter.objects.get_or_create(office=office, kind=kind, year=year)
        except IntegrityError:  # created by a concurrent transaction just now: it is there
            pass
        counter = RegisterCounter.objects.select_for_update().get(
            office=office, kind=kind, year=year
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        prefix = settings_for(office).letter_prefix if kind == RegisterKind.OUTGOING else ""
        return RegisterEntry.objects.create(
            office=office,
            kind=kind,
            year=year,
            number=counter.last_number,
            prefix=prefix,
            date=date,
            subject=subject[:500],
            sender=sender[:255],
            recipient=recipient[:255],
            taken_by=user,
        )


def outside_number_take(
    *,
    user: User,
    kind: str,
    date: datetime.date,
    subject: str,
    recipient: str,
    upload=None,
) -> RegisterEntry:
    """A clerk takes a number for a document made outside the portal (and files it)."""
    if not can_keep_registers(user) or not user.office_id:
        raise PermissionDenied
    assert user.office is not None  # office_id was checked above
    with transaction.atomic():
        entry = number_take(
            office=user.office,
            kind=kind,
            date=date,
            subject=subject,
            sender=settings_for(user.office).group_name or user.office.name_th,
            recipient=recipient,
            user=user,
        )
        if upload is not None:
            data = upload.read()
            entry.file_sha256 = sha256_of(data)
            entry.file_name = upload.name[:255]
            entry.file.save(f"{entry.kind}-{entry.year}-{entry.number}.pdf", ContentFile(data))
    return entry


def entry_cancel(*, entry: RegisterEntry, user: User, reason: str) -> RegisterEntry:
    """Cancel a number: it stays in the register, marked, with who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for cancelling this number.")})
    if not can_keep_registers(user):
        raise PermissionDenied
    if not user.is_superuser and entry.office_id != user.office_id:
        raise PermissionDenied
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_cancelled:
            raise ValidationError(_("This number is already cancelled."))
        entry.status = RegisterEntry.Status.CANCELLED
        entry.cancel_reason = reason
        entry.cancelled_by = user
        entry.cancelled_at = timezone.now()
        entry.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    return entry


# ---------------------------------------------------------------------------------------------
# Issuing a memo at the final decision of an approval
# ---------------------------------------------------------------------------------------------


def ends_approval(task: Task, case: Case) -> bool:
    """Is `task`'s decision the final one of its approval request? Approval by the last level
    of the chain, or refusal at any level; a return for revision is not a decision. A report
    acknowledged by the director (an acknowledgement step: ทราบ) is decided too: its memo
    (รายงานผลการดำเนินงาน … เพื่อโปรดทราบ) is issued like an approval's."""
    if task.step.kind == StepKind.ACKNOWLEDGE:
        return task.outcome == Outcome.ACKNOWLEDGE
    if task.step.kind != StepKind.APPROVAL or not task.outcome:
        return False
    if task.outcome == Outcome.REJECT:
        return True
    if task.outcome != Outcome.APPROVE:
        return False
    return task.level + 1 >= len(task.step.chain_for(case))


def order_check(
    *, subject: str, legal_basis: str, duties: str, members: list[dict[str, str]]
) -> None:
    """The rules of a prepared order: the texts are there, every member has a name, a position
    and a standard role, nobody is listed twice, one chair and at most one secretary."""
    from documents.orders import ROLES

    errors: dict[str, list[str]] = {}
    for field, value in (("subject", subject), ("legal_basis", legal_basis), ("duties", duties)):
        if not (value or "").strip():
            errors.setdefault(field, []).append(_("This field is required."))
    problems: list[str] = []
    if not members:
        problems.append(_("List at least one member of the working group."))
    for number, member in enumerate(members, start=1):
        if not all((member.get(key) or "").strip() for key in ("name", "position", "role")):
            problems.append(_("Row %(row)s: give the name, position and role.") % {"row": number})
        elif member["role"] not in ROLES:
            problems.append(_("Row %(row)s: choose a role from the list.") % {"row": number})
    names = [" ".join((m.get("name") or "").split()) for m in members]
    for name in sorted({n for n in names if n and names.count(n) > 1}):
        problems.append(_("%(name)s is listed more than once.") % {"name": name})
    roles = [m.get("role") for m in members]
    if members and roles.count("ประธาน") != 1:
        problems.append(_("The working group needs exactly one chair (ประธาน)."))
    if roles.count("กรรมการและเลขานุการ") > 1:
        problems.append(_("Only one member can be the secretary (กรรมการและเลขานุการ)."))
    if problems:
        errors["members"] = problems
    if errors:
        raise ValidationError(errors)


def order_may_prepare(*, case: Case, user: User) -> bool:
    """May `user` prepare the appointment order of `case`? Register clerks (staff, group head,
    administrator) who may see the case, while none is waiting for signature or issued."""
    from processes.selectors import cases_visible_to

    return can_keep_registers(user) and cases_visible_to(user).filter(pk=case.pk).exists()


def order_propose(
    *,
    case: Case,
    user: User,
    subject: str,
    purpose: str,
    legal_basis: str,
    duties: str,
    effective_date: datetime.date | None,
    members: list[dict[str, str]],
) -> Case:
    """Put the appointment order of `case`'s working group, as staff prepared it, up for the
    director's signature: a case of the order process that carries exactly that order."""
    from documents.orders import order_data, order_definition
    from processes.services import case_start

    if not order_may_prepare(case=case, user=user):
        raise PermissionDenied
    order_check(subject=subject, legal_basis=legal_basis, duties=duties, members=members)
    data = order_data(
        case,
        subject=subject,
        purpose=purpose,
        legal_basis=legal_basis,
        duties=duties,
        effective_date=effective_date,
        members=members,
    )
    with transaction.atomic():
        # The source case's row lock makes two clerks proposing at once propose one order.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if order_pending_or_issued(case):
            raise ValidationError(_("The appointment order of this case is already proposed."))
        return case_start(
            definition=order_definition(),
            requester=user,
            title=data["subject"],
            office=case.office,
            subject=case,
            data={"order": data},
        )


def order_pending_or_issued(case: Case) -> bool:
    """Is an order for `case`'s working group waiting for signature, or already issued?"""
    from documents.orders import ORDER_PROCESS

    orders = Case.objects.filter(
        version__definition__code=ORDER_PROCESS, data__order__for_case=case.reference
    )
    return (
        orders.filter(state=Case.State.RUNNING).exists()
        or IssuedDocument.objects.filter(
            kind=IssuedDocument.Kind.ORDER, case__in=orders.values("pk")
        ).exists()
    )


def order_content(case: Case, task: Task, *, number: str = "") -> dict[str, Any]:
    """The order exactly as staff prepared it (the order case's data), with the number, the
    signing date and the signer once decided; without them it prints as the draft the
    director reads before signing."""
    from documents.memo import long_date, signature_for

    office_settings = settings_for(case.office)
    data = (case.data or {}).get("order", {})
    signature = signature_for(task, case) if task.outcome else None
    content = {
        "office_name": office_settings.office_name,
        "number": number,
        "subject": data.get("subject", case.title),
        "purpose": data.get("purpose", ""),
        "legal_basis": data.get("legal_basis") or _legal_basis(),
        "members": data.get("members", []),
        "duties": data.get("duties", ""),
        "duty_lines": [
            line.strip() for line in data.get("duties", "").splitlines() if line.strip()
        ],
        "effective": _effective_words(data.get("effective_date", "")),
        "date": long_date(task.finished_at) if task.outcome else "",
        "signer": signature.as_content() if signature else None,
        "for_case": data.get("for_case", ""),
        "decision": "ลงนามแล้ว" if task.outcome else "",
    }
    signer = content["signer"]
    if office_settings.order_signer_position and signer and not signer["acting_line"]:
        signer["position"] = office_settings.order_signer_position
    return content


def order_issue(*, case: Case, task: Task) -> IssuedDocument:
    """Number (order register, per Buddhist year) and freeze an approved appointment order."""
    existing = IssuedDocument.objects.filter(task=task, kind=IssuedDocument.Kind.ORDER).first()
    if existing:
        return existing
    office_settings = settings_for(case.office)
    data = (case.data or {}).get("order", {})
    decided_at = task.finished_at or timezone.now()
    with transaction.atomic():
        entry = number_take(
            office=case.office,
            kind=RegisterKind.ORDER,
            date=timezone.localdate(decided_at),
            subject=data.get("subject", case.title),
            sender=office_settings.office_name,
            recipient="คณะทำงานตามคำสั่ง",
            user=task.finished_by,
        )
        content = order_content(case, task, number=entry.display_number)
        document = IssuedDocument.objects.create(
            entry=entry,
            office=case.office,
            kind=IssuedDocument.Kind.ORDER,
            case=case,
            task=task,
            subject=content["subject"],
            decision=content["decision"],
            decided_at=decided_at,
            content=content,
        )
        transaction.on_commit(lambda: enqueue_render(document.pk))
    return document


def _effective_words(iso_date: str) -> str:
    """ทั้งนี้ ตั้งแต่… : the day the order takes effect, or from its signing."""
    from documents.memo import long_date

    if iso_date:
        try:
            day = datetime.date.fromisoformat(iso_date)
        except ValueError:
            day = None
        if day is not None:
            return f"ตั้งแต่วันที่ {long_date(day)} เป็นต้นไป"
    return "ตั้งแต่บัดนี้เป็นต้นไป"


def _legal_basis() -> str:
    from documents.orders import LEGAL_BASIS

    return LEGAL_BASIS


def memo_issue(*, case: Case, task: Task, frozen_later: bool = False) -> IssuedDocument:
    """Number and freeze the memo of a decided approval, in the caller's transaction; the file
    is rendered on commit by a Celery task (and retried there), never again afterwards."""
    existing = IssuedDocument.objects.filter(task=task, kind=IssuedDocument.Kind.MEMO).first()
    if existing:
        return existing
    content = memo_content(case, task)
    office_settings = settings_for(case.office)
    decided_at = task.finished_at or timezone.now()
    proposal_day = timezone.localdate(approval_round(task)[0].started_at)
    with transaction.atomic():
        entry = number_take(
            office=case.office,
            kind=RegisterKind.OUTGOING,
            date=proposal_day,
            subject=content["subject"],
            sender=office_settings.group_name or office_settings.office_name,
            recipient=content["addressee"],
            user=task.finished_by,
        )
        content["number"] = entry.display_number
        document = IssuedDocument.objects.create(
            entry=entry,
            office=case.office,
            kind=IssuedDocument.Kind.MEMO,
            case=case,
            task=task,
            subject=content["subject"],
            decision=content["decision"],
            decided_at=decided_at,
            content=content,
            frozen_later=frozen_later,
        )
        transaction.on_commit(lambda: enqueue_render(document.pk))
    return document


def document_issue(
    *,
    kind: str,
    register: str,
    case: Case,
    subject: str,
    recipient: str,
    content: dict[str, Any],
    user: User | None,
    decision: str = "",
) -> IssuedDocument:
    """Number, register and freeze a document issued outside an approval (a certificate):
    the next number of `register`, the content kept as given, the file rendered once on
    commit (or at its first download) and verifiable at /verify/. The caller has checked that
    `user` may issue it. `content["number"]` is filled in from the register."""
    office_settings = settings_for(case.office)
    now = timezone.now()
    with transaction.atomic():
        entry = number_take(
            office=case.office,
            kind=register,
            date=timezone.localdate(now),
            subject=subject,
            sender=office_settings.group_name or office_settings.office_name,
            recipient=recipient,
            user=user,
        )
        content = {**content, "number": entry.display_number}
        content.setdefault("office_name", office_settings.office_name)
        document = IssuedDocument.objects.create(
            entry=entry,
            office=case.office,
            kind=kind,
            case=case,
            task=None,
            subject=subject[:500],
            decision=decision,
            decided_at=now,
            content=content,
        )
        transaction.on_commit(lambda: enqueue_render(document.pk))
    return document


def issued_cancel(*, document: IssuedDocument, user: User, reason: str) -> RegisterEntry:
    """Cancel an issued document's number (the caller has checked `user`'s authority over the
    document, e.g. the training's managers for a certificate). The file stays as issued; the
    register and the verification page say it is cancelled, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for cancelling this number.")})
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=document.entry_id)
        if not entry.is_cancelled:
            entry.status = RegisterEntry.Status.CANCELLED
            entry.cancel_reason = reason[:2000]
            entry.cancelled_by = user
            entry.cancelled_at = timezone.now()
            entry.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    return entry


def enqueue_render(document_id: int) -> None:
    from documents.tasks import render_document

    try:
        render_document.delay(document_id)
    except Exception:  # the broker is down: the periodic sweep renders it later
        logger.warning("Broker unavailable; document %s waits for the sweep.", document_id)


def document_render(document_id: int) -> IssuedDocument | None:
    """Render, sign and store an issued document once. A second call does nothing: a stored
    file is never rendered again. A failure is counted on the row and raised (for the retry)."""
    from documents.rendering import render_issued

    try:
        with transaction.atomic():
            document = (
                IssuedDocument.objects.select_for_update()
                .select_related("entry", "office")
                .filter(pk=document_id)
                .first()
            )
            if document is None or document.is_issued:
                return document
            data, signed = render_issued(document)
            document.file.save(
                f"{document.kind}-{document.entry.year}-{document.entry.number}"
                f"-{document.token}.pdf",
                ContentFile(data),
                save=False,
            )
            document.sha256 = sha256_of(data)
            document.size = len(data)
            document.signed = signed
            document.status = IssuedDocument.Status.ISSUED
            document.frozen_at = timezone.now()
            document.attempts += 1
            document.last_error = ""
            document.save()
            RegisterEntry.objects.filter(pk=document.entry_id).update(file_sha256=document.sha256)
    except Exception as error:
        IssuedDocument.objects.filter(pk=document_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return document


def pending_documents_render(*, older_than: datetime.timedelta | None = None) -> list[int]:
    """Queue again documents still being prepared (a lost message, a broker outage)."""
    cutoff = timezone.now() - (older_than or datetime.timedelta(minutes=5))
    ids = list(
        IssuedDocument.objects.filter(
            status=IssuedDocument.Status.PREPARING, decided_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        enqueue_render(pk)
    return ids


def decided_memos_freeze(*, render: bool = True) -> int:
    """Issue the memos of approvals decided before documents were frozen (management command
    freeze_decided_memos); each is marked frozen later, with its freeze date."""
    frozen = 0
    tasks = (
        Task.objects.filter(
            step__kind__in=[StepKind.APPROVAL, StepKind.ACKNOWLEDGE],
            outcome__in=[Outcome.APPROVE, Outcome.REJECT, Outcome.ACKNOWLEDGE],
        )
        .exclude(issued_documents__kind=IssuedDocument.Kind.MEMO)
        .select_related("case__office", "case__version__definition", "step", "finished_by")
        .order_by("finished_at", "pk")
    )
    for task in tasks.iterator(chunk_size=200):
        case = task.case
        if not ends_approval(task, case):
            continue
        with transaction.atomic():
            document = memo_issue(case=case, task=task, frozen_later=True)
        if render:
            document_render(document.pk)
        frozen += 1
    return frozen


def document_bytes(document: IssuedDocument) -> bytes:
    """The stored file, checked against the SHA-256 kept at issue."""
    with document.file.open("rb") as handle:
        data = handle.read()
    if sha256_of(data) != document.sha256:
        raise ValueError(f"Stored file of document {document.pk} does not match its SHA-256.")
    return data


def verification_base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")

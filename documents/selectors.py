"""Reads of official documents: settings as printed, who may see which register, searches."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Office, RoleCode, User
from accounts.selectors import authority_for
from core import thaitime
from core.params import int_param
from documents.models import IssuedDocument, OfficeDocumentSettings, RegisterEntry, RegisterKind
from processes.selectors import cases_visible_to

# Office people who read the registers; who of them may take or cancel a number (the clerk's
# desk is the group's staff, its head and the administrator).
REGISTER_READERS = (
    RoleCode.STAFF,
    RoleCode.GROUP_HEAD,
    RoleCode.DEPUTY_DIRECTOR,
    RoleCode.DIRECTOR,
    RoleCode.ADMIN,
)
REGISTER_CLERKS = (RoleCode.STAFF, RoleCode.GROUP_HEAD, RoleCode.ADMIN)


def settings_for(office: Office) -> OfficeDocumentSettings:
    """The office's document settings; until its administrator saves them, the defaults the
    office row gives (name, ICT group, telephone), unsaved."""
    found = OfficeDocumentSettings.objects.filter(office=office).first()
    if found is not None:
        return found
    return OfficeDocumentSettings(
        office=office,
        office_name=office.name_th,
        group_name=office.ict_group_name,
        telephone=office.phone,
    )


def _holds(user: User, roles) -> bool:
    return any(authority_for(user, role) is not None for role in roles)


def can_read_registers(user: User) -> bool:
    if user.is_superuser:
        return True
    return bool(user.office_id) and not user.is_school_side and _holds(user, REGISTER_READERS)


def can_keep_registers(user: User) -> bool:
    if user.is_superuser:
        return True
    return bool(user.office_id) and not user.is_school_side and _holds(user, REGISTER_CLERKS)


def can_edit_settings(user: User) -> bool:
    if user.is_superuser:
        return True
    return bool(user.office_id) and _holds(user, [RoleCode.ADMIN])


def register_entries(
    user: User, kind: str, *, year: int | None = None, query: str = ""
) -> QuerySet[RegisterEntry]:
    """One register of the user's office, newest first; `query` searches subject, from, to and
    the number."""
    if not can_read_registers(user):
        raise PermissionDenied
    if kind not in RegisterKind.values:
        raise Http404
    entries = RegisterEntry.objects.filter(kind=kind).select_related(
        "taken_by", "cancelled_by", "document"
    )
    if not user.is_superuser or user.office_id:
        entries = entries.filter(office_id=user.office_id)  # type: ignore[misc]  # Django reads =None as IS NULL
    if year:
        entries = entries.filter(year=year)
    query = query.strip()
    if query:
        condition = (
            Q(subject__icontains=query) | Q(sender__icontains=query) | Q(recipient__icontains=query)
        )
        number = int_param(thaitime.to_arabic_digits(query).split("/")[-1], maximum=2**31 - 1)
        if number is not None:
            condition |= Q(number=number)
        entries = entries.filter(condition)
    return entries.order_by("-year", "-number")


def register_years(user: User, kind: str) -> list[int]:
    entries = RegisterEntry.objects.filter(kind=kind)
    if not user.is_superuser or user.office_id:
        entries = entries.filter(office_id=user.office_id)  # type: ignore[misc]  # Django reads =None as IS NULL
    return list(entries.order_by("-year").values_list("year", flat=True).distinct())


def get_entry_for_user(user: User, pk: int) -> RegisterEntry:
    entry = get_object_or_404(RegisterEntry.objects.select_related("taken_by"), pk=pk)
    if not can_read_registers(user) or (
        not user.is_superuser and entry.office_id != user.office_id
    ):
        raise Http404
    return entry


def get_document_for_user(user: User, pk: int) -> IssuedDocument:
    """An issued document: readable by whoever may see its case, and by the office's register
    readers; 404 for everyone else (no hint that it exists)."""
    document = get_object_or_404(
        IssuedDocument.objects.select_related("entry", "case", "office"), pk=pk
    )
    if can_read_registers(user) and (user.is_superuser or document.office_id == user.office_id):
        return document
    if cases_visible_to(user).filter(pk=document.case_id).exists():
        return document
    raise Http404


def document_for_decision(task_id: int, kind: str = IssuedDocument.Kind.MEMO):
    return IssuedDocument.objects.select_related("entry").filter(task_id=task_id, kind=kind).first()


def documents_of_case(case) -> list[IssuedDocument]:
    """Documents issued by the case, and the appointment order of its working group."""
    return list(
        IssuedDocument.objects.filter(
            Q(case=case, kind__in=[IssuedDocument.Kind.MEMO, IssuedDocument.Kind.ORDER])
            | Q(kind=IssuedDocument.Kind.ORDER, case__data__order__for_case=case.reference)
        )
        .select_related("entry")
        .order_by("decided_at")
    )


def document_by_token(token: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("entry", "office")
        .filter(token=token, status=IssuedDocument.Status.ISSUED)
        .first()
    )


def document_by_sha256(digest: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("entry", "office")
        .filter(sha256=digest, status=IssuedDocument.Status.ISSUED)
        .first()
    )


def issued_memo_of_round(task) -> IssuedDocument | None:
    """The memo issued for the approval request `task` is a level of, if it is decided."""
    from documents.memo import approval_round

    ids = [t.pk for t in approval_round(task)]
    return IssuedDocument.objects.select_related("entry").filter(task_id__in=ids).first()

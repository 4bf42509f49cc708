"""Screens of official documents: memos (frozen or draft), the registers, office settings and
the public verification page. Views stay thin: reads in selectors, writes in services."""

from __future__ import annotations

import hashlib

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core import thaitime
from core.params import int_param
from core.pdf import pdf_response
from core.ratelimits import public_rate_limit
from core.render_views import pdf_in_background
from core.spreadsheets import spreadsheet_response
from documents.forms import (
    CancelForm,
    OfficeDocumentSettingsForm,
    OrderForm,
    OrderMemberFormSet,
    OutsideNumberForm,
    VerifyUploadForm,
)
from documents.models import IssuedDocument, RegisterKind
from documents.orders import order_initial
from documents.pdf import memo_task_for_user
from documents.selectors import (
    can_edit_settings,
    can_keep_registers,
    can_read_registers,
    document_by_sha256,
    document_by_token,
    get_document_for_user,
    get_entry_for_user,
    issued_memo_of_round,
    register_entries,
    register_years,
    settings_for,
)
from documents.services import (
    document_bytes,
    entry_cancel,
    order_may_prepare,
    order_pending_or_issued,
    order_propose,
    outside_number_take,
    settings_save,
)
from documents.signing import check_signature
from processes.forms import add_service_errors
from processes.selectors import get_case_for_user


def _issued_response(request: HttpRequest, document: IssuedDocument) -> HttpResponse:
    """The stored bytes of an issued document; while it is being rendered, a page that says so
    and looks again by itself."""
    if not document.is_issued:
        return render(request, "documents/preparing.html", {"document": document}, status=202)
    filename = f"{document.kind}-{document.entry.year}-{document.entry.number}.pdf"
    return pdf_response(document_bytes(document), filename)


@login_required
def memo_pdf(request: AuthenticatedHttpRequest, task_pk: int) -> HttpResponse:
    """The memo of an approval: the issued file once the request is decided, else a draft
    (marked ร่าง) from the case as it stands, rendered in the background (documents.pdf)."""
    draft = memo_task_for_user(request.user, task_pk)
    document = issued_memo_of_round(draft.task)
    if document is not None:
        return _issued_response(request, document)
    return pdf_in_background(request, "documents.memo_draft", task_pk=task_pk)


def _member_formset(request: AuthenticatedHttpRequest, initial: list[dict[str, str]]):
    """The members' rows: from the POST (one more when "add a row" was pressed, which works
    without JavaScript), else prefilled."""
    if request.method != "POST":
        return OrderMemberFormSet(prefix="members", initial=initial)
    data = request.POST.copy()
    if "add_row" in data:
        total = int_param(data.get("members-TOTAL_FORMS", ""), maximum=59) or 0
        data["members-TOTAL_FORMS"] = str(total + 1)
    return OrderMemberFormSet(data, prefix="members")


def _order_errors(form: OrderForm, error: ValidationError) -> list[str]:
    """The service's errors: about the texts on their fields, about the members' rows back as
    a list shown above the rows."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return []
    about_members = error.error_dict.pop("members", [])
    if error.error_dict:
        add_service_errors(form, error)
    return [message for item in about_members for message in item.messages]


@login_required
def order_prepare(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Staff prepare the appointment order of a case's working group (members, subject, legal
    basis, duties, the day it takes effect) and put it up for the director's signature."""
    case = get_case_for_user(request.user, reference)
    if not order_may_prepare(case=case, user=request.user):
        raise PermissionDenied
    if order_pending_or_issued(case):
        messages.info(request, _("The appointment order of this case is already proposed."))
        return redirect(case.get_absolute_url())
    initial = order_initial(case)
    form = OrderForm(request.POST or None, initial=initial)
    members = _member_formset(request, initial["members"])
    members_problems: list[str] = []
    submitted = request.method == "POST" and "add_row" not in request.POST
    # Both forms are checked (not short-circuited), so every error shows at once.
    if submitted and (form.is_valid() & members.is_valid()):
        try:
            order_case = order_propose(
                case=case,
                user=request.user,
                subject=form.cleaned_data["subject"],
                purpose=form.cleaned_data["purpose"],
                legal_basis=form.cleaned_data["legal_basis"],
                duties=form.cleaned_data["duties"],
                effective_date=form.cleaned_data["effective_date"],
                members=members.members(),
            )
        except ValidationError as error:
            members_problems = _order_errors(form, error)
        else:
            messages.success(
                request, _("The appointment order is sent to the director for signature.")
            )
            return redirect(order_case.get_absolute_url())
    return render(
        request,
        "documents/order_prepare.html",
        {
            "case": case,
            "form": form,
            "members": members,
            "members_problems": members_problems,
        },
        status=400 if submitted else 200,
    )


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _issued_response(request, get_document_for_user(request.user, pk))


# ---------------------------------------------------------------------------------------------
# Registers
# ---------------------------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_read_registers(request.user):
        raise PermissionDenied
    return render(
        request,
        "documents/index.html",
        {"kinds": RegisterKind.choices, "can_edit_settings": can_edit_settings(request.user)},
    )


def _year_param(value: str) -> int | None:
    return int_param(thaitime.to_arabic_digits(value or ""), maximum=9999)


def _register_dataset(entries, kind: str) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            "เลขที่",
            "ปี พ.ศ.",
            "ลงวันที่",
            "จาก",
            "ถึง",
            "เรื่อง",
            "ผู้ออกเลข",
            "เวลาออกเลข",
            "สถานะ",
            "เหตุที่ยกเลิก",
            "SHA-256",
        ],
        title=str(RegisterKind(kind).label)[:31],
    )
    with translation.override("th"):
        for entry in entries:
            dataset.append(
                [
                    entry.display_number,
                    entry.year,
                    entry.date,
                    entry.sender,
                    entry.recipient,
                    entry.subject,
                    entry.taken_by.display_name if entry.taken_by else "",
                    timezone.localtime(entry.taken_at).replace(tzinfo=None),
                    str(entry.get_status_display()),
                    entry.cancel_reason,
                    entry.file_sha256,
                ]
            )
    return dataset


@login_required
def register(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    year = _year_param(request.GET.get("year", ""))
    query = request.GET.get("q", "")
    entries = register_entries(request.user, kind, year=year, query=query)
    if request.GET.get("format") in ("xlsx", "csv"):
        return spreadsheet_response(
            _register_dataset(entries, kind),
            f"register-{kind}",
            request.GET["format"],
            title=str(RegisterKind(kind).label),
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register.html",
        {
            "kind": kind,
            "kind_label": RegisterKind(kind).label,
            "page_obj": page,
            "years": register_years(request.user, kind),
            "year": year,
            "query": query,
            "can_keep": can_keep_registers(request.user),
            "kinds": RegisterKind.choices,
        },
    )


@login_required
def entry_new(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """A clerk takes a number for a document made outside the portal."""
    if kind not in RegisterKind.values:
        raise Http404
    if not can_keep_registers(request.user) or not request.user.office_id:
        raise PermissionDenied
    form = OutsideNumberForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = outside_number_take(
                user=request.user,
                kind=kind,
                date=form.cleaned_data["date"],
                subject=form.cleaned_data["subject"],
                recipient=form.cleaned_data["recipient"],
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Number %(number)s taken.")
                % {"number": thaitime.to_thai_digits(entry.display_number)},
            )
            return redirect("documents:entry", pk=entry.pk)
    return render(
        request,
        "documents/entry_new.html",
        {"form": form, "kind": kind, "kind_label": RegisterKind(kind).label},
    )


@login_required
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    document = IssuedDocument.objects.filter(entry=entry).first()
    return render(
        request,
        "documents/entry_detail.html",
        {
            "entry": entry,
            "document": document,
            "cancel_form": CancelForm(),
            "can_keep": can_keep_registers(request.user) and not entry.is_cancelled,
        },
    )


@login_required
@require_POST
def entry_cancel_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            entry_cancel(entry=entry, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The number is cancelled; it stays in the register."))
            return redirect("documents:entry", pk=entry.pk)
    document = IssuedDocument.objects.filter(entry=entry).first()
    return render(
        request,
        "documents/entry_detail.html",
        {"entry": entry, "document": document, "cancel_form": form, "can_keep": True},
        status=400,
    )


@login_required
def entry_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    entry = get_entry_for_user(request.user, pk)
    if not entry.file:
        raise Http404
    return FileResponse(
        entry.file.open("rb"), as_attachment=True, filename=entry.file_name or "document.pdf"
    )


# ---------------------------------------------------------------------------------------------
# Office settings
# ---------------------------------------------------------------------------------------------


@login_required
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_edit_settings(user) or not user.office_id:
        raise PermissionDenied
    assert user.office is not None  # office_id was checked above
    current = settings_for(user.office)
    form = OfficeDocumentSettingsForm(
        request.POST or None, request.FILES or None, instance=current, office=user.office
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            settings_save(office=user.office, user=user, values=values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Document settings saved."))
            return redirect("documents:settings")
    return render(request, "documents/settings.html", {"form": form, "current": current})


# ---------------------------------------------------------------------------------------------
# Public verification
# ---------------------------------------------------------------------------------------------


@public_rate_limit("documents.verify", "DOCUMENT_VERIFY_RATE")
def verify(request: HttpRequest, token: str = "") -> HttpResponse:
    """Anyone (no login) checks a document: by the token it prints, and by uploading a file,
    which is genuine only if it is byte for byte the file the office issued. Rate-limited per
    client address (a guesser of tokens or a flood of uploads gets 429)."""
    document = document_by_token(token) if token else None
    if token and document is None:
        return render(request, "documents/verify.html", {"unknown": True}, status=404)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        digest = hashlib.sha256(data).hexdigest()
        if document is not None:
            result = "genuine" if digest == document.sha256 else "not_issued"
        else:
            found = document_by_sha256(digest)
            result = "genuine" if found else "not_issued"
            document = found
    signature = None
    if document is not None:
        signature = check_signature(document_bytes(document), settings_for(document.office))
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "form": form,
            "result": result,
            "signature": signature,
            "token": token,
            "action": reverse("documents:verify", args=[token])
            if token
            else reverse("documents:verify_upload"),
        },
    )

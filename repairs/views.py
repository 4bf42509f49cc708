"""Repair screens: the school's request form, the desk's list and the ticket page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import RoleCode, User
from accounts.selectors import authority_for, chosen_school
from core.pagination import ListPage
from core.spreadsheets import spreadsheet_response
from processes.forms import add_service_errors
from processes.models import DueState
from processes.views import case_context
from repairs.forms import BulkAssignForm, CommentForm, TicketForm, TriageForm, WorkLogForm
from repairs.models import Category, Priority, RepairTicket, TicketAttachment
from repairs.resources import tickets_dataset
from repairs.selectors import (
    filter_tickets,
    get_ticket_for_user,
    ticket_status_choices,
    tickets_visible_to,
)
from repairs.services import (
    ticket_comment,
    ticket_file,
    ticket_triage,
    tickets_bulk_assign,
    work_log_add,
)


@dataclass(frozen=True)
class TicketRow:
    """A ticket of the list with the labels its row shows."""

    ticket: RepairTicket
    category: str | Promise
    status: str | Promise
    priority: str | Promise
    due: DueState


@login_required
def ticket_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tickets = filter_tickets(tickets_visible_to(request.user), request.GET)
    # No exact count of an office's every ticket: see core.pagination.
    page: ListPage[RepairTicket] = ListPage(tickets, request.GET.get("page"))
    # Each choice's label looked up once for the page (get_FOO_display rebuilds the choices
    # on every call, a few hundred translations per page).
    labels = {
        "category": dict(Category.choices),
        "status": dict(RepairTicket.Status.choices),
        "priority": dict(Priority.choices),
    }
    rows = [
        TicketRow(
            ticket=ticket,
            category=labels["category"].get(ticket.category, ticket.category),
            status=labels["status"].get(ticket.status, ticket.status),
            priority=labels["priority"].get(ticket.priority, ticket.priority),
            due=ticket.resolve_due_state,
        )
        for ticket in page
    ]
    # The office's staff and group heads (not "whoever has had a ticket", which scans them all).
    technicians = (
        # The stubs reject office_id=None; Django reads it as IS NULL.
        User.objects.filter(  # type: ignore[misc]
            office_id=request.user.office_id,
            is_active=True,
            roles__code__in=[RoleCode.STAFF, RoleCode.GROUP_HEAD],
        )
        .distinct()
        .order_by("first_name")
        if not request.user.is_school_side
        else User.objects.none()
    )
    return render(
        request,
        "repairs/ticket_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": request.GET,
            "statuses": ticket_status_choices(),
            "categories": Category.choices,
            "school_filter": chosen_school(request.user, request.GET),
            "technicians": technicians,
            "bulk_form": BulkAssignForm(user=request.user)
            if authority_for(request.user, RoleCode.GROUP_HEAD)
            else None,
        },
    )


@login_required
def ticket_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list as filtered on screen, as XLSX or CSV (?format=csv)."""
    tickets = filter_tickets(tickets_visible_to(request.user), request.GET)
    return spreadsheet_response(
        tickets_dataset(tickets), "repair-tickets", request.GET.get("format"), title="ใบแจ้งซ่อม"
    )


@login_required
@require_POST
def ticket_bulk_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    if authority_for(request.user, RoleCode.GROUP_HEAD) is None:
        raise PermissionDenied
    form = BulkAssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose the requests and a technician."))
        return redirect("repairs:index")
    done, problems = tickets_bulk_assign(
        tickets=list(form.cleaned_data["tickets"]),
        user=request.user,
        technician=form.cleaned_data["technician"],
    )
    if done:
        messages.success(request, _("%(count)s requests assigned.") % {"count": done})
    for problem in problems:
        messages.warning(request, problem)
    back = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("repairs:index")


@login_required
def ticket_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.is_school_side or request.user.office_id):
        raise PermissionDenied
    form = TicketForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_file(
                requester=request.user,
                school=request.user.school if request.user.is_school_side else data["school"],
                category=data["category"],
                symptom=data["symptom"],
                location=data["location"],
                urgency=data["urgency"],
                contact_phone=data["contact_phone"],
                asset=data["asset"],
                asset_number_text=data["asset_number_text"],
                serial_text=data["serial_text"],
                uploads=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request is filed as %(reference)s. You will be told of each step.")
                % {"reference": ticket.reference},
            )
            return redirect(ticket)
    return render(request, "repairs/ticket_new.html", {"form": form})


@login_required
def ticket_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, reference)
    return render(request, "repairs/ticket_detail.html", _ticket_context(request, ticket))


def _ticket_context(request: AuthenticatedHttpRequest, ticket: RepairTicket, **forms) -> dict:
    context = case_context(request, ticket.case)
    office_side = not request.user.is_school_side
    triage_open = any(p["task"].step.key == "triage" and p.get("form") for p in context["panels"])
    context.update(
        ticket=ticket,
        next_url=ticket.get_absolute_url(),
        attachments=ticket.attachments.all(),
        comments=ticket.comments.select_related("author"),
        work_logs=ticket.work_logs.select_related("author") if office_side else [],
        comment_form=forms.get("comment_form") or CommentForm(),
        work_log_form=(forms.get("work_log_form") or WorkLogForm()) if office_side else None,
        triage_form=(forms.get("triage_form") or TriageForm(office_id=ticket.office_id))
        if triage_open
        else None,
    )
    if triage_open:
        # Triage goes through its own form (priority and technician), not the generic one.
        context["panels"] = [p for p in context["panels"] if p["task"].step.key != "triage"]
    return context


@login_required
@require_POST
def ticket_triage_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, reference)
    if request.user.is_school_side:
        raise PermissionDenied
    form = TriageForm(request.POST, office_id=ticket.office_id)
    if form.is_valid():
        try:
            ticket_triage(
                ticket=ticket,
                user=request.user,
                priority=form.cleaned_data["priority"],
                technician=form.cleaned_data["technician"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Triaged and assigned."))
            return redirect(ticket)
    context = _ticket_context(request, ticket, triage_form=form)
    return render(request, "repairs/ticket_detail.html", context, status=400)


@login_required
@require_POST
def ticket_comment_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, reference)
    form = CommentForm(request.POST)
    if form.is_valid():
        ticket_comment(ticket=ticket, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Comment added."))
        return redirect(ticket)
    context = _ticket_context(request, ticket, comment_form=form)
    return render(request, "repairs/ticket_detail.html", context, status=400)


@login_required
@require_POST
def ticket_work_log_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, reference)
    if request.user.is_school_side:
        raise PermissionDenied
    form = WorkLogForm(request.POST)
    if form.is_valid():
        try:
            work_log_add(ticket=ticket, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Work recorded."))
            return redirect(ticket)
    context = _ticket_context(request, ticket, work_log_form=form)
    return render(request, "repairs/ticket_detail.html", context, status=400)


@login_required
def ticket_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(TicketAttachment.objects.select_related("ticket"), pk=pk)
    get_ticket_for_user(request.user, attachment.ticket.reference)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,  # a download, never rendered by the browser on our origin
        content_type=attachment.content_type,
        filename=attachment.original_name,
    )

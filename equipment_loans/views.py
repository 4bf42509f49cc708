"""Loan screens: the request form, my loans, the calendar, the desk, the loan and item pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import chosen_school
from core.params import int_param
from core.render_views import pdf_in_background
from core.spreadsheets import spreadsheet_response
from core.thaitime import BE_OFFSET, format_thai_date, parse_thai_date
from equipment_loans import selectors
from equipment_loans.calendar_html import row_cells_html
from equipment_loans.forms import CheckInForm, CheckOutForm, LoanRequestForm, NotCollectedForm
from equipment_loans.models import ItemCategory, Loan, LoanItem
from equipment_loans.resources import items_dataset, loans_dataset
from equipment_loans.services import (
    HANDOVER_STEPS,
    RETURN_STEP,
    REVISE_STEP,
    loan_check_in,
    loan_check_out,
    loan_not_collected,
    loan_request,
    loan_revise,
    quantity_key,
    wanted_from_quantities,
)
from processes.forms import add_service_errors
from processes.views import case_context

OWN_FORM_STEPS = {*HANDOVER_STEPS, RETURN_STEP, REVISE_STEP}


def _office_side(request: AuthenticatedHttpRequest) -> None:
    """The desk and the item register are the office's; a school gets 403, not a blank page."""
    user = request.user
    if user.is_school_side or not (user.office_id or user.is_superuser):
        raise PermissionDenied


@login_required
def loan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    loans = selectors.filter_loans(
        selectors.loans_visible_to(request.user), request.GET, user=request.user
    )
    page = Paginator(loans.prefetch_related("lines__item"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "equipment_loans/loan_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": selectors.loan_status_choices(),
            "kinds": Loan.Kind.choices,
            "school_filter": chosen_school(request.user, request.GET),
        },
    )


@login_required
def loan_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list as filtered on screen, as XLSX or CSV (?format=csv)."""
    loans = selectors.filter_loans(
        selectors.loans_visible_to(request.user), request.GET, user=request.user
    )
    return spreadsheet_response(
        loans_dataset(loans), "loans", request.GET.get("format"), title="การยืม"
    )


def _can_request(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    if not (user.school_id if user.is_school_side else user.office_id):
        raise PermissionDenied


def _initial_from_query(request: AuthenticatedHttpRequest) -> dict:
    """The calendar's "book" link passes the item and the day it was clicked on."""
    initial: dict = {}
    if (item_id := int_param(request.GET.get("item"))) is not None:
        initial[quantity_key(item_id)] = 1
    try:  # a Buddhist-era date, as the calendar writes it (day=16/12/2569)
        day = parse_thai_date(request.GET.get("day", ""))
    except ValidationError:
        day = None
    if day and day >= timezone.localdate():
        initial["starts_on"] = initial["ends_on"] = day
    if request.GET.get("kind") in Loan.Kind.values:
        initial["kind"] = request.GET["kind"]
    if request.user.phone:
        initial["contact_phone"] = request.user.phone
    return initial


@login_required
def loan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _can_request(request)
    items = selectors.bookable_items(request.user)
    form = LoanRequestForm(
        request.POST or None,
        user=request.user,
        items=items,
        initial=_initial_from_query(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = loan_request(
                requester=request.user,
                kind=data["kind"],
                school=request.user.school if request.user.is_school_side else data["school"],
                wanted=wanted_from_quantities(form.items, form.quantities()),
                purpose=data["purpose"],
                project=data["project"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                pickup_place=data["pickup_place"],
                return_place=data["return_place"],
                contact_phone=data["contact_phone"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request is filed as %(reference)s and waits for the group head.")
                % {"reference": loan.reference},
            )
            return redirect(loan)
    status = 400 if form.is_bound else 200
    return render(request, "equipment_loans/loan_new.html", {"form": form}, status=status)


def _loan_context(request: AuthenticatedHttpRequest, loan: Loan, **forms) -> dict:
    context = case_context(request, loan.case)
    open_keys = {p["task"].step.key for p in context["panels"] if p.get("form")}
    context.update(
        loan=loan,
        lines=list(loan.lines.all()),
        next_url=loan.get_absolute_url(),
        check_out_form=(forms.get("check_out_form") or CheckOutForm(loan=loan))
        if open_keys & set(HANDOVER_STEPS)
        else None,
        not_collected_form=(forms.get("not_collected_form") or NotCollectedForm())
        if open_keys & set(HANDOVER_STEPS)
        else None,
        check_in_form=(forms.get("check_in_form") or CheckInForm(loan=loan))
        if RETURN_STEP in open_keys
        else None,
        revise_form=(
            forms.get("revise_form")
            or LoanRequestForm(
                user=request.user,
                items=selectors.bookable_items(request.user),
                loan=loan,
                initial=_loan_initial(loan),
            )
        )
        if REVISE_STEP in open_keys
        else None,
    )
    # These steps have their own forms above; the generic decision panel would skip their checks.
    context["panels"] = [p for p in context["panels"] if p["task"].step.key not in OWN_FORM_STEPS]
    return context


def _loan_initial(loan: Loan) -> dict:
    return {
        "purpose": loan.purpose,
        "project": loan.project,
        "starts_on": loan.starts_on,
        "ends_on": loan.ends_on,
        "pickup_place": loan.pickup_place,
        "return_place": loan.return_place,
        "contact_phone": loan.contact_phone,
    }


@login_required
def loan_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    loan = selectors.get_loan_for_user(request.user, reference)
    return render(request, "equipment_loans/loan_detail.html", _loan_context(request, loan))


def _done_or_redisplay(request, loan, form_name, form, action, success) -> HttpResponse:
    """Run `action` if the form is valid; otherwise show the page again with what was typed."""
    if form.is_valid():
        try:
            action(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(loan)
    context = _loan_context(request, loan, **{form_name: form})
    return render(request, "equipment_loans/loan_detail.html", context, status=400)


@login_required
@require_POST
def loan_check_out_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    loan = selectors.get_loan_for_user(request.user, reference)
    form = CheckOutForm(request.POST, loan=loan)
    return _done_or_redisplay(
        request,
        loan,
        "check_out_form",
        form,
        lambda f: loan_check_out(
            loan=loan,
            user=request.user,
            conditions=f.conditions(),
            accessories=f.cleaned_data["accessories"],
            acknowledgement=f.cleaned_data["acknowledgement"],
        ),
        _("Handed over. The loan is due back on %(date)s.")
        % {"date": format_thai_date(loan.ends_on)},
    )


@login_required
@require_POST
def loan_not_collected_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    loan = selectors.get_loan_for_user(request.user, reference)
    form = NotCollectedForm(request.POST)
    return _done_or_redisplay(
        request,
        loan,
        "not_collected_form",
        form,
        lambda f: loan_not_collected(
            loan=loan, user=request.user, comment=f.cleaned_data["comment"]
        ),
        _("The booking is released."),
    )


@login_required
@require_POST
def loan_check_in_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    loan = selectors.get_loan_for_user(request.user, reference)
    form = CheckInForm(request.POST, loan=loan)
    return _done_or_redisplay(
        request,
        loan,
        "check_in_form",
        form,
        lambda f: loan_check_in(
            loan=loan,
            user=request.user,
            conditions=f.conditions(),
            missing_items=f.cleaned_data["missing_items"],
            note=f.cleaned_data["note"],
        ),
        _("Returned. The items are free to book again."),
    )


@login_required
@require_POST
def loan_revise_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    loan = selectors.get_loan_for_user(request.user, reference)
    form = LoanRequestForm(
        request.POST, user=request.user, items=selectors.bookable_items(request.user), loan=loan
    )
    return _done_or_redisplay(
        request,
        loan,
        "revise_form",
        form,
        lambda f: loan_revise(
            loan=loan,
            user=request.user,
            wanted=wanted_from_quantities(f.items, f.quantities()),
            purpose=f.cleaned_data["purpose"],
            project=f.cleaned_data["project"],
            starts_on=f.cleaned_data["starts_on"],
            ends_on=f.cleaned_data["ends_on"],
            pickup_place=f.cleaned_data["pickup_place"],
            return_place=f.cleaned_data["return_place"],
            contact_phone=f.cleaned_data["contact_phone"],
        ),
        _("The revised request is sent to the group head."),
    )


@login_required
def loan_slip(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The printable loan slip (PDF) with both parties' names, rendered in the background."""
    return pdf_in_background(request, "equipment_loans.slip", reference=reference)


# ---------------------------------------------------------------------------------------------
# Calendar, desk, items
# ---------------------------------------------------------------------------------------------


def _anchor(request: AuthenticatedHttpRequest) -> tuple[datetime.date, str]:
    """The day the calendar shows, typed as a Buddhist-era date (?start=1/12/2569), and the
    Thai message when what was typed is no date (then today's calendar is shown)."""
    typed = request.GET.get("start", "").strip()
    if not typed:
        return timezone.localdate(), ""
    try:
        return parse_thai_date(typed), ""
    except ValidationError as error:
        return timezone.localdate(), " ".join(error.messages)


@login_required
def calendar_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor, start_error = _anchor(request)
    first, last = selectors.calendar_span(view, anchor)
    items = selectors.filter_items(selectors.bookable_items(request.user), request.GET)
    office_side = not request.user.is_school_side
    rows = selectors.availability(items, first, last, show_references=office_side)
    today = timezone.localdate()
    step = datetime.timedelta(days=7) if view == "week" else datetime.timedelta(days=1)
    previous = (first - step) if view == "week" else (first - step).replace(day=1)
    following = (last + datetime.timedelta(days=1)) if view == "week" else last + step
    return render(
        request,
        "equipment_loans/calendar.html",
        {
            "view": view,
            "rows": row_cells_html(
                rows, today=today, show_references=view == "week" and office_side
            ),
            "days": [cell.day for cell in rows[0].cells] if rows else [],
            "first": first,
            "last": last,
            "today": today,
            "previous": previous,
            "following": following,
            # Shown and typed in B.E.; what was typed stays when it is no date.
            "start_text": request.GET.get("start", "")
            if start_error
            else format_thai_date(anchor, "numeric"),
            "start_error": start_error,
            "filters": request.GET,
            "categories": ItemCategory.choices,
            "office_side": office_side,
        },
    )


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request)
    return render(request, "equipment_loans/desk.html", {"desk": selectors.desk_for(request.user)})


@login_required
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = selectors.filter_items(selectors.items_visible_to(request.user), request.GET)
    today = timezone.localdate()
    rows = selectors.availability(items, today, today)
    return render(
        request,
        "equipment_loans/item_list.html",
        {
            "rows": rows,
            "filters": request.GET,
            "categories": ItemCategory.choices,
            "statuses": LoanItem.Status.choices,
        },
    )


@login_required
def item_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request)
    items = selectors.filter_items(selectors.items_visible_to(request.user), request.GET)
    return spreadsheet_response(
        items_dataset(items), "loan-items", request.GET.get("format"), title="วัสดุอุปกรณ์"
    )


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    anchor, _start_error = _anchor(request)
    first, last = selectors.calendar_span("month", anchor)
    office_side = not request.user.is_school_side
    row = selectors.availability([item], first, last, show_references=office_side)[0]
    history = selectors.item_history(item)
    if not office_side:
        history = history.filter(loan__in=selectors.loans_visible_to(request.user))
    repairs = (
        item.asset.repair_tickets.order_by("-created_at")[:20]
        if office_side and item.asset is not None
        else []
    )
    return render(
        request,
        "equipment_loans/item_detail.html",
        {
            "item": item,
            "weeks": _weeks(row.cells),
            "first": first,
            "be_year": first.year + BE_OFFSET,
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "following": last + datetime.timedelta(days=1),
            "today": timezone.localdate(),
            "history": history[:200],
            "repairs": repairs,
            "office_side": office_side,
        },
    )


def _weeks(cells: list) -> list[list]:
    """A month's cells laid out Monday to Sunday, with blanks before the 1st and after the end."""
    if not cells:
        return []
    padded = [None] * cells[0].day.weekday() + list(cells)
    padded += [None] * (-len(padded) % 7)
    return [padded[n : n + 7] for n in range(0, len(padded), 7)]

"""Minutes pages: my follow-ups and the office's meetings, a meeting (with its follow-ups),
recording and editing minutes, the minutes PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.render_views import pdf_in_background
from minutes.forms import AttendeeFormSet, DoneForm, FollowUpForm, ItemFormSet, MeetingForm
from minutes.models import AgendaItem, FollowUp
from minutes.selectors import (
    can_record,
    follow_ups_of,
    get_meeting_for_user,
    get_meeting_to_record,
    meetings_visible_to,
)
from minutes.services import follow_up_create, follow_up_done, meeting_save
from processes.forms import add_service_errors
from processes.selectors import get_case_for_user


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "minutes/index.html",
        {
            "meetings": meetings_visible_to(request.user)[:100],
            "follow_ups": follow_ups_of(request.user),
        },
    )


def _edit(request: AuthenticatedHttpRequest, case, meeting=None) -> HttpResponse:
    posted = request.method == "POST"
    form = MeetingForm(request.POST if posted else None, instance=meeting, case=case)
    attendee_initial = (
        [
            {
                "name": a.name,
                "post": a.post,
                "role": a.role,
                "present": a.present,
                "absence_reason": a.absence_reason,
            }
            for a in meeting.attendees.all()
        ]
        if meeting
        else []
    )
    item_initial = (
        [
            {"pk": i.pk, "title": i.title, "details": i.details, "resolution": i.resolution}
            for i in meeting.items.all()
        ]
        if meeting
        else []
    )
    attendees = AttendeeFormSet(
        request.POST if posted else None, prefix="attendees", initial=attendee_initial
    )
    items = ItemFormSet(request.POST if posted else None, prefix="items", initial=item_initial)
    if posted and form.is_valid() and attendees.is_valid() and items.is_valid():
        try:
            meeting = meeting_save(
                user=request.user,
                case=case,
                meeting=meeting,
                values=form.cleaned_data,
                attendees=[f.cleaned_data for f in attendees if f.cleaned_data],
                items=[f.cleaned_data for f in items if f.cleaned_data],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(meeting)
    return render(
        request,
        "minutes/meeting_form.html",
        {"form": form, "attendees": attendees, "items": items, "case": case, "meeting": meeting},
        status=400 if posted else 200,
    )


@login_required
def meeting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    case = get_case_for_user(request.user, request.GET.get("case", ""))
    if not can_record(request.user, case.office_id):
        raise PermissionDenied
    return _edit(request, case)


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_to_record(request.user, pk)
    return _edit(request, meeting.case, meeting)


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    recording = can_record(request.user, meeting.office_id)
    items = list(meeting.items.prefetch_related("follow_ups__assignee"))
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": list(meeting.attendees.all()),
            "items": items,
            "recording": recording,
            "follow_up_form": FollowUpForm(office_id=meeting.office_id) if recording else None,
        },
    )


@login_required
def meeting_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Rendered in the background (minutes.pdf registers it); this page follows its progress."""
    return pdf_in_background(request, "minutes.meeting", pk=pk)


@login_required
@require_POST
def follow_up_add(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_to_record(request.user, pk)
    item = get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_pk)
    form = FollowUpForm(request.POST, office_id=meeting.office_id)
    if form.is_valid():
        try:
            follow_up_create(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up is assigned and its assignee told."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(meeting)


@login_required
@require_POST
def follow_up_mark_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp.objects.select_related("item__meeting"), pk=pk)
    meeting = follow_up.item.meeting
    mine = follow_up.assignee_id == request.user.pk
    if not mine:
        get_meeting_for_user(request.user, meeting.pk)  # 404 for another office
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            follow_up_done(user=request.user, follow_up=follow_up, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded as done."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect("minutes:index" if mine else meeting.get_absolute_url())

"""The specification library and spec drafts (pick, adjust, approve, hand to procurement)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.render_views import pdf_in_background
from processes.forms import add_service_errors
from processes.views import case_context
from workplans.forms import (
    SpecDraftForm,
    SpecItemForm,
    SpecLineAddForm,
    SpecLineFormSet,
    SpecMemberFormSet,
)
from workplans.models import ItemType, SpecDraft, SpecItem
from workplans.selectors import (
    can_edit_spec_draft,
    get_editable_spec_draft,
    get_spec_draft_for_user,
    is_group_member,
    spec_draft_total,
    spec_drafts_visible_to,
    spec_items_for,
)
from workplans.services import (
    spec_draft_create,
    spec_draft_save_rows,
    spec_item_save,
    spec_line_add,
)


def _office_side(request: AuthenticatedHttpRequest) -> None:
    if request.user.is_school_side or not (request.user.office_id or request.user.is_superuser):
        raise PermissionDenied


@login_required
def spec_library(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request)
    items = spec_items_for(request.user)
    item_type = request.GET.get("type", "")
    if item_type in ItemType.values:
        items = items.filter(item_type=item_type)
    return render(
        request,
        "workplans/spec_library.html",
        {
            "items": items,
            "item_type": item_type,
            "types": ItemType.choices,
            "can_edit": is_group_member(request.user, request.user.office_id),
        },
    )


@login_required
def spec_item_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    _office_side(request)
    if not is_group_member(request.user, request.user.office_id):
        raise PermissionDenied
    item = get_object_or_404(spec_items_for(request.user), pk=pk) if pk else SpecItem()
    form = SpecItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        spec_item_save(user=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect("workplans:spec_library")
    return render(request, "workplans/spec_item_form.html", {"form": form, "item": item})


@login_required
def spec_draft_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request)
    return render(
        request,
        "workplans/spec_draft_list.html",
        {
            "drafts": spec_drafts_visible_to(request.user),
            "can_create": is_group_member(request.user, request.user.office_id),
        },
    )


@login_required
def spec_draft_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request)
    if not is_group_member(request.user, request.user.office_id):
        raise PermissionDenied
    form = SpecDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = spec_draft_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is created. Pick items from the library."))
            return redirect(draft)
    return render(request, "workplans/spec_draft_new.html", {"form": form})


def _draft_context(request: AuthenticatedHttpRequest, draft, **forms) -> dict:
    context = case_context(request, draft.case)
    editable = can_edit_spec_draft(request.user, draft)
    context.update(
        draft=draft,
        next_url=draft.get_absolute_url(),
        editable=editable,
        lines=draft.lines.select_related("source"),
        members=draft.members.all(),
        total=spec_draft_total(draft),
        add_form=forms.get("add_form") or SpecLineAddForm(office_id=draft.office_id),
        line_formset=forms.get("line_formset") or SpecLineFormSet(instance=draft, prefix="lines"),
        member_formset=forms.get("member_formset")
        or SpecMemberFormSet(instance=draft, prefix="members"),
    )
    return context


@login_required
def spec_draft_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = get_spec_draft_for_user(request.user, pk)
    return render(request, "workplans/spec_draft_detail.html", _draft_context(request, draft))


@login_required
@require_POST
def spec_line_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = get_editable_spec_draft(request.user, pk)
    form = SpecLineAddForm(request.POST, office_id=draft.office_id)
    if form.is_valid():
        try:
            spec_line_add(
                draft=draft,
                user=request.user,
                source=form.cleaned_data["source"],
                quantity=form.cleaned_data["quantity"],
                unit_price=form.cleaned_data["unit_price"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item added. Adjust its characteristics if needed."))
            return redirect(draft)
    context = _draft_context(request, draft, add_form=form)
    return render(request, "workplans/spec_draft_detail.html", context, status=400)


@login_required
@require_POST
def spec_draft_rows(request: AuthenticatedHttpRequest, pk: int, which: str) -> HttpResponse:
    draft = get_editable_spec_draft(request.user, pk)
    formset: BaseInlineFormSet[Any, SpecDraft, Any]
    if which == "lines":
        formset = SpecLineFormSet(request.POST, instance=draft, prefix="lines")
    elif which == "members":
        formset = SpecMemberFormSet(request.POST, instance=draft, prefix="members")
    else:
        raise PermissionDenied
    if formset.is_valid():
        spec_draft_save_rows(draft=draft, user=request.user, formset=formset)
        messages.success(request, _("Saved."))
        return redirect(draft)
    context = _draft_context(request, draft, **{f"{which[:-1]}_formset": formset})
    return render(request, "workplans/spec_draft_detail.html", context, status=400)


@login_required
def spec_draft_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The draft as a PDF (ร่าง until decided), rendered in the background (workplans.pdf)."""
    return pdf_in_background(request, "workplans.spec_draft", pk=pk)

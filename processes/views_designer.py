"""The process designer's pages (/processes/designer/): thin views over processes.designer."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from accounts.http import AuthenticatedHttpRequest
from core.params import int_param
from processes import designer
from processes.bpmn import BpmnError, bpmn_to_dict, version_to_bpmn
from processes.definitions import version_as_dict
from processes.flowchart import render_flowchart_svg
from processes.forms import add_service_errors
from processes.forms_designer import DefinitionCreateForm, DefinitionForm, ImportForm, StepEditor
from processes.models import (
    DefinitionChange,
    DefinitionVersion,
    ProcessDefinition,
    StepDefinition,
    StepKind,
    approver_role,
    step_outcomes,
)

_P = ParamSpec("_P")
_Request = TypeVar("_Request", bound=AuthenticatedHttpRequest)


class HtmxRequest(AuthenticatedHttpRequest):
    """A signed-in request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


def designer_required(
    view: Callable[Concatenate[_Request, _P], HttpResponse],
) -> Callable[Concatenate[_Request, _P], HttpResponse]:
    """Signed in (else the login page) and allowed to design (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: _Request, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
        designer.check_can_design(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _lang(request: AuthenticatedHttpRequest) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else "th"


def flowchart_of(data: Mapping[str, Any], lang: str) -> str:
    """The catalogue's server-side SVG flowchart, drawn from the JSON shape of a version."""
    steps = [
        {
            **step,
            "approvers": [approver_role(e) for e in step.get("approvers") or []],
        }
        for step in data["steps"]
    ]
    by_key = {step["key"]: step for step in data["steps"]}
    transitions = []
    for t in data["transitions"]:
        source = by_key.get(t["from"])
        label = ""
        if source and t["outcome"] not in ("done", "approve", "return", "reject"):
            label = dict(step_outcomes(source["kind"], source.get("options"))).get(
                t["outcome"], t["outcome"]
            )
        transitions.append({**t, "label": str(label)})
    return render_flowchart_svg(steps, transitions, title=data.get("title_th", ""), lang=lang)


# ---------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------


@designer_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    definitions = ProcessDefinition.objects.prefetch_related("versions").order_by(
        "area", "position", "code"
    )
    rows = []
    for definition in definitions:
        versions = sorted(definition.versions.all(), key=lambda v: -v.number)
        rows.append(
            {
                "definition": definition,
                "versions": versions,
                "published": next((v for v in versions if v.status == "published"), None),
                "draft": next((v for v in versions if v.status == "draft"), None),
            }
        )
    return render(request, "processes/designer/index.html", {"rows": rows})


@designer_required
def definition_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DefinitionCreateForm(request.POST or None, initial=_copy_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = designer.definition_create(
                user=request.user,
                code=data["code"],
                title_th=data["title_th"],
                title_en=data["title_en"],
                area=data["area"],
                reference_prefix=data["reference_prefix"],
                copy_from=data["copy_from"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The process is created as a draft. Add its steps."))
            return redirect("processes:designer_version", draft.pk)
    return render(request, "processes/designer/definition_new.html", {"form": form})


def _copy_initial(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    source = ProcessDefinition.objects.filter(code=request.GET.get("copy", "")).first()
    if source is None:
        return {}
    return {
        "copy_from": source.pk,
        "title_th": f"{source.title_th} (สำเนา)",
        "area": source.area,
        "reference_prefix": source.reference_prefix,
    }


@designer_required
def definition_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    definition = get_object_or_404(ProcessDefinition, code=code)
    form = DefinitionForm(
        request.POST or None, instance=ProcessDefinition.objects.get(pk=definition.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            designer.definition_update(
                definition=definition,
                user=request.user,
                **form.definition_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("processes:designer_definition", definition.code)
    versions = list(definition.versions.select_related("published_by").order_by("-number"))
    changes = DefinitionChange.objects.filter(definition=definition).select_related("actor")[:100]
    return render(
        request,
        "processes/designer/definition.html",
        {
            "definition": definition,
            "form": form,
            "versions": versions,
            "changes": changes,
            "has_draft": any(v.status == "draft" for v in versions),
        },
        status=400 if form.errors else 200,
    )


@designer_required
@require_POST
def draft_open(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    definition = get_object_or_404(ProcessDefinition, code=code)
    draft = designer.draft_open(definition=definition, user=request.user)
    return redirect("processes:designer_version", draft.pk)


@designer_required
def compare(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    definition = get_object_or_404(ProcessDefinition, code=code)
    versions = list(definition.versions.order_by("-number"))
    numbers = [v.number for v in versions]

    def pick(name: str, default: int | None) -> DefinitionVersion | None:
        raw = request.GET.get(name, "")
        number = int_param(raw) if raw else default
        return next((v for v in versions if v.number == number), None)

    new = pick("b", numbers[0] if numbers else None)
    old = pick("a", numbers[1] if len(numbers) > 1 else None)
    lines = designer.versions_compare(old, new) if old and new else []
    return render(
        request,
        "processes/designer/compare.html",
        {"definition": definition, "versions": versions, "old": old, "new": new, "lines": lines},
    )


@designer_required
def import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(5 * 1024 * 1024 + 1)
        try:
            if content.lstrip()[:1] == b"<" or upload.name.lower().endswith((".bpmn", ".xml")):
                result = bpmn_to_dict(content)
                data, notes, source = result.data, result.not_mapped, "BPMN"
            else:
                data, notes, source = json.loads(content.decode("utf-8-sig")), [], "JSON"
            draft = designer.import_as_draft(
                data=data, user=request.user, source=source, not_mapped=notes
            )
        except (ValueError, UnicodeDecodeError) as error:
            message = str(error) if isinstance(error, BpmnError) else ""
            form.add_error(
                "file", message or _("The file could not be read as the portal's JSON or BPMN.")
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            if notes:
                messages.warning(
                    request,
                    _("Imported as a draft. Not mapped: %(items)s") % {"items": " • ".join(notes)},
                )
            else:
                messages.success(request, _("Imported as a draft; everything was mapped."))
            return redirect("processes:designer_version", draft.pk)
    return render(
        request,
        "processes/designer/import.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------
# A version: its steps, the check, the flowchart; publish and roll back
# ---------------------------------------------------------------------------


def _version(pk: int) -> DefinitionVersion:
    return get_object_or_404(DefinitionVersion.objects.select_related("definition"), pk=pk)


def _version_context(
    request: AuthenticatedHttpRequest, version: DefinitionVersion
) -> dict[str, Any]:
    data = version_as_dict(version)
    steps = list(version.steps.order_by("position", "pk"))
    problems = designer.version_problems(version)
    return {
        "version": version,
        "definition": version.definition,
        "steps": steps,
        "problems": problems,
        "problem_steps": {p.step_key for p in problems},
        "flowchart": flowchart_of(data, _lang(request)),
        "previous": version.definition.versions.filter(number__lt=version.number)
        .order_by("-number")
        .first(),
    }


@designer_required
def version_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    return render(request, "processes/designer/version.html", _version_context(request, version))


@designer_required
def version_flowchart(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The flowchart and the check alone, for htmx/fetch to refresh in place."""
    version = _version(pk)
    return render(request, "processes/designer/_picture.html", _version_context(request, version))


@designer_required
@require_POST
def version_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The flowchart and the check of the draft as it would be with the step form's unsaved
    values: the picture follows the form while the person types."""
    version = _version(pk)
    step = version.steps.filter(key=request.POST.get("step_key", "")).first()
    editor = StepEditor(version, step, request.POST)
    data = version_as_dict(version)
    note = ""
    if editor.is_valid():
        fields, exits = editor.result()
        key = step.key if step else "__new__"
        form_fields = fields.pop("form_schema")
        preview = {"key": key, **fields, "form": form_fields}
        data["steps"] = [s for s in data["steps"] if s["key"] != key]
        if step:
            index = [s.key for s in version.steps.order_by("position", "pk")].index(step.key)
            data["steps"].insert(index, preview)
        else:
            ends = [i for i, s in enumerate(data["steps"]) if s["kind"] == StepKind.END]
            data["steps"].insert(ends[0] if ends else len(data["steps"]), preview)
        data["transitions"] = [t for t in data["transitions"] if t["from"] != key] + [
            {"from": key, "outcome": outcome, "to": target}
            for outcome, target in exits.items()
            if target
        ]
    else:
        note = _("The picture shows the saved draft until the form's errors are fixed.")
    problems = designer.check_process(data["steps"], data["transitions"])
    return render(
        request,
        "processes/designer/_picture.html",
        {
            "version": version,
            "flowchart": flowchart_of(data, _lang(request)),
            "problems": problems,
            "note": note,
            "preview": True,
        },
    )


@designer_required
def step_edit(request: AuthenticatedHttpRequest, pk: int, key: str | None = None) -> HttpResponse:
    version = _version(pk)
    step = get_object_or_404(StepDefinition, version=version, key=key) if key else None
    if not version.is_editable:
        messages.warning(request, _("Only a draft can be changed. Open a draft first."))
        return redirect("processes:designer_version", version.pk)
    editor = StepEditor(version, step, request.POST if request.method == "POST" else None)
    if request.method == "POST" and editor.is_valid():
        fields, exits = editor.result()
        try:
            saved = designer.step_save(
                version=version, user=request.user, fields=fields, exits=exits, step=step
            )
        except ValidationError as error:
            add_service_errors(editor.form, error)
        else:
            messages.success(request, _("Step “%(step)s” saved.") % {"step": saved.name_th})
            if "add_another" in request.POST:
                return redirect("processes:designer_step_new", version.pk)
            return redirect(
                reverse("processes:designer_version", args=[version.pk]) + f"#step-{saved.key}"
            )
    context = _version_context(request, version)
    context.update({"editor": editor, "step": step})
    status = 400 if request.method == "POST" else 200
    return render(request, "processes/designer/step.html", context, status=status)


@designer_required
@require_POST
def step_delete(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    version = _version(pk)
    step = get_object_or_404(StepDefinition, version=version, key=key)
    try:
        designer.step_delete(version=version, user=request.user, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Step deleted."))
    return redirect("processes:designer_version", version.pk)


@designer_required
@require_POST
def steps_reorder(request: HtmxRequest, pk: int) -> HttpResponse:
    """A new order: the whole list (drag and drop), or one step up or down (buttons)."""
    version = _version(pk)
    keys = list(version.steps.order_by("position", "pk").values_list("key", flat=True))
    if request.POST.getlist("order"):
        keys = request.POST.getlist("order")
    elif request.POST.get("move") in keys:
        index = keys.index(request.POST["move"])
        target = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= target < len(keys):
            keys[index], keys[target] = keys[target], keys[index]
    else:
        return HttpResponseBadRequest(_("Which step should move?"))
    try:
        designer.steps_reorder(version=version, user=request.user, keys=keys)
    except ValidationError as error:
        if request.htmx or request.headers.get("x-requested-with") == "fetch":
            return HttpResponseBadRequest(" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    if request.headers.get("x-requested-with") == "fetch":
        return version_flowchart(request, pk)
    return redirect(
        reverse("processes:designer_version", args=[version.pk])
        + (f"#step-{request.POST['move']}" if request.POST.get("move") else "")
    )


@designer_required
@require_POST
def version_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    try:
        designer.draft_publish(version=version, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("Not published yet: %(n)s thing(s) to fix, listed beside the flowchart.")
            % {"n": len(error.messages)},
        )
        return redirect("processes:designer_version", version.pk)
    messages.success(
        request,
        _("Version %(n)s is published: new cases start on it; running cases stay on theirs.")
        % {"n": version.number},
    )
    return redirect("processes:designer_definition", version.definition.code)


@designer_required
@require_POST
def version_republish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    try:
        designer.version_republish(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(n)s is published again.") % {"n": version.number})
    return redirect("processes:designer_definition", version.definition.code)


@designer_required
@require_POST
def version_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    code = version.definition.code
    try:
        designer.draft_discard(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("processes:designer_version", version.pk)
    messages.success(request, _("The draft is discarded."))
    return redirect("processes:designer_definition", code)


@designer_required
def version_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("json", "bpmn"):
        raise Http404
    version = _version(pk)
    name = f"{version.definition.code}-v{version.number}"
    if fmt == "bpmn":
        response = HttpResponse(version_to_bpmn(version), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{name}.bpmn"'
        return response
    body = json.dumps(version_as_dict(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response

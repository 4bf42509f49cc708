"""Admin for the engine: the working calendar, definitions and their versions (edited in the
process designer, imported and exported here), and read-only cases, outbox and audit trail."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.http import AuthenticatedHttpRequest
from core.params import int_param
from core.thaitime import BE_OFFSET, ThaiDateField, ThaiDateInput, format_thai_date
from processes.definitions import (
    definition_import,
    version_as_dict,
    version_create_draft,
    version_errors,
    version_publish,
    version_to_xlsx,
    xlsx_to_dict,
)
from processes.models import (
    CalendarDay,
    Case,
    CaseEvent,
    DefinitionChange,
    DefinitionVersion,
    Notification,
    ProcessDefinition,
    StepDefinition,
    TransitionDefinition,
)
from processes.notification_kinds import kind_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # The admin's classes take no type arguments at run time; only the checker sees these.
    _CalendarDayAdmin = admin.ModelAdmin[CalendarDay]
    _DefinitionAdmin = admin.ModelAdmin[ProcessDefinition]
    _VersionAdmin = admin.ModelAdmin[DefinitionVersion]
    _CaseAdmin = admin.ModelAdmin[Case]
    _NotificationAdmin = admin.ModelAdmin[Notification]
    _ChangeAdmin = admin.ModelAdmin[DefinitionChange]
    _VersionInline = admin.TabularInline[DefinitionVersion, ProcessDefinition]
    _DefinitionPartInline = admin.TabularInline[
        StepDefinition | TransitionDefinition, DefinitionVersion
    ]
    _CaseEventInline = admin.TabularInline[CaseEvent, Case]
else:
    _CalendarDayAdmin = _DefinitionAdmin = _VersionAdmin = admin.ModelAdmin
    _CaseAdmin = _NotificationAdmin = _ChangeAdmin = admin.ModelAdmin
    _VersionInline = _DefinitionPartInline = _CaseEventInline = admin.TabularInline

# Fixed Thai weekday names: the admin column must not depend on the host's C locale.
_THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


class BuddhistYearFilter(admin.SimpleListFilter):
    title = _("year (B.E.)")  # th: ปี พ.ศ.
    parameter_name = "year"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[CalendarDay]
    ) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year + BE_OFFSET)) for d in years]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[CalendarDay]
    ) -> QuerySet[CalendarDay]:
        value = self.value()
        if (year := int_param(value, maximum=9999)) is not None:
            return queryset.filter(date__year=year)
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarDayAdmin):
    list_display = ("date", "thai_date", "weekday", "kind", "name")
    list_display_links = ("date", "thai_date")
    list_filter = ("kind", BuddhistYearFilter)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "note", "updated_at")
    readonly_fields = ("updated_at",)
    # The date is typed in B.E. like everywhere else in the portal (the admin's calendar
    # pop-up would insert A.D. dates, which the B.E. parser rejects).
    formfield_overrides = {models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput}}

    @admin.display(description=_("date (B.E.)"), ordering="date")  # th: วันที่ (พ.ศ.)
    def thai_date(self, obj: CalendarDay) -> str:
        return format_thai_date(obj.date, "long")

    @admin.display(description=_("weekday"))  # th: วัน
    def weekday(self, obj: CalendarDay) -> str:
        return _THAI_WEEKDAYS[obj.date.weekday()]


# ---------------------------------------------------------------------------
# The engine: definitions are edited here, as drafts, and published when valid
# ---------------------------------------------------------------------------


class DefinitionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Definition file (JSON or XLSX)"),
        help_text=_("The file becomes a new draft version; publish it when it is right."),
    )


def _designer_link(url: str, text: StrOrPromise) -> SafeString:
    return format_html('<a class="button" href="{}">{}</a>', url, text)


class VersionInline(_VersionInline):
    """Versions are listed here; a new one is a draft opened in the designer (or by the
    "create a draft" action), which numbers it. Adding a row here used to fail with an
    IntegrityError (no number), so the inline adds nothing."""

    model = DefinitionVersion
    fields = ("number", "status", "published_at", "published_by", "note", "designer")
    readonly_fields = ("number", "status", "published_at", "published_by", "designer")
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(
        self, request: HttpRequest, obj: ProcessDefinition | None = None
    ) -> bool:
        return False

    @admin.display(description=_("designer"))
    def designer(self, obj: DefinitionVersion) -> str:
        if obj.pk is None:
            return ""
        return _designer_link(
            reverse("processes:designer_version", args=[obj.pk]), _("Open in the designer")
        )


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(_DefinitionAdmin):
    list_display = ("code", "title_th", "area", "position", "is_active", "published_version")
    list_filter = ("area", "is_active")
    search_fields = ("code", "title_th", "title_en")
    inlines = [VersionInline]
    actions = ["new_draft"]
    readonly_fields = ("designer",)

    @admin.display(description=_("steps"))
    def designer(self, obj: ProcessDefinition) -> StrOrPromise:
        if obj.pk is None:
            return _("Save first; then build the steps in the process designer.")
        return _designer_link(
            reverse("processes:designer_definition", args=[obj.code]),
            _("Edit the steps in the process designer"),
        )

    @admin.display(description=_("published version"))
    def published_version(self, obj: ProcessDefinition) -> str:
        published = [
            v for v in obj.versions.all() if v.status == DefinitionVersion.Status.PUBLISHED
        ]
        return f"v{published[0].number}" if published else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcessDefinition]:
        return super().get_queryset(request).prefetch_related("versions")

    @admin.action(description=_("Create a draft version to edit"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ProcessDefinition]) -> None:
        for definition in queryset:
            draft = version_create_draft(definition=definition)
            self.message_user(
                request, _("Draft %(version)s is ready to edit.") % {"version": draft}
            )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="processes_processdefinition_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = DefinitionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = upload.read()
                if upload.name.lower().endswith(".xlsx"):
                    data = xlsx_to_dict(content)
                else:
                    data = json.loads(content.decode("utf-8-sig"))
                version = definition_import(data, user=request.user, publish=False)
            except (ValueError, UnicodeDecodeError):
                form.add_error("file", _("The file could not be read as JSON or XLSX."))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                self.message_user(request, _("Imported as %(version)s.") % {"version": version})
                return redirect("admin:processes_definitionversion_change", version.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import a process definition"),
        }
        return TemplateResponse(request, "admin/processes/import_definition.html", context)


class _ReadOnlyInline(_DefinitionPartInline):
    """Steps and transitions are shown here and edited in the process designer, which builds
    forms, branches and approval chains field by field (no JSON)."""

    extra = 0
    can_delete = False

    def has_add_permission(
        self, request: HttpRequest, obj: DefinitionVersion | None = None
    ) -> bool:
        return False

    def has_change_permission(
        self,
        request: HttpRequest,
        obj: DefinitionVersion | None = None,
    ) -> bool:
        return False


class StepInline(_ReadOnlyInline):
    model = StepDefinition
    fields = (
        "position",
        "key",
        "name_th",
        "kind",
        "responsible",
        "through_chain",
        "time_model",
        "days_min",
        "days_max",
    )
    readonly_fields = fields


class TransitionInline(_ReadOnlyInline):
    model = TransitionDefinition
    fields = ("from_step", "outcome", "to_step")
    readonly_fields = fields


@admin.register(DefinitionVersion)
class DefinitionVersionAdmin(_VersionAdmin):
    list_display = ("definition", "number", "status", "published_at")
    list_filter = ("status", "definition__area")
    search_fields = ("definition__code", "definition__title_th")
    readonly_fields = (
        "definition",
        "number",
        "status",
        "published_at",
        "published_by",
        "designer",
        "problems",
    )
    fields = (
        "definition",
        "number",
        "status",
        "note",
        "published_at",
        "published_by",
        "designer",
        "problems",
    )
    inlines = [StepInline, TransitionInline]
    actions = ["publish", "export_json", "export_xlsx"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are made by "create a draft" or by import

    def has_change_permission(
        self, request: HttpRequest, obj: DefinitionVersion | None = None
    ) -> bool:
        # Published and retired versions are history: running cases depend on them.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: DefinitionVersion | None = None
    ) -> bool:
        return obj is None or (obj.is_editable and not obj.cases.exists())

    @admin.display(description=_("steps"))
    def designer(self, obj: DefinitionVersion) -> str:
        if obj.pk is None:
            return ""
        return _designer_link(
            reverse("processes:designer_version", args=[obj.pk]),
            _("Edit the steps in the process designer"),
        )

    @admin.display(description=_("problems to fix before publishing"))
    def problems(self, obj: DefinitionVersion) -> StrOrPromise:
        if obj.pk is None:
            return ""
        errors = version_errors(obj)
        return format_html_join("", "<div>• {}</div>", ((e,) for e in errors)) or _("None")

    @admin.action(description=_("Publish (new cases start on it)"))
    def publish(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[DefinitionVersion]
    ) -> None:
        for version in queryset:
            try:
                version_publish(version=version, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{version}: {'; '.join(error.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, _("%(version)s is published.") % {"version": version})

    @admin.action(description=_("Export as JSON"))
    def export_json(
        self, request: HttpRequest, queryset: QuerySet[DefinitionVersion]
    ) -> HttpResponse:
        payload = [version_as_dict(v) for v in queryset.select_related("definition")]
        body = json.dumps(
            payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="process-definitions.json"'
        return response

    @admin.action(description=_("Export as XLSX (one version)"))
    def export_xlsx(
        self, request: HttpRequest, queryset: QuerySet[DefinitionVersion]
    ) -> HttpResponse | None:
        version = queryset.select_related("definition").first()
        if version is None:  # the admin runs an action only on a selection
            return None
        response = HttpResponse(
            version_to_xlsx(version),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{version.definition.code}-v{version.number}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CaseEventInline(_CaseEventInline):
    model = CaseEvent
    fields = ("at", "kind", "actor", "acting_for", "from_step", "to_step", "outcome", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(_CaseAdmin):
    """Read-only: cases change only through the transition service, never by editing rows."""

    list_display = ("reference", "title", "version", "state", "school", "started_at")
    list_filter = ("state", "fiscal_year", "version__definition")
    search_fields = ("reference", "title")
    inlines = [CaseEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False


# A notification's fields shown through NotificationAdmin's columns: the kind by name, the case
# and task with Thai labels (their fields have none), the dedupe key as a code.
_SHOWN_AS = {
    "kind": "kind_name",
    "case": "case_shown",
    "task": "task_shown",
    "dedupe_key": "dedupe_shown",
}


class NotificationKindFilter(admin.SimpleListFilter):
    """The outbox's kinds by name, not by code."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Notification]
    ) -> list[tuple[str, str]]:
        kinds = Notification.objects.values_list("kind", flat=True).distinct().order_by("kind")
        return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda pair: pair[1])

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(_NotificationAdmin):
    """The outbox. Failures (after NOTIFICATION_RETRY_HOURS of retries) show with their last
    error; the retry action queues them again through `notifications_retry`."""

    list_display = (
        "created_at",
        "recipient",
        "kind_name",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
    )
    list_filter = ("status", NotificationKindFilter)
    search_fields = ("subject", "recipient__username")
    readonly_fields = [_SHOWN_AS.get(f.name, f.name) for f in Notification._meta.fields]
    exclude = tuple(_SHOWN_AS)
    actions = ["retry_failed"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj: Notification) -> str:
        return kind_label(obj.kind)

    @admin.display(description=_("case"))
    def case_shown(self, obj: Notification) -> str:
        return str(obj.case or "")

    @admin.display(description=_("task"))
    def task_shown(self, obj: Notification) -> str:
        return str(obj.task or "")

    @admin.display(description=_("dedupe key"))
    def dedupe_shown(self, obj: Notification) -> str:
        return format_html('<code translate="no">{}</code>', obj.dedupe_key)

    @admin.display(description=_("last error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Try the failed notifications again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        from processes.services import notifications_retry

        count = notifications_retry(notifications=queryset)
        self.message_user(request, _("%(count)s notifications queued again.") % {"count": count})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DefinitionChange)
class DefinitionChangeAdmin(_ChangeAdmin):
    """The designer's audit trail: read-only, like the case events."""

    list_display = ("at", "definition", "version_number", "action", "actor", "summary")
    list_filter = ("action",)
    search_fields = ("definition__code", "definition__title_th", "summary")
    readonly_fields = [f.name for f in DefinitionChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: DefinitionChange | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: DefinitionChange | None = None
    ) -> bool:
        return False

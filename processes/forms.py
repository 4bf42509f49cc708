"""The decision form of a task, built from its step's form schema."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.thaitime import ThaiDateField, ThaiDateInput
from processes.form_schema import field_label, is_signature
from processes.models import Task

TABLE_ROWS = 5
TEXT_LIMIT = 5000  # the longest free text a form takes (as processes.form_schema.MAX_TEXT)


def limited_text(
    db_field: models.Field[Any, Any], *, limit: int = TEXT_LIMIT, **kwargs: Any
) -> forms.Field | None:
    """ModelForm `formfield_callback`: a model TextField gets a length limit in its form (a
    100,000-character paste is refused with Django's message, in Thai, instead of stored).
    A form whose texts run longer passes `functools.partial(limited_text, limit=…)`."""
    if isinstance(db_field, models.TextField) and not db_field.max_length:
        kwargs.setdefault("max_length", limit)
    return db_field.formfield(**kwargs)


UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".odt")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's per-field errors on the fields the person typed into (and keep what
    they typed); errors about anything else go on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message if target else f"{field}: {message}")


def _check_upload(upload: UploadedFile[bytes]) -> None:
    if upload.size is not None and upload.size > UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if not (upload.name or "").lower().endswith(UPLOAD_EXTENSIONS):
        raise ValidationError(_("Allowed files: PDF, Word, Excel, ODT, JPEG and PNG."))


class DecisionForm(forms.Form):
    """Outcome + comment + the step's own fields; the service re-checks everything it receives."""

    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or rejecting."),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        step = task.step
        outcomes = step.outcomes
        outcome = cast(forms.ChoiceField, self.fields["outcome"])
        outcome.choices = outcomes
        if len(outcomes) == 1:
            outcome.initial = outcomes[0][0]
            outcome.widget = forms.HiddenInput()
        self.schema = list(step.form_schema)
        for spec in self.schema:
            self._add_schema_field(spec)
        for label in step.attachments:
            self.fields[f"attachment__{label}"] = forms.FileField(
                label=label, required=False, validators=[_check_upload]
            )

    def _add_schema_field(self, spec: Mapping[str, Any]) -> None:
        name, kind, label = spec["name"], spec.get("type", "text"), field_label(spec)
        if kind == "table":
            for row in range(TABLE_ROWS):
                for column in spec.get("columns", []):
                    self.fields[f"{name}__{row}__{column['name']}"] = forms.CharField(
                        label=field_label(column), required=False, max_length=500
                    )
            return
        # Required fields are enforced by the service for done/approve only: a return needs none.
        field: forms.Field
        if kind == "date":
            field = ThaiDateField(widget=ThaiDateInput, label=label, required=False)
        elif kind == "choice":
            choices = [("", "—")] + [(str(c), str(c)) for c in spec.get("choices", [])]
            field = forms.ChoiceField(choices=choices, label=label, required=False)
        elif kind == "file":
            field = forms.FileField(validators=[_check_upload], label=label, required=False)
        elif is_signature(spec):
            field = forms.CharField(
                max_length=255,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
                help_text=_("Type your own full name as in your account."),
                label=label,
                required=False,
            )
        elif kind in ("number", "money"):
            field = forms.CharField(
                max_length=50,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                label=label,
                required=False,
            )
        else:
            rows = 5 if kind == "textarea" else 2
            field = forms.CharField(
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": rows}),
                label=label,
                required=False,
            )
        if spec.get("help_th"):
            field.help_text = spec["help_th"]
        self.fields[name] = field

    def table_fields(self) -> list[dict[str, Any]]:
        """Table fields as rows of bound fields, for the template to lay out as a grid."""
        tables = []
        for spec in self.schema:
            if spec.get("type") != "table":
                continue
            columns = spec.get("columns", [])
            rows = [
                [self[f"{spec['name']}__{row}__{column['name']}"] for column in columns]
                for row in range(TABLE_ROWS)
            ]
            tables.append(
                {"name": spec["name"], "label": field_label(spec), "columns": columns, "rows": rows}
            )
        return tables

    def step_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for spec in self.schema:
            name, kind = spec["name"], spec.get("type", "text")
            if kind == "table":
                data[name] = [
                    {
                        column["name"]: self.cleaned_data.get(
                            f"{name}__{row}__{column['name']}", ""
                        )
                        for column in spec.get("columns", [])
                    }
                    for row in range(TABLE_ROWS)
                ]
            elif kind == "date":
                value = self.cleaned_data.get(name)
                data[name] = value.isoformat() if value else ""
            elif kind != "file":
                data[name] = self.cleaned_data.get(name, "")
        return data

    def uploads(self) -> list[tuple[str, UploadedFile[bytes]]]:
        files = [
            (name.removeprefix("attachment__"), upload)
            for name, upload in self.cleaned_data.items()
            if name.startswith("attachment__") and upload
        ]
        files += [
            (spec["name"], self.cleaned_data[spec["name"]])
            for spec in self.schema
            if spec.get("type") == "file" and self.cleaned_data.get(spec["name"])
        ]
        return files

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = cast("forms.ModelChoiceField[User]", self.fields["assignee"])
        assignee.queryset = User.objects.filter(pk__in=[u.pk for u in candidates])


class CaseStartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)

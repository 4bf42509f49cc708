"""The designer's forms: a definition's details, and one step edited field by field.

Nothing here asks for JSON: lists are rows of a formset (form fields, branches, approvers), a
table's columns are six label/type pairs, choices and attachments are one per line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from processes.definitions import APPROVER_ROLES
from processes.form_schema import COLUMN_TYPES
from processes.models import (
    Area,
    DefinitionVersion,
    Outcome,
    ProcessDefinition,
    Responsible,
    StepDefinition,
    StepKind,
    TimeModel,
)

MAX_COLUMNS = 6
COUNTED = (TimeModel.WORKING_DAYS, TimeModel.CALENDAR_DAYS, TimeModel.PER_ACTIVITY)
FIELD_TYPE_CHOICES = [
    ("text", _("Short text")),
    ("textarea", _("Long text")),
    ("number", _("Number")),
    ("money", _("Amount of money (baht)")),
    ("date", _("Date (B.E.)")),
    ("choice", _("Choice from a list")),
    ("file", _("File")),
    ("table", _("Table")),
    ("signature", _("Signature (the decider types their own full name)")),
]
COLUMN_TYPE_CHOICES = [
    (value, label) for value, label in FIELD_TYPE_CHOICES if value in COLUMN_TYPES
]
APPROVER_CHOICES = [(code, label) for code, label in Responsible.choices if code in APPROVER_ROLES]
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # Django's form classes take no type arguments at run time; only the checker sees these.
    _DefinitionModelForm = forms.ModelForm[ProcessDefinition]
    _BranchFormSetBase = forms.BaseFormSet["BranchForm"]
    _FieldFormSetBase = forms.BaseFormSet["FieldForm"]
else:
    _DefinitionModelForm = forms.ModelForm
    _BranchFormSetBase = _FieldFormSetBase = forms.BaseFormSet


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DefinitionForm(_DefinitionModelForm):
    """The definition's own details; its lists (forms used, references) one per line."""

    forms_used = forms.CharField(
        label=_("Forms used (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference_lines = forms.CharField(
        label=_("References (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["forms_used"] = "\n".join(map(str, self.instance.forms or []))
            self.initial["reference_lines"] = "\n".join(map(str, self.instance.references or []))

    def definition_fields(self) -> dict[str, Any]:
        """What `designer.definition_update` takes."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["forms"] = _lines(self.cleaned_data.get("forms_used", ""))
        fields["references"] = _lines(self.cleaned_data.get("reference_lines", ""))
        return fields

    class Meta:
        model = ProcessDefinition
        fields = (
            "title_th",
            "title_en",
            "area",
            "reference_prefix",
            "objective_th",
            "scope_th",
            "key_indicator_th",
        )
        widgets = {
            "objective_th": forms.Textarea(attrs={"rows": 2}),
            "scope_th": forms.Textarea(attrs={"rows": 2}),
            "key_indicator_th": forms.Textarea(attrs={"rows": 2}),
        }


class DefinitionCreateForm(forms.Form):
    title_th = forms.CharField(label=_("Thai title"), max_length=500)
    title_en = forms.CharField(label=_("English title"), max_length=500, required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("English letters, digits and -, e.g. school-visit. Used in addresses."),
    )
    area = forms.ChoiceField(label=_("Work area"), choices=Area.choices)
    reference_prefix = forms.RegexField(
        label=_("Case number prefix"),
        regex=r"^[A-Z]{1,8}$",
        initial="WF",
        max_length=8,
        help_text=_("Capital letters, e.g. SV gives case numbers SV-2570-000001."),
        error_messages={"invalid": _("Use 1 to 8 capital English letters.")},
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from a copy of"),
        queryset=ProcessDefinition.objects.order_by("title_th"),
        required=False,
        empty_label=_("— a new, empty process —"),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].lower()
        if ProcessDefinition.objects.filter(code=code).exists():
            raise ValidationError(_("A process with this code already exists."))
        return code


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (the portal's JSON, or BPMN 2.0 XML from a modeler)"),
        help_text=_("It becomes a draft; nothing is published until you publish it."),
    )


class StepForm(forms.Form):
    """One step's own fields and where each of its outcomes leads."""

    name_th = forms.CharField(label=_("Step name (Thai)"), max_length=500)
    name_en = forms.CharField(label=_("Step name (English)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of step"), choices=StepKind.choices)
    responsible = forms.ChoiceField(
        label=_("Who works this step"), choices=Responsible.choices, initial=Responsible.STAFF
    )
    time_model = forms.ChoiceField(
        label=_("Standard time"),
        choices=TimeModel.choices,
        initial=TimeModel.WORKING_DAYS,
        help_text=_("As the manual gives it. Only timed steps remind and become overdue."),
    )
    days_min = forms.IntegerField(label=_("Shortest (days)"), min_value=0, required=False)
    days_max = forms.IntegerField(label=_("Longest (days)"), min_value=0, required=False)
    activity_field = forms.CharField(
        label=_("Field holding the activities"),
        max_length=64,
        required=False,
        help_text=_(
            "For days per activity: the system name of a number field, or of a table with one"
            " row per activity, in this step's form."
        ),
    )
    quality_th = forms.CharField(
        label=_("Quality standard"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = forms.CharField(
        label=_("Required attachments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One document per line, e.g. the quotation."),
    )
    auto_done_after_days = forms.IntegerField(
        label=_("Completes by itself after (working days)"), min_value=1, required=False
    )
    case_date_field = forms.SlugField(
        label=_("Date of the case"),
        required=False,
        help_text=_(
            "For a wait step or a time “until a date of the case”: the name of the case's"
            " date, e.g. deadline."
        ),
    )
    next_step = forms.ChoiceField(label=_("Next step when done"), required=False)
    approve_to = forms.ChoiceField(label=_("When approved, go to"), required=False)
    return_to = forms.ChoiceField(label=_("When returned for revision, go to"), required=False)
    reject_to = forms.ChoiceField(label=_("When rejected, go to"), required=False)

    def __init__(
        self,
        *args: Any,
        version: DefinitionVersion,
        step: StepDefinition | None = None,
        **kwargs: Any,
    ) -> None:
        if step is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(step)
        super().__init__(*args, **kwargs)
        self.version, self.step = version, step
        targets = target_choices(version)
        for name in ("next_step", "approve_to", "return_to", "reject_to"):
            cast(forms.ChoiceField, self.fields[name]).choices = targets

    @staticmethod
    def initial_for(step: StepDefinition) -> dict[str, Any]:
        exits = {t.outcome: t.to_step.key for t in step.exits.select_related("to_step")}
        return {
            "name_th": step.name_th,
            "name_en": step.name_en,
            "kind": step.kind,
            "responsible": step.responsible,
            "time_model": step.time_model,
            "days_min": step.days_min,
            "days_max": step.days_max,
            "activity_field": step.activity_field,
            "quality_th": step.quality_th,
            "attachments": "\n".join(step.attachments),
            "auto_done_after_days": step.auto_done_after_days,
            "case_date_field": step.case_date_field,
            "next_step": exits.get(Outcome.DONE, ""),
            "approve_to": exits.get(Outcome.APPROVE, ""),
            "return_to": exits.get(Outcome.RETURN, ""),
            "reject_to": exits.get(Outcome.REJECT, ""),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("days_min"), data.get("days_max")
        if low is not None and high is not None and low > high:
            self.add_error("days_max", _("The longest time must not be shorter than the shortest."))
        model = data.get("time_model")
        if data.get("kind") == StepKind.WAIT_UNTIL:
            model = data["time_model"] = TimeModel.UNTIL_CASE_DATE
        if model in COUNTED and not (low or high):
            self.add_error("days_max", _("Type the days the manual gives for this step."))
        if model == TimeModel.UNTIL_CASE_DATE and not data.get("case_date_field"):
            self.add_error("case_date_field", _("Say which date of the case the time runs until."))
        if model == TimeModel.PER_ACTIVITY and not data.get("activity_field"):
            self.add_error("activity_field", _("Give the field that holds the activities."))
        return data


def target_choices(version: DefinitionVersion) -> list[tuple[str, StrOrPromise]]:
    steps = version.steps.order_by("position", "pk")
    return [("", _("— choose the next step —"))] + [
        (s.key, f"{index}. {s.name_th}") for index, s in enumerate(steps, start=1)
    ]


class BranchForm(forms.Form):
    """A named outcome of a task step ("repair on site", "needs a purchase") and its target."""

    value = forms.CharField(widget=forms.HiddenInput, required=False)
    label_th = forms.CharField(label=_("Branch name (Thai)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Branch name (English)"), max_length=200, required=False)
    to_step = forms.ChoiceField(label=_("Goes to"), required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, StrOrPromise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_step"]).choices = targets

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("to_step") and not data.get("label_th") and not data.get("DELETE"):
            self.add_error("label_th", _("Name the branch, e.g. “repair on site”."))
        return data


class ApproverForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Approver"), choices=[("", "—"), *APPROVER_CHOICES], required=False
    )
    amount_field = forms.CharField(
        label=_("Only when the amount in field"),
        required=False,
        max_length=64,
        help_text=_("Optional: the system name of a money or number field."),
    )
    if_over = forms.DecimalField(
        label=_("is above (baht)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("amount_field")) != (data.get("if_over") is not None):
            self.add_error("if_over", _("Give both the field and the amount, or leave both empty."))
        if data.get("amount_field") and not data.get("role"):
            self.add_error("role", _("Choose who approves at this level."))
        return data


class FieldForm(forms.Form):
    """One field of the step's form. Its system name may be left empty: it is then made up."""

    label_th = forms.CharField(label=_("Label (Thai)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=FIELD_TYPE_CHOICES, initial="text")
    required = forms.BooleanField(label=_("Required"), required=False)
    help_th = forms.CharField(label=_("Help text"), max_length=300, required=False)
    choices = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(
        label=_("System name"),
        max_length=64,
        required=False,
        help_text=_("English letters, digits and _; leave empty to have one made up."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_COLUMNS + 1):
            self.fields[f"col{number}_label"] = forms.CharField(
                label=_("Column %(n)s") % {"n": number}, max_length=200, required=False
            )
            self.fields[f"col{number}_type"] = forms.ChoiceField(
                label=_("Column %(n)s type") % {"n": number},
                choices=COLUMN_TYPE_CHOICES,
                initial="text",
                required=False,
            )

    def columns(self) -> list[tuple[Any, Any]]:
        return [(self[f"col{n}_label"], self[f"col{n}_type"]) for n in range(1, MAX_COLUMNS + 1)]

    def clean_name(self) -> str:
        name: str = self.cleaned_data.get("name", "").strip()
        if name and not NAME_RE.match(name):
            raise ValidationError(_("Use English letters, digits and _ and start with a letter."))
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.has_changed() and not data.get("DELETE") and not data.get("label_th"):
            self.add_error("label_th", _("Give the field a label."))
        if data.get("type") == "choice" and not _lines(data.get("choices", "")):
            self.add_error("choices", _("Type the options, one per line."))
        if data.get("type") == "table" and not any(
            data.get(f"col{n}_label") for n in range(1, MAX_COLUMNS + 1)
        ):
            self.add_error("col1_label", _("Name at least one column of the table."))
        return data

    @staticmethod
    def initial_for(spec: Mapping[str, Any]) -> dict[str, Any]:
        initial = {
            "label_th": spec.get("label_th", ""),
            "label_en": spec.get("label_en", ""),
            "type": spec.get("type", "text"),
            "required": bool(spec.get("required")),
            "help_th": spec.get("help_th", ""),
            "choices": "\n".join(str(c) for c in spec.get("choices", [])),
            "name": spec.get("name", ""),
        }
        for number, column in enumerate(spec.get("columns", [])[:MAX_COLUMNS], start=1):
            initial[f"col{number}_label"] = column.get("label_th") or column.get("name", "")
            initial[f"col{number}_type"] = column.get("type", "text")
            initial[f"col{number}_name"] = column.get("name", "")
        return initial


class _TargetsFormSet(_BranchFormSetBase):
    def __init__(self, *args: Any, targets: list[tuple[str, StrOrPromise]], **kwargs: Any) -> None:
        self.targets = targets
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "targets": self.targets}


class _FieldFormSet(_FieldFormSetBase):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [
            form.cleaned_data.get("name")
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        typed = [name for name in names if name]
        duplicates = sorted({name for name in typed if typed.count(name) > 1})
        if duplicates:
            raise ValidationError(
                _("The system name “%(name)s” is used by two fields; give each its own.")
                % {"name": duplicates[0]}
            )


# formset_factory makes a subclass of `formset`; django-stubs types it as the plain base.
BranchFormSet = cast(
    "type[_TargetsFormSet]",
    forms.formset_factory(
        BranchForm, formset=_TargetsFormSet, extra=2, can_delete=True, max_num=12
    ),
)
ApproverFormSet = forms.formset_factory(ApproverForm, extra=1, can_order=True, max_num=6)
FieldFormSet = forms.formset_factory(
    FieldForm, formset=_FieldFormSet, extra=1, can_delete=True, can_order=True, max_num=40
)


class StepEditor:
    """The step form and its three formsets, bound together; `result()` gives what
    `designer.step_save` takes."""

    def __init__(
        self,
        version: DefinitionVersion,
        step: StepDefinition | None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.version, self.step = version, step
        targets = target_choices(version)
        self.form = StepForm(data, version=version, step=step)
        # Bound formsets get no initial rows: every row the browser sends counts as typed, so
        # a row left as it was is kept rather than taken for an untouched extra row.
        source = step if data is None else None
        options = list(source.options) if source else []
        exits = (
            {t.outcome: t.to_step.key for t in step.exits.select_related("to_step")} if step else {}
        )
        self.branches = BranchFormSet(
            data,
            prefix="branch",
            targets=targets,
            initial=[
                {
                    "value": o.get("value", ""),
                    "label_th": o.get("label_th", ""),
                    "label_en": o.get("label_en", ""),
                    "to_step": exits.get(o.get("value"), ""),
                }
                for o in options
            ],
        )
        approvers = list(source.approvers) if source else []
        self.approvers = ApproverFormSet(
            data,
            prefix="approver",
            initial=[
                {"role": e, "ORDER": i}
                if not isinstance(e, dict)
                else {
                    "role": e.get("role"),
                    "amount_field": e.get("field", ""),
                    "if_over": e.get("if_over"),
                    "ORDER": i,
                }
                for i, e in enumerate(approvers, start=1)
            ],
        )
        schema = list(source.form_schema) if source else []
        self.fields = FieldFormSet(
            data,
            prefix="field",
            initial=[{**FieldForm.initial_for(s), "ORDER": i} for i, s in enumerate(schema, 1)],
        )
        self._old_schema = {spec.get("name"): spec for spec in (step.form_schema if step else [])}

    def is_valid(self) -> bool:
        parts = (self.form, self.branches, self.approvers, self.fields)
        return all([part.is_valid() for part in parts])

    def result(self) -> tuple[dict[str, Any], dict[str, str | None]]:
        data = self.form.cleaned_data
        kind = data["kind"]
        model = TimeModel.NONE if kind == StepKind.END else data["time_model"]
        options, exits = self._branches(kind)
        if (kind == StepKind.TASK and not options) or kind in (
            StepKind.NOTIFY,
            StepKind.WAIT_UNTIL,
        ):
            exits = {Outcome.DONE: data.get("next_step") or None}
        elif kind == StepKind.APPROVAL:
            exits = {
                Outcome.APPROVE: data.get("approve_to") or None,
                Outcome.RETURN: data.get("return_to") or None,
                Outcome.REJECT: data.get("reject_to") or None,
            }
        elif kind == StepKind.END:
            exits = {}
        fields = {
            "name_th": data["name_th"].strip(),
            "name_en": data.get("name_en", "").strip(),
            "kind": kind,
            "responsible": data.get("responsible") or Responsible.STAFF,
            "time_model": model,
            "days_min": data.get("days_min") if model in COUNTED else None,
            "days_max": data.get("days_max") if model in COUNTED else None,
            "activity_field": data.get("activity_field", "")
            if model == TimeModel.PER_ACTIVITY
            else "",
            "quality_th": data.get("quality_th", "").strip(),
            "attachments": _lines(data.get("attachments", "")),
            "auto_done_after_days": data.get("auto_done_after_days"),
            "case_date_field": data.get("case_date_field", "")
            if model == TimeModel.UNTIL_CASE_DATE
            else "",
            "options": options if kind == StepKind.TASK else [],
            "approvers": self._approvers() if kind == StepKind.APPROVAL else [],
            "form_schema": self._schema() if kind != StepKind.END else [],
        }
        return fields, exits

    def _branches(self, kind: str) -> tuple[list[dict[str, str]], dict[str, str | None]]:
        options: list[dict[str, str]] = []
        exits: dict[str, str | None] = {}
        if kind != StepKind.TASK:
            return options, exits
        taken = set()
        rows = [
            f.cleaned_data
            for f in self.branches.forms
            if f.cleaned_data
            and f.cleaned_data.get("label_th")
            and not f.cleaned_data.get("DELETE")
        ]
        for row in rows:
            taken.add(row.get("value"))
        number = 1
        for row in rows:
            value = row.get("value") or ""
            if not NAME_RE.match(value):
                while f"option_{number}" in taken:
                    number += 1
                value = f"option_{number}"
                taken.add(value)
            options.append(
                {
                    "value": value,
                    "label_th": row["label_th"].strip(),
                    "label_en": row.get("label_en", "").strip(),
                }
            )
            exits[value] = row.get("to_step") or None
        return options, exits

    def _approvers(self) -> list[Any]:
        """The chain in the order of the numbers typed (rows without one keep their place
        at the end)."""
        chain: list[Any] = []
        for form in self.approvers.ordered_forms:
            row = form.cleaned_data
            if not row.get("role"):
                continue
            if row.get("amount_field"):
                amount: Decimal = row["if_over"]
                limit = int(amount) if amount == amount.to_integral_value() else float(amount)
                chain.append({"role": row["role"], "field": row["amount_field"], "if_over": limit})
            else:
                chain.append(row["role"])
        return chain

    def _schema(self) -> list[dict[str, Any]]:
        forms_in_order = self.fields.ordered_forms
        schema: list[dict[str, Any]] = []
        typed = {f.cleaned_data.get("name") for f in forms_in_order if f.cleaned_data.get("name")}
        number = 1
        for form in forms_in_order:
            row = form.cleaned_data
            if not row or row.get("DELETE") or not row.get("label_th"):
                continue
            name = row.get("name") or ""
            if not name:
                while f"field_{number}" in typed:
                    number += 1
                name = f"field_{number}"
                typed.add(name)
            spec: dict[str, Any] = {
                "name": name,
                "label_th": row["label_th"].strip(),
                "type": row["type"],
            }
            if row.get("label_en"):
                spec["label_en"] = row["label_en"].strip()
            if row.get("required"):
                spec["required"] = True
            if row.get("help_th"):
                spec["help_th"] = row["help_th"].strip()
            if row["type"] == "choice":
                spec["choices"] = _lines(row.get("choices", ""))
            if row["type"] == "table":
                old_columns = {
                    c.get("label_th") or c.get("name"): c.get("name")
                    for c in self._old_schema.get(name, {}).get("columns", [])
                }
                columns = []
                used = set()
                for n in range(1, MAX_COLUMNS + 1):
                    label = (row.get(f"col{n}_label") or "").strip()
                    if label:
                        column_name = old_columns.get(label) or f"col_{n}"
                        while column_name in used:
                            column_name += "_"
                        used.add(column_name)
                        columns.append(
                            {
                                "name": column_name,
                                "label_th": label,
                                "type": row.get(f"col{n}_type") or "text",
                            }
                        )
                spec["columns"] = columns
            schema.append(spec)
        return schema
